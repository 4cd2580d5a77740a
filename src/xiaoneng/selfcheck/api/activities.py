"""API of the recurring activities (五个一) and their records."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoneng.core.api.fields import (
    ScopedUnitField,
    files_field,
)
from xiaoneng.core.models import Unit
from xiaoneng.core.params import ParamError, api_params

from .. import periods, selectors, services
from ..models import (
    ActivityRecord,
    RecurringActivity,
)
from .fields import NamedChoiceField, campaign_field


# --- recurring activities (五个一) -------------------------------------------------------------------------
class ActivitySerializer(serializers.ModelSerializer):
    campaign_id = campaign_field()
    frequency = NamedChoiceField(
        RecurringActivity.Frequency.choices, enum_name="ActivityFrequencyEnum"
    )
    units = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Unit.objects.filter(is_active=True), required=False
    )

    class Meta:
        model = RecurringActivity
        fields = [
            "id",
            "code",
            "name",
            "description",
            "frequency",
            "all_units",
            "units",
            "campaign_id",
            "active_from",
            "active_until",
            "is_active",
        ]
        read_only_fields = ["id", "is_active"]


class MissingSerializer(serializers.Serializer):
    activity = serializers.IntegerField(source="activity.pk")
    activity_name = serializers.CharField(source="activity.name")
    unit = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    period = serializers.CharField()


class ActivityViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Recurring activities (五个一) and the units that owe them; ``GET …/missing`` lists the
    owed occurrences nobody recorded (last month / last quarter as of ``as_of``, or ``period``)."""

    serializer_class = ActivitySerializer
    filterset_fields = ["code", "frequency", "is_active", "campaign_id"]
    ordering_fields = ["id", "sort_order"]
    ordering = ["sort_order", "id"]

    def get_queryset(self):
        return selectors.activities_for(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.activity_create(
            actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("as_of", OpenApiTypes.DATE),
            OpenApiParameter("period", OpenApiTypes.STR, description="2026-10 or 2026-Q4"),
        ],
        responses=MissingSerializer(many=True),
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def missing(self, request):
        params = api_params(request)
        as_of = params.date("as_of")
        period = params.parse("period", _period)
        params.check()
        rows = selectors.missing_occurrences(as_of=as_of, period=period, user=request.user)
        return Response(MissingSerializer(rows, many=True).data)


def _period(text: str) -> str:
    """A reporting period (YYYY-MM or YYYY-Qn) for ``?period=``."""
    try:
        periods.bounds(text)
    except (ValueError, IndexError, OverflowError):
        raise ParamError(_("Use YYYY-MM or YYYY-Qn.")) from None
    return text


class ActivityRecordSerializer(serializers.ModelSerializer):
    activity = serializers.PrimaryKeyRelatedField(
        queryset=RecurringActivity.objects.filter(is_active=True)
    )
    unit = ScopedUnitField()
    photos = files_field()

    class Meta:
        model = ActivityRecord
        fields = [
            "id",
            "activity",
            "unit",
            "period",
            "held_on",
            "participants",
            "participant_count",
            "notes",
            "photos",
            "created_at",
        ]
        read_only_fields = ["id", "period", "created_at"]


class ActivityRecordViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Occurrences of 五个一 activities recorded by units (date, participants, notes, photos)."""

    serializer_class = ActivityRecordSerializer
    filterset_fields = ["activity", "unit", "period"]
    ordering_fields = ["id", "held_on"]
    ordering = ["-held_on", "-id"]

    def get_queryset(self):
        return selectors.activity_records_for(self.request.user).prefetch_related("photos")

    def perform_create(self, serializer):
        serializer.instance = services.activity_record_create(
            actor=self.request.user, **serializer.validated_data
        )
