"""Fields the campaign API shares: named choices with their labels in OpenAPI."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_choice_field
from rest_framework import serializers

from ..models import (
    CampaignKind,
)


# --- fields -------------------------------------------------------------------------------------
class CampaignChoiceField(serializers.ChoiceField):
    """A choice field documented as one named enum component, so generic property names
    (kind, status) never collide with other apps' enums."""

    def __init__(self, choices, *, enum_name: str, **kwargs):
        self.enum_name = enum_name
        super().__init__(choices, **kwargs)


class CampaignChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = CampaignChoiceField
    match_subclasses = True

    def get_name(self) -> str:
        return self.target.enum_name

    def map_serializer_field(self, auto_schema, direction):
        schema = build_choice_field(self.target)
        schema.pop("x-spec-enum-id", None)
        return schema


def kind_field(**kwargs):
    return CampaignChoiceField(CampaignKind.choices, enum_name="CampaignKindEnum", **kwargs)
