"""API of key tasks and their progress."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoneng.core.api.fields import ScopedUnitField, files_field
from xiaoneng.core.idempotency import IdempotentCreateMixin

from .. import selectors, services
from ..models import (
    Campaign,
    KeyTask,
    KeyTaskProgress,
)
from .fields import CampaignChoiceField


# --- key tasks ------------------------------------------------------------------------------------------
def progress_status_field(**kwargs):
    return CampaignChoiceField(
        KeyTaskProgress.Status.choices, enum_name="CampaignTaskStatusEnum", **kwargs
    )


class CampaignTaskProgressSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    status = progress_status_field(read_only=True)

    class Meta:
        model = KeyTaskProgress
        fields = ["id", "unit", "unit_name", "status", "note", "updated_at"]


class CampaignKeyTaskSerializer(serializers.ModelSerializer):
    campaign = serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.none())
    lead_units = ScopedUnitField(many=True, required=False)
    responsible_units = ScopedUnitField(many=True, required=False)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = KeyTask
        fields = [
            "id",
            "campaign",
            "number",
            "group",
            "title",
            "content",
            "lead_units",
            "responsible_units",
            "lead_text",
            "responsible_text",
            "due_on",
            "progress",
        ]
        read_only_fields = ["id"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["campaign"].queryset = selectors.campaigns_for(request.user)
        return fields

    @extend_schema_field(CampaignTaskProgressSerializer(many=True))
    def get_progress(self, obj):
        user = self.context["request"].user
        rows = [p for p in obj.progress.all()]
        if not selectors.may_manage(user):
            visible = set(
                selectors.progress_for(user).filter(task=obj).values_list("pk", flat=True)
            )
            rows = [p for p in rows if p.pk in visible]
        return CampaignTaskProgressSerializer(rows, many=True).data


class CampaignProgressReportSerializer(serializers.Serializer):
    unit = ScopedUnitField()
    status = progress_status_field()
    note = serializers.CharField(required=False, allow_blank=True, default="")
    files = files_field()


class CampaignKeyTaskViewSet(
    IdempotentCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Key tasks (重点任务) with lead and responsible units; ``POST …/{id}/progress`` is a
    responsible unit's progress report."""

    serializer_class = CampaignKeyTaskSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_fields = ["campaign", "group"]
    ordering_fields = ["id", "number"]
    ordering = ["campaign", "number"]

    def get_queryset(self):
        return selectors.key_tasks_for(self.request.user).prefetch_related("progress__unit")

    def perform_create(self, serializer):
        serializer.instance = services.key_task_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        """``PATCH`` title, content, group, deadline (``due_on``) or units."""
        task, data = serializer.instance, serializer.validated_data
        services.key_task_update(
            actor=self.request.user,
            task=task,
            title=data.get("title", task.title),
            content=data.get("content", task.content),
            group=data.get("group", task.group),
            due_on=data.get("due_on", task.due_on),
            lead_units=data.get("lead_units"),
            responsible_units=data.get("responsible_units"),
        )
        serializer.instance = self.get_queryset().get(pk=task.pk)

    @extend_schema(request=CampaignProgressReportSerializer, responses=CampaignKeyTaskSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        task = self.get_object()
        body = CampaignProgressReportSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        body.is_valid(raise_exception=True)
        services.key_task_report(actor=request.user, task=task, **body.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=task.pk)).data)
