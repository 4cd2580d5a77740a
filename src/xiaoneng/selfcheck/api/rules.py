"""API of the institution register (建章立制)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoneng.core.api.fields import (
    OwnFileField,
    ScopedPersonField,
    ScopedUnitField,
)
from xiaoneng.core.errors import ValidationFailed

from .. import selectors, services
from ..models import (
    InstitutionRule,
    RuleType,
)
from .fields import NamedChoiceField


# --- institution register (建章立制) --------------------------------------------------------------------------
class RuleSerializer(serializers.ModelSerializer):
    unit = ScopedUnitField()
    owner = ScopedPersonField(required=False, allow_null=True)
    document = OwnFileField(required=False, allow_null=True)
    rule_type = NamedChoiceField(RuleType.choices, enum_name="InstitutionRuleTypeEnum")
    rule_type_label = serializers.CharField(source="get_rule_type_display", read_only=True)

    class Meta:
        model = InstitutionRule
        fields = [
            "id",
            "unit",
            "rule_type",
            "rule_type_label",
            "name",
            "document",
            "owner",
            "adopted_on",
            "next_review_on",
            "notes",
            "is_active",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]
        extra_kwargs = {"name": {"required": False}}


class RegisterRowSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    present = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField()

    def get_present(self, row) -> list[str]:
        return [t.value for t, rules in row.cells if rules]

    def get_missing(self, row) -> list[str]:
        return [t.value for t in row.missing]


class RuleReviewRequestSerializer(serializers.Serializer):
    next_review_on = serializers.DateField()
    document = OwnFileField(required=False, allow_null=True, default=None)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class RuleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The units' rules (建章立制: the ten institutions plus custom ones); ``GET …/register``
    shows which of the ten each unit in scope lacks."""

    serializer_class = RuleSerializer
    filterset_fields = ["unit", "rule_type", "is_active"]
    ordering_fields = ["id", "adopted_on", "next_review_on"]
    ordering = ["unit__path", "rule_type", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.rules_for(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.rule_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        for fixed in ("unit", "rule_type"):
            if fixed in data and data[fixed] != getattr(serializer.instance, fixed):
                raise ValidationFailed(
                    _("Invalid input"), errors={fixed: [_("This field cannot be changed here.")]}
                )
            data.pop(fixed, None)
        serializer.instance = services.rule_update(
            actor=self.request.user, rule=serializer.instance, **data
        )

    @extend_schema(request=RuleReviewRequestSerializer, responses=RuleSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """Record the rule's review (复审): the next review date, optionally a revised
        document; ends the sweep's reminders for the old date."""
        rule = self.get_object()
        body = RuleReviewRequestSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        services.rule_review(actor=request.user, rule=rule, **body.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=rule.pk)).data)

    @extend_schema(responses=RegisterRowSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def register(self, request):
        return Response(RegisterRowSerializer(selectors.register(request.user), many=True).data)
