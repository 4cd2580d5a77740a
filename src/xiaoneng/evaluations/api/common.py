"""Fields the evaluation API shares: choice fields documented as named enum components."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_choice_field
from rest_framework import serializers


class EvaluationChoiceField(serializers.ChoiceField):
    """A choice field with a fixed schema component name (no clash with other apps' enums)."""

    def __init__(self, choices, *, enum_name: str, **kwargs):
        self.enum_name = enum_name
        super().__init__(choices, **kwargs)


class EvaluationChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = EvaluationChoiceField
    match_subclasses = True

    def get_name(self) -> str:
        return self.target.enum_name

    def map_serializer_field(self, auto_schema, direction):
        schema = build_choice_field(self.target)
        schema.pop("x-spec-enum-id", None)
        schema["enum"] = [v for v in schema["enum"] if v not in ("", None)]
        return schema


def choice(choices, name: str, **kwargs) -> EvaluationChoiceField:
    return EvaluationChoiceField(choices, enum_name=name, **kwargs)


class RefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class RateSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True)
    label = serializers.CharField()
    issued = serializers.IntegerField()
    used = serializers.IntegerField()
    responses = serializers.IntegerField()
    valid = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    basically_satisfied = serializers.IntegerField()
    unsatisfied = serializers.IntegerField()
    response_rate = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    satisfaction_rate = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
