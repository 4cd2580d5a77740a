"""API of learning requirements and records (学习教育)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoneng.core.api.fields import (
    ScopedPersonField,
    ScopedUnitField,
    files_field,
)
from xiaoneng.core.errors import ValidationFailed
from xiaoneng.core.models import Unit
from xiaoneng.core.params import api_params
from xiaoneng.core.scope import scoped

from .. import selectors, services
from ..models import (
    LearningKind,
    LearningRecord,
    LearningRequirement,
)
from .fields import NamedChoiceField, campaign_field, learning_kind_field


# --- learning ------------------------------------------------------------------------------------------------
class RequirementSerializer(serializers.ModelSerializer):
    campaign_id = campaign_field()
    measure = NamedChoiceField(LearningRequirement.Measure.choices, enum_name="LearningMeasureEnum")

    class Meta:
        model = LearningRequirement
        fields = [
            "id",
            "campaign_id",
            "name",
            "measure",
            "minimum",
            "maximum",
            "starts_on",
            "ends_on",
            "is_active",
        ]
        read_only_fields = ["id", "is_active"]


class RequirementViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Learning minimums per person (e.g. self-study ≥ 40 h, group ≥ 10 h, 1–2 essays)."""

    serializer_class = RequirementSerializer
    filterset_fields = ["campaign_id", "measure", "is_active"]
    ordering_fields = ["id", "starts_on"]
    ordering = ["starts_on", "id"]

    def get_queryset(self):
        return selectors.requirements_for(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.requirement_create(
            actor=self.request.user, **serializer.validated_data
        )


class LearningRecordSerializer(serializers.ModelSerializer):
    campaign_id = campaign_field()
    person = ScopedPersonField()
    essays = files_field()
    person_name = serializers.CharField(source="person.name", read_only=True)
    kind = learning_kind_field()

    class Meta:
        model = LearningRecord
        fields = [
            "id",
            "person",
            "person_name",
            "unit",
            "campaign_id",
            "session",
            "date",
            "hours",
            "kind",
            "topic",
            "notes",
            "essays",
            "created_at",
        ]
        read_only_fields = ["id", "unit", "session", "created_at"]


class GroupSessionSerializer(serializers.Serializer):
    unit = ScopedUnitField()
    attendees = ScopedPersonField(many=True, allow_empty=False)
    date = serializers.DateField()
    hours = serializers.DecimalField(max_digits=5, decimal_places=1)
    kind = learning_kind_field(default=LearningKind.GROUP)
    topic = serializers.CharField(max_length=200)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    campaign_id = campaign_field()


class GroupSessionResultSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    records = serializers.IntegerField()


class RequirementResultSerializer(serializers.Serializer):
    requirement = serializers.IntegerField(source="requirement.pk")
    name = serializers.CharField(source="requirement.name")
    measure = serializers.CharField(source="requirement.measure")
    minimum = serializers.DecimalField(source="requirement.minimum", max_digits=7, decimal_places=1)
    actual = serializers.DecimalField(max_digits=9, decimal_places=1)
    compliant = serializers.BooleanField()


class PersonComplianceSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person.pk")
    name = serializers.CharField(source="person.name")
    unit = serializers.IntegerField(source="person.unit_id")
    compliant = serializers.BooleanField()
    results = RequirementResultSerializer(many=True)


class UnitComplianceSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    people = serializers.IntegerField()
    compliant = serializers.IntegerField()
    rate = serializers.FloatField()


class LearningRecordViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Learning records (学习教育). People record their own; units record for their people
    and enter group sessions once for all attendees (``POST …/group-session``)."""

    serializer_class = LearningRecordSerializer
    filterset_fields = ["person", "unit", "kind", "campaign_id", "session", "date"]
    ordering_fields = ["id", "date", "hours"]
    ordering = ["-date", "-id"]

    def get_queryset(self):
        return selectors.learning_records_for(self.request.user).prefetch_related("essays")

    def perform_create(self, serializer):
        serializer.instance = services.learning_record_create(
            actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=GroupSessionSerializer, responses={201: GroupSessionResultSerializer})
    @action(detail=False, methods=["post"], url_path="group-session")
    def group_session(self, request):
        body = GroupSessionSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        session = services.group_session_record(actor=request.user, **body.validated_data)
        return Response(
            {"session": session.pk, "records": session.records.count()},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", OpenApiTypes.INT),
            OpenApiParameter("by", OpenApiTypes.STR, enum=["person", "unit"]),
        ],
        responses=PolymorphicProxySerializer(
            component_name="Compliance",
            serializers=[PersonComplianceSerializer, UnitComplianceSerializer],
            resource_type_field_name=None,
            many=True,
        ),
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def compliance(self, request):
        """Each person in scope against each active requirement; ``?by=unit`` sums per unit
        (people, compliant people, rate)."""
        unit = None
        params = api_params(request)
        unit_id = params.id("unit")
        params.check()
        if unit_id:
            unit = scoped(request.user, Unit).filter(pk=unit_id).first()
            if unit is None:
                raise ValidationFailed(_("Invalid input"), errors={"unit": [_("Unknown unit.")]})
        rows = selectors.compliance(request.user, unit=unit)
        if request.query_params.get("by") == "unit":
            units = selectors.compliance_by_unit(rows)
            return Response(UnitComplianceSerializer(units, many=True).data)
        return Response(PersonComplianceSerializer(rows, many=True).data)
