"""/api/v1/ethics-files (+ /evaluate, /grade)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoneng.core.api.fields import ScopedPersonField
from xiaoneng.core.idempotency import IdempotentCreateMixin

from .. import selectors
from ..models import EthicsFile, VetoItem
from ..services import ethics as services
from ..vocab import EthicsGrade, EthicsStage, EthicsStatus
from .common import choice


class EthicsFileSerializer(serializers.ModelSerializer):
    person = ScopedPersonField()
    person_name = serializers.CharField(source="person.name", read_only=True)
    status = choice(EthicsStatus.choices, "EthicsFileStatusEnum", read_only=True)
    grade = choice(EthicsGrade.choices, "EthicsGradeEnum", read_only=True, allow_blank=True)
    vetoes = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    reviewer = serializers.CharField(source="reviewer.username", read_only=True, default=None)

    class Meta:
        model = EthicsFile
        fields = [
            "id", "person", "person_name", "unit", "department", "year", "status",
            "self_text", "self_score", "department_text", "department_score", "unit_text",
            "unit_score", "patient_responses", "patient_satisfaction", "verified_complaints",
            "figures_at", "vetoes", "veto_note", "suggested_score", "grade", "grade_note",
            "reviewer", "graded_at", "created_at",
        ]  # fmt: skip
        read_only_fields = [f for f in fields if f not in ("person", "year")]


class EthicsEvaluateSerializer(serializers.Serializer):
    stage = choice(EthicsStage.choices, "EthicsStageEnum")
    text = serializers.CharField(max_length=5000)
    score = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False, allow_null=True
    )


class EthicsGradeSerializer(serializers.Serializer):
    grade = choice(EthicsGrade.choices, "EthicsGradeEnum", required=False, allow_blank=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    vetoes = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        required=False,
        queryset=VetoItem.objects.filter(is_active=True),
    )
    veto_note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class EthicsFileViewSet(
    IdempotentCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Medical-ethics files (医德档案): one per worker per year."""

    serializer_class = EthicsFileSerializer
    filterset_fields = ["year", "unit", "department", "person", "grade", "status"]

    def get_queryset(self):
        return selectors.ethics_files_for(self.request.user).prefetch_related("vetoes")

    def get_object(self):
        return selectors.get_ethics_file(self.request.user, self.kwargs["pk"])

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.file_create(
            actor=self.request.user, person=data["person"], year=data["year"]
        )

    @extend_schema(request=EthicsEvaluateSerializer, responses=EthicsFileSerializer)
    @action(detail=True, methods=["post"])
    def evaluate(self, request, pk=None):
        """Write the self, department or unit evaluation (text and score 0–100)."""
        file = self.get_object()
        body = EthicsEvaluateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        services.file_evaluate(
            actor=request.user, file=file, stage=data["stage"], text=data["text"],
            score=data.get("score"),
        )  # fmt: skip
        return Response(EthicsFileSerializer(file, context={"request": request}).data)

    @extend_schema(request=EthicsGradeSerializer, responses=EthicsFileSerializer)
    @action(detail=True, methods=["post"])
    def grade(self, request, pk=None):
        """The final grade; any veto item forces 较差 whatever the scores."""
        file = self.get_object()
        body = EthicsGradeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        services.file_grade(
            actor=request.user,
            file=file,
            grade=data.get("grade", ""),
            note=data["note"],
            vetoes=data.get("vetoes", []),
            veto_note=data["veto_note"],
        )
        return Response(EthicsFileSerializer(file, context={"request": request}).data)
