"""API of checklist templates and assignments (自查清单)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoneng.core.api.fields import (
    ScopedPersonField,
    ScopedUnitField,
    files_field,
)
from xiaoneng.core.errors import ValidationFailed
from xiaoneng.core.params import api_params

from .. import selectors, services
from ..models import (
    ChecklistAnswer,
    ChecklistAssignment,
    ChecklistItem,
    ChecklistTemplate,
)
from .fields import NamedChoiceField, answer_result_field, campaign_field


# --- checklist templates -------------------------------------------------------------------------------
class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistItem
        fields = ["id", "number", "title", "text", "guidance"]
        read_only_fields = ["id", "number"]
        extra_kwargs = {"title": {"required": False}}


class TemplateSerializer(serializers.ModelSerializer):
    items = ItemSerializer(many=True)
    target = NamedChoiceField(
        ChecklistTemplate.Target.choices, enum_name="ChecklistTargetEnum", required=False
    )

    class Meta:
        model = ChecklistTemplate
        fields = ["id", "code", "name", "description", "source", "target", "is_active", "items"]
        read_only_fields = ["id"]


class TemplateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Checklist templates (五查五看, 六查六看, …): readable by every signed-in user;
    configured by the office (campaign.manage)."""

    serializer_class = TemplateSerializer
    filterset_fields = ["code", "target", "is_active"]
    ordering_fields = ["id", "name", "sort_order"]
    ordering = ["sort_order", "id"]

    def get_queryset(self):
        return selectors.templates_for(self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.template_create(actor=self.request.user, **data)


# --- assignments -------------------------------------------------------------------------------------
class AnswerSerializer(serializers.ModelSerializer):
    files = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    result = answer_result_field(read_only=True)

    class Meta:
        model = ChecklistAnswer
        fields = ["id", "item", "result", "description", "files", "issue_id", "answered_at"]


class AssignmentSerializer(serializers.ModelSerializer):
    campaign_id = campaign_field()
    template = serializers.PrimaryKeyRelatedField(
        queryset=ChecklistTemplate.objects.filter(is_active=True)
    )
    template_name = serializers.CharField(source="template.name", read_only=True)
    unit = ScopedUnitField(required=False, allow_null=True)
    person = ScopedPersonField(required=False, allow_null=True)
    status = NamedChoiceField(
        ChecklistAssignment.Status.choices,
        enum_name="ChecklistAssignmentStatusEnum",
        read_only=True,
    )
    overdue = serializers.SerializerMethodField()
    answered = serializers.SerializerMethodField()
    item_count = serializers.SerializerMethodField()
    answers = AnswerSerializer(many=True, read_only=True)
    material_files = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = ChecklistAssignment
        fields = [
            "id",
            "template",
            "template_name",
            "campaign_id",
            "unit",
            "person",
            "due_on",
            "status",
            "overdue",
            "answered",
            "item_count",
            "completed_at",
            "material_text",
            "material_files",
            "answers",
        ]
        read_only_fields = ["id", "status", "completed_at", "material_text"]

    def get_overdue(self, obj) -> bool:
        return selectors.is_overdue(obj)

    def get_answered(self, obj) -> int:
        return getattr(obj, "answered", None) or obj.answers.count()

    def get_item_count(self, obj) -> int:
        return getattr(obj, "item_count", None) or obj.template.items.count()


class AnswerEntrySerializer(serializers.Serializer):
    item = serializers.IntegerField()
    result = answer_result_field()
    description = serializers.CharField(required=False, allow_blank=True, default="")
    files = files_field()


class AnswerRequestSerializer(serializers.Serializer):
    answers = AnswerEntrySerializer(many=True, allow_empty=False)


class MaterialRequestSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, default="")
    files = files_field()


class CompletionSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit.pk")
    unit_name = serializers.CharField(source="unit.name")
    total = serializers.IntegerField()
    completed = serializers.IntegerField()
    overdue = serializers.IntegerField()
    unit_total = serializers.IntegerField()
    unit_completed = serializers.IntegerField()
    person_total = serializers.IntegerField()
    person_completed = serializers.IntegerField()
    rate = serializers.FloatField()


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "overdue",
                OpenApiTypes.BOOL,
                description="Only open checklists past their due date.",
            )
        ]
    )
)
class AssignmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Checklists handed to units or people. The office assigns (campaign.manage); units
    and people answer with ``POST …/{id}/answer``; each "problem" opens a ledger issue."""

    serializer_class = AssignmentSerializer
    filterset_fields = ["template", "unit", "person", "status", "campaign_id"]
    ordering_fields = ["id", "due_on", "status"]
    ordering = ["due_on", "id"]

    def get_queryset(self):
        qs = selectors.assignments_for(self.request.user).prefetch_related(
            "answers__files", "material_files"
        )
        if self.request.query_params.get("overdue") in {"true", "1"}:
            qs = qs.filter(status=ChecklistAssignment.Status.OPEN, due_on__lt=selectors.today())
        return qs

    def perform_create(self, serializer):
        serializer.instance = services.assignment_create(
            actor=self.request.user, **serializer.validated_data
        )

    def _reply(self, assignment):
        fresh = self.get_queryset().filter(pk=assignment.pk).first() or assignment
        return Response(self.get_serializer(fresh).data)

    @extend_schema(request=AnswerRequestSerializer, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        assignment = self.get_object()
        body = AnswerRequestSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        with transaction.atomic():
            services.assignment_answer(
                actor=request.user,
                assignment=assignment,
                answers=body.validated_data["answers"],
            )
        return self._reply(assignment)

    @extend_schema(
        parameters=[
            OpenApiParameter("campaign_id", OpenApiTypes.INT),
            OpenApiParameter("template", OpenApiTypes.INT),
        ],
        responses=CompletionSerializer(many=True),
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def completion(self, request):
        """Completion per unit in the caller's scope: unit and personal checklists, completed,
        overdue (open past the due date) and the rate in percent."""
        params = api_params(request)
        values = {name: params.id(name) for name in ("campaign_id", "template")}
        values = {name: value for name, value in values.items() if value}
        params.check()
        template = None
        if "template" in values:
            template = ChecklistTemplate.objects.filter(pk=values["template"]).first()
            if template is None:
                raise ValidationFailed(
                    _("Invalid input"), errors={"template": [_("Unknown checklist.")]}
                )
        rows = selectors.completion_by_unit(
            request.user, campaign_id=values.get("campaign_id"), template=template
        )
        return Response(CompletionSerializer(rows, many=True).data)

    @extend_schema(request=MaterialRequestSerializer, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def material(self, request, pk=None):
        assignment = self.get_object()
        body = MaterialRequestSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        services.assignment_attach_material(
            actor=request.user, assignment=assignment, **body.validated_data
        )
        return self._reply(assignment)
