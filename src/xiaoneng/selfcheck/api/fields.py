"""Fields the self-inspection API shares: named choices (labels in OpenAPI), the campaign link."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_choice_field
from rest_framework import serializers

from xiaoneng.campaigns.models import Campaign

from ..models import (
    ChecklistAnswer,
    LearningKind,
)


# --- fields --------------------------------------------------------------------------------------
class NamedChoiceField(serializers.ChoiceField):
    """A choice field whose choice set is one named schema component (``enum_name``).

    drf-spectacular names enums after the property; several apps use generic property names
    (``kind``, ``status``, ``result``), so without a fixed name the same choice set used in
    two components (e.g. ``LearningRecord.kind`` and ``GroupSessionRequest.kind``) collides
    with other apps' ``kind`` enums."""

    def __init__(self, choices, *, enum_name: str, **kwargs):
        self.enum_name = enum_name
        super().__init__(choices, **kwargs)


def campaign_field() -> serializers.PrimaryKeyRelatedField:
    """The campaign a record belongs to, by id (``campaign_id`` on the wire)."""
    return serializers.PrimaryKeyRelatedField(
        source="campaign",
        queryset=Campaign.objects.all(),
        required=False,
        allow_null=True,
        default=None,
    )


class NamedChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = NamedChoiceField
    match_subclasses = True

    def get_name(self) -> str:
        return self.target.enum_name

    def map_serializer_field(self, auto_schema, direction):
        schema = build_choice_field(self.target)
        schema.pop("x-spec-enum-id", None)
        schema["enum"] = [v for v in schema["enum"] if v not in ("", None)]
        return schema


def learning_kind_field(**kwargs) -> NamedChoiceField:
    return NamedChoiceField(LearningKind.choices, enum_name="LearningKindEnum", **kwargs)


def answer_result_field(**kwargs) -> NamedChoiceField:
    return NamedChoiceField(
        ChecklistAnswer.Result.choices, enum_name="ChecklistAnswerResultEnum", **kwargs
    )
