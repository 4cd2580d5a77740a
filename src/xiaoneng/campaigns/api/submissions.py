"""API of reporting requirements and the units submissions."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoneng.core.api.fields import OwnFileField, ScopedUnitField, files_field
from xiaoneng.core.idempotency import IdempotentCreateMixin
from xiaoneng.core.params import api_params

from .. import selectors, services
from ..models import (
    Campaign,
    Phase,
    Recurrence,
    ReportingRequirement,
    Submission,
)
from .fields import CampaignChoiceField


# --- requirements ------------------------------------------------------------------------------------
class CampaignRequirementSerializer(serializers.ModelSerializer):
    campaign = serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.none())
    phase = serializers.PrimaryKeyRelatedField(
        queryset=Phase.objects.all(), required=False, allow_null=True
    )
    units = ScopedUnitField(many=True, required=False)
    template_file = OwnFileField(required=False, allow_null=True)
    recurrence = CampaignChoiceField(
        Recurrence.choices, enum_name="CampaignRecurrenceEnum", required=False, default=""
    )

    class Meta:
        model = ReportingRequirement
        fields = [
            "id",
            "campaign",
            "phase",
            "name",
            "description",
            "units",
            "due_on",
            "recurrence",
            "repeat_until",
            "template_file",
        ]
        read_only_fields = ["id"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["campaign"].queryset = selectors.campaigns_for(request.user)
        return fields


class CampaignRequirementViewSet(
    IdempotentCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Reporting requirements (报送要求): a deliverable the listed units owe by a date, or weekly /
    monthly up to ``repeat_until``; creating one creates each unit's submissions."""

    serializer_class = CampaignRequirementSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_fields = ["campaign", "phase", "recurrence"]
    ordering_fields = ["id", "due_on"]
    ordering = ["due_on", "id"]

    def get_queryset(self):
        return selectors.requirements_for(self.request.user).prefetch_related("units")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        if not data.get("units"):
            data.pop("units", None)
        serializer.instance = services.requirement_create(actor=self.request.user, **data)

    def perform_update(self, serializer):
        """``PATCH`` name, description, phase or due date: what the units still owe is re-dated
        with the due date (a series as a whole) and they are notified."""
        req, data = serializer.instance, serializer.validated_data
        serializer.instance = services.requirement_update(
            actor=self.request.user,
            requirement=req,
            name=data.get("name", req.name),
            due_on=data.get("due_on", req.due_on),
            description=data.get("description", req.description),
            phase=data.get("phase", req.phase),
        )


# --- submissions -------------------------------------------------------------------------------------
class CampaignSubmissionSerializer(serializers.ModelSerializer):
    campaign = serializers.IntegerField(source="requirement.campaign_id", read_only=True)
    requirement_name = serializers.CharField(source="requirement.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    overdue = serializers.SerializerMethodField()
    display_status = serializers.SerializerMethodField()
    status = CampaignChoiceField(
        Submission.Status.choices, enum_name="CampaignSubmissionStatusEnum", read_only=True
    )
    files = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Submission
        fields = [
            "id",
            "campaign",
            "requirement",
            "requirement_name",
            "unit",
            "unit_name",
            "due_on",
            "status",
            "display_status",
            "overdue",
            "text",
            "files",
            "submitted_at",
            "reviewed_at",
            "return_reason",
        ]
        read_only_fields = fields

    def get_overdue(self, obj) -> bool:
        return selectors.is_overdue(obj)

    def get_display_status(self, obj) -> str:
        return selectors.display_status(obj)[1]


class CampaignSubmitSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, default="")
    files = files_field()


class CampaignReturnSerializer(serializers.Serializer):
    reason = serializers.CharField()


class CampaignSubmissionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """What each unit owes (states 未报送 / 已报送 / 逾期报送 / 已退回 / 已通过; ``overdue`` is
    computed from now). A unit sees and submits only its own; the office reviews all.
    ``?overdue=true`` lists the late ones."""

    serializer_class = CampaignSubmissionSerializer
    filterset_fields = ["requirement", "unit", "status", "due_on", "requirement__campaign"]
    ordering_fields = ["id", "due_on", "status"]
    ordering = ["due_on", "id"]

    def get_queryset(self):
        qs = selectors.submissions_for(self.request.user).prefetch_related("files")
        params = api_params(self.request)
        campaign, overdue = params.id("campaign"), params.bool("overdue")
        params.check()
        if campaign:
            qs = qs.filter(requirement__campaign_id=campaign)
        if overdue:
            qs = qs.filter(selectors.overdue_q())
        return qs

    def _reply(self, submission):
        return Response(self.get_serializer(self.get_queryset().get(pk=submission.pk)).data)

    @extend_schema(request=CampaignSubmitSerializer, responses=CampaignSubmissionSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        submission = self.get_object()
        body = CampaignSubmitSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        services.submission_submit(actor=request.user, submission=submission, **body.validated_data)
        return self._reply(submission)

    @extend_schema(request=None, responses=CampaignSubmissionSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        submission = self.get_object()
        services.submission_accept(actor=request.user, submission=submission)
        return self._reply(submission)

    @extend_schema(request=CampaignReturnSerializer, responses=CampaignSubmissionSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        submission = self.get_object()
        body = CampaignReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.submission_return(
            actor=request.user, submission=submission, reason=body.validated_data["reason"]
        )
        return self._reply(submission)
