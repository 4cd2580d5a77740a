"""API of targets and measurements."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from xiaoneng.core.api.fields import ScopedUnitField, files_field
from xiaoneng.core.errors import ValidationFailed
from xiaoneng.core.idempotency import IdempotentCreateMixin

from .. import selectors, services
from ..models import (
    Campaign,
    Comparator,
    EvaluationMethod,
    Target,
    TargetMeasurement,
)
from .fields import CampaignChoiceField


# --- targets ---------------------------------------------------------------------------------------------
class CampaignTargetSerializer(serializers.ModelSerializer):
    campaign = serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.none())
    responsible_unit = ScopedUnitField(required=False, allow_null=True)
    methods = serializers.ListField(
        child=CampaignChoiceField(EvaluationMethod.choices, enum_name="CampaignMethodEnum"),
        required=False,
    )
    comparator = CampaignChoiceField(
        Comparator.choices, enum_name="CampaignComparatorEnum", read_only=True
    )
    latest_value = serializers.SerializerMethodField()
    met = serializers.SerializerMethodField()

    class Meta:
        model = Target
        fields = [
            "id",
            "campaign",
            "number",
            "item",
            "content",
            "standard",
            "comparator",
            "value",
            "measure_unit",
            "methods",
            "leader_name",
            "responsible_unit",
            "responsible_office",
            "responsible_person",
            "latest_value",
            "met",
        ]
        read_only_fields = ["id", "comparator", "value", "measure_unit"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["campaign"].queryset = selectors.campaigns_for(request.user)
        return fields

    def _latest(self, obj):
        ms = list(obj.measurements.all())
        return max(ms, key=lambda m: m.period) if ms else None

    def get_latest_value(self, obj) -> str | None:
        m = self._latest(obj)
        return str(m.value) if m else None

    def get_met(self, obj) -> bool | None:
        m = self._latest(obj)
        return m.met if m else None


class CampaignTargetViewSet(
    IdempotentCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The target decomposition table (目标分解表); each standard is parsed into comparator,
    value and unit, and the latest measurement says whether it is met."""

    serializer_class = CampaignTargetSerializer
    filterset_fields = ["campaign", "responsible_unit", "number"]
    ordering_fields = ["id", "number"]
    ordering = ["campaign", "id"]

    def get_queryset(self):
        return selectors.targets_for(self.request.user).prefetch_related("measurements")

    def perform_create(self, serializer):
        serializer.instance = services.target_create(
            actor=self.request.user, **serializer.validated_data
        )


class CampaignMeasurementSerializer(serializers.ModelSerializer):
    target = serializers.PrimaryKeyRelatedField(queryset=Target.objects.none())
    files = files_field()

    class Meta:
        model = TargetMeasurement
        fields = ["id", "target", "period", "value", "evidence", "files", "met", "reported_at"]
        read_only_fields = ["id", "met", "reported_at"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["target"].queryset = selectors.targets_for(request.user)
        return fields


class CampaignMeasurementViewSet(
    IdempotentCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Measurements of targets per period with evidence; judged met / not met automatically.
    Posting a period again replaces its value."""

    serializer_class = CampaignMeasurementSerializer
    filterset_fields = ["target", "period", "met", "target__campaign"]
    ordering_fields = ["id", "period"]
    ordering = ["target", "period"]

    def get_queryset(self):
        return selectors.measurements_for(self.request.user).prefetch_related("files")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if data.get("value") is None:
            raise ValidationFailed(
                _("This field is required."), errors={"value": [_("This field is required.")]}
            )
        m = services.measurement_record(actor=request.user, **data)
        return Response(self.get_serializer(m).data, status=status.HTTP_201_CREATED)
