"""The one named-choice API field: a choice set documented as one named OpenAPI component.

drf-spectacular names enums after the property; apps use generic property names (``kind``,
``status``, ``result``, ``source``), so without a fixed name the same choice set used in two
components collides with another app's. Use ``NamedChoiceField(Vocab.choices,
enum_name="AppThingEnum")``; a field that may also be blank is documented as the component or "".
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent, build_choice_field
from rest_framework import serializers


class NamedChoiceField(serializers.ChoiceField):
    def __init__(self, choices, *, enum_name: str, **kwargs):
        self.enum_name = enum_name
        super().__init__(choices, **kwargs)


class NamedChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = NamedChoiceField
    match_subclasses = True

    def get_name(self) -> str | None:
        # a field that may also be blank is the component or "" (not the component itself)
        return None if self.target.allow_blank else self.target.enum_name

    def map_serializer_field(self, auto_schema, direction):
        schema = build_choice_field(self.target)
        schema.pop("x-spec-enum-id", None)
        schema["enum"] = [v for v in schema["enum"] if v not in ("", None)]
        if not self.target.allow_blank:
            return schema
        component = ResolvedComponent(
            name=self.target.enum_name,
            type=ResolvedComponent.SCHEMA,
            schema=schema,
            object=self.target,
        )
        auto_schema.registry.register_on_missing(component)
        return {"oneOf": [component.ref, {"type": "string", "enum": [""]}]}
