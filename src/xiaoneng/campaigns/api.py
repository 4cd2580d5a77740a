"""REST API of campaigns: templates, campaigns (from a template or from scratch) with their
phases, reporting requirements, submissions (``submit`` / ``accept`` / ``return``), key tasks,
targets and target measurements.

Reads go through ``selectors`` (units see their own; the office all; out of scope = 404);
writes through ``services``. Component names carry the ``Campaign`` prefix.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_choice_field
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoneng.core.api.fields import OwnFileField, ScopedUnitField, files_field
from xiaoneng.core.errors import ValidationFailed
from xiaoneng.core.params import api_params

from . import selectors, services
from .models import (
    Campaign,
    CampaignKind,
    CampaignTemplate,
    Comparator,
    EvaluationMethod,
    KeyTask,
    KeyTaskProgress,
    Phase,
    Recurrence,
    ReportingRequirement,
    Submission,
    Target,
    TargetMeasurement,
)


# --- fields -------------------------------------------------------------------------------------
class CampaignChoiceField(serializers.ChoiceField):
    """A choice field documented as one named enum component, so generic property names
    (kind, status) never collide with other apps' enums."""

    def __init__(self, choices, *, enum_name: str, **kwargs):
        self.enum_name = enum_name
        super().__init__(choices, **kwargs)


class CampaignChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = CampaignChoiceField
    match_subclasses = True

    def get_name(self) -> str:
        return self.target.enum_name

    def map_serializer_field(self, auto_schema, direction):
        schema = build_choice_field(self.target)
        schema.pop("x-spec-enum-id", None)
        return schema


def kind_field(**kwargs):
    return CampaignChoiceField(CampaignKind.choices, enum_name="CampaignKindEnum", **kwargs)


# --- templates ------------------------------------------------------------------------------------
class CampaignTemplateSerializer(serializers.ModelSerializer):
    kind = kind_field(read_only=True)
    spans_years = serializers.IntegerField(read_only=True)

    class Meta:
        model = CampaignTemplate
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "source",
            "description",
            "guiding_ideas",
            "goals",
            "spans_years",
            "spec",
        ]


class CampaignTemplateViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The campaign plans seeded from the seeds (效能风暴, 作风整顿, 转作风提效能, 机关效能建设,
    创建文明城市): phases as month/day offsets, deliverables, key tasks, targets."""

    serializer_class = CampaignTemplateSerializer
    filterset_fields = ["code", "kind"]
    ordering = ["sort_order", "id"]

    def get_queryset(self):
        return selectors.templates_for(self.request.user)


# --- campaigns -------------------------------------------------------------------------------------
class CampaignPhaseSerializer(serializers.ModelSerializer):
    is_current = serializers.SerializerMethodField()

    class Meta:
        model = Phase
        fields = ["id", "order", "name", "description", "starts_on", "ends_on", "is_current"]
        read_only_fields = ["id", "order"]

    def get_is_current(self, obj) -> bool:
        return obj.pk == self.context.get("current_phase_id")


class CampaignSerializer(serializers.ModelSerializer):
    units = ScopedUnitField(many=True, required=False)
    issuing_unit = ScopedUnitField(required=False, allow_null=True)
    template = serializers.PrimaryKeyRelatedField(
        queryset=CampaignTemplate.objects.filter(is_active=True), required=False, allow_null=True
    )
    year = serializers.IntegerField(
        write_only=True, required=False, help_text="First year, with a template."
    )
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False)
    kind = kind_field(required=False)
    status = CampaignChoiceField(
        Campaign.Status.choices, enum_name="CampaignStatusEnum", read_only=True
    )
    current_phase = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "id",
            "template",
            "year",
            "name",
            "kind",
            "doc_number",
            "issuing_unit",
            "units",
            "guiding_ideas",
            "goals",
            "starts_on",
            "ends_on",
            "status",
            "reminder_days",
            "current_phase",
            "created_at",
        ]
        read_only_fields = ["id", "status", "created_at"]

    @extend_schema_field(CampaignPhaseSerializer(allow_null=True))
    def get_current_phase(self, obj):
        phase = selectors.current_phase(selectors.phases_of(obj))
        if phase is None:
            return None
        return CampaignPhaseSerializer(phase, context={"current_phase_id": phase.pk}).data

    def validate(self, attrs):
        if attrs.get("template") is not None:
            if not attrs.get("year"):
                raise serializers.ValidationError({"year": [_("This field is required.")]})
        else:
            missing = [f for f in ("name", "starts_on", "ends_on") if not attrs.get(f)]
            if missing:
                raise serializers.ValidationError(
                    {f: [_("This field is required.")] for f in missing}
                )
        return attrs


class CampaignUrgeResultSerializer(serializers.Serializer):
    late = serializers.IntegerField()


class CampaignViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Campaigns. Create from a template with ``{"template": id, "year": 2026}`` (dates roll to
    that year) or from scratch (name, starts_on, ends_on, …). Units see the campaigns they are in
    once started; the office (campaign.manage) sees all."""

    serializer_class = CampaignSerializer
    filterset_fields = ["status", "kind", "template"]
    ordering_fields = ["id", "starts_on", "name"]
    ordering = ["-starts_on", "-id"]

    def get_queryset(self):
        return selectors.campaigns_for(self.request.user).prefetch_related("units")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        template, year = data.pop("template", None), data.pop("year", None)
        with transaction.atomic():
            if template is not None:
                keep = {
                    k: data[k] for k in ("name", "doc_number", "issuing_unit", "units") if k in data
                }
                if "reminder_days" in data:
                    keep["reminder_days"] = data["reminder_days"]
                serializer.instance = services.campaign_create_from_template(
                    actor=self.request.user, template=template, year=year, **keep
                )
            else:
                serializer.instance = services.campaign_create(actor=self.request.user, **data)

    def _reply(self, campaign):
        return Response(self.get_serializer(self.get_queryset().get(pk=campaign.pk)).data)

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        campaign = self.get_object()
        services.campaign_start(actor=request.user, campaign=campaign)
        return self._reply(campaign)

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        campaign = self.get_object()
        services.campaign_close(actor=request.user, campaign=campaign)
        return self._reply(campaign)

    @extend_schema(request=None, responses=CampaignPhaseSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filterset_fields=[])
    def phases(self, request, pk=None):
        campaign = self.get_object()
        phases = selectors.phases_of(campaign)
        current = selectors.current_phase(phases)
        context = {"current_phase_id": current.pk if current else None}
        return Response(CampaignPhaseSerializer(phases, many=True, context=context).data)

    @extend_schema(request=None, responses=CampaignUrgeResultSerializer)
    @action(detail=True, methods=["post"])
    def urge(self, request, pk=None):
        """催报: remind every unit late on any deliverable."""
        campaign = self.get_object()
        late = services.submissions_urge(actor=request.user, campaign=campaign)
        return Response({"late": late})


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
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Reporting requirements (报送要求): a deliverable the listed units owe by a date, or weekly /
    monthly up to ``repeat_until``; creating one creates each unit's submissions."""

    serializer_class = CampaignRequirementSerializer
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
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Key tasks (重点任务) with lead and responsible units; ``POST …/{id}/progress`` is a
    responsible unit's progress report."""

    serializer_class = CampaignKeyTaskSerializer
    filterset_fields = ["campaign", "group"]
    ordering_fields = ["id", "number"]
    ordering = ["campaign", "number"]

    def get_queryset(self):
        return selectors.key_tasks_for(self.request.user).prefetch_related("progress__unit")

    def perform_create(self, serializer):
        serializer.instance = services.key_task_create(
            actor=self.request.user, **serializer.validated_data
        )

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
