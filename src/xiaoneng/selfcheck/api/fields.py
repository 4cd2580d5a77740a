"""Fields the self-inspection API shares: named choices (labels in OpenAPI), the campaign link."""

from __future__ import annotations

from rest_framework import serializers

from xiaoneng.campaigns.models import Campaign
from xiaoneng.core.api.choices import NamedChoiceField

from ..models import (
    ChecklistAnswer,
    LearningKind,
)


# --- fields --------------------------------------------------------------------------------------
def campaign_field() -> serializers.PrimaryKeyRelatedField:
    """The campaign a record belongs to, by id (``campaign_id`` on the wire)."""
    return serializers.PrimaryKeyRelatedField(
        source="campaign",
        queryset=Campaign.objects.all(),
        required=False,
        allow_null=True,
        default=None,
    )


def learning_kind_field(**kwargs) -> NamedChoiceField:
    return NamedChoiceField(LearningKind.choices, enum_name="LearningKindEnum", **kwargs)


def answer_result_field(**kwargs) -> NamedChoiceField:
    return NamedChoiceField(
        ChecklistAnswer.Result.choices, enum_name="ChecklistAnswerResultEnum", **kwargs
    )
