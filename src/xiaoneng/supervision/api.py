"""REST API of social supervision: the roster (``/supervisors``: appoint, edit, ``end``,
``reappoint``; the office) and reports (``/supervisor-reports``: a supervisor files and reads
their own; the office triages with ``to-complaint``, ``to-issue`` or ``note``). Reads go
through ``selectors`` (someone else's report = 404); writes through ``services``."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoneng.complaints.models import Category
from xiaoneng.complaints.vocab import Type
from xiaoneng.core.api.choices import NamedChoiceField
from xiaoneng.core.api.fields import files_field
from xiaoneng.core.idempotency import IdempotentCreateMixin
from xiaoneng.core.models import Person, Unit
from xiaoneng.rectification.vocab import Severity

from . import selectors, services
from .models import Report, Supervisor
from .vocab import ReportKind, ReportStatus, SupervisorKind, SupervisorStatus


class SupervisorSerializer(serializers.ModelSerializer):
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.filter(is_active=True))
    person_name = serializers.CharField(source="person.name", read_only=True)
    kind = NamedChoiceField(SupervisorKind.choices, enum_name="SupervisorKindEnum")
    status = NamedChoiceField(
        SupervisorStatus.choices, enum_name="SupervisorStatusEnum", read_only=True
    )
    in_term = serializers.SerializerMethodField()

    class Meta:
        model = Supervisor
        fields = [
            "id",
            "person",
            "person_name",
            "kind",
            "affiliation",
            "term_starts_on",
            "term_ends_on",
            "appointment_doc",
            "status",
            "ended_reason",
            "in_term",
        ]
        read_only_fields = ["id", "status", "ended_reason"]
        validators: list = []  # the service says when a person is already on the roster

    def get_in_term(self, obj) -> bool:
        return services.in_term(obj)


class SupervisorEndSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class SupervisorReappointSerializer(serializers.Serializer):
    term_starts_on = serializers.DateField()
    term_ends_on = serializers.DateField()
    appointment_doc = serializers.CharField(max_length=100, required=False, default="")


class SupervisorViewSet(
    IdempotentCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The roster of social supervisors (行风社会监督员 / 效能监督员) with their terms."""

    serializer_class = SupervisorSerializer
    filterset_fields = ["status", "kind"]
    ordering = ["status", "term_ends_on", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.supervisors_for(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.supervisor_appoint(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        s, data = serializer.instance, serializer.validated_data
        serializer.instance = services.supervisor_update(
            actor=self.request.user,
            supervisor=s,
            kind=data.get("kind", s.kind),
            term_starts_on=data.get("term_starts_on", s.term_starts_on),
            term_ends_on=data.get("term_ends_on", s.term_ends_on),
            affiliation=data.get("affiliation", s.affiliation),
            appointment_doc=data.get("appointment_doc", s.appointment_doc),
        )

    @extend_schema(request=SupervisorEndSerializer, responses=SupervisorSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        supervisor = self.get_object()
        body = SupervisorEndSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.supervisor_end(actor=request.user, supervisor=supervisor, **body.validated_data)
        return Response(self.get_serializer(supervisor).data)

    @extend_schema(request=SupervisorReappointSerializer, responses=SupervisorSerializer)
    @action(detail=True, methods=["post"])
    def reappoint(self, request, pk=None):
        supervisor = self.get_object()
        body = SupervisorReappointSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.supervisor_reappoint(
            actor=request.user, supervisor=supervisor, **body.validated_data
        )
        return Response(self.get_serializer(supervisor).data)


# --- reports ------------------------------------------------------------------------------------------
class SupervisorOutcomeSerializer(serializers.Serializer):
    label = serializers.CharField()
    number = serializers.CharField()
    reply = serializers.CharField()
    replied_at = serializers.DateTimeField(allow_null=True)
    answer = serializers.CharField()


class SupervisorReportSerializer(serializers.ModelSerializer):
    kind = NamedChoiceField(ReportKind.choices, enum_name="SupervisorReportKindEnum")
    status = NamedChoiceField(
        ReportStatus.choices, enum_name="SupervisorReportStatusEnum", read_only=True
    )
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.filter(is_active=True))
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    files = files_field()
    observed_at = serializers.DateTimeField(required=False)
    outcome = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "kind",
            "unit",
            "unit_name",
            "place",
            "observed_at",
            "title",
            "content",
            "files",
            "submitted_at",
            "status",
            "outcome",
        ]
        read_only_fields = ["id", "submitted_at", "status"]

    @extend_schema_field(SupervisorOutcomeSerializer)
    def get_outcome(self, obj):
        return SupervisorOutcomeSerializer(selectors.outcome(obj)).data


class SupervisorToComplaintSerializer(serializers.Serializer):
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.filter(is_active=True))
    type = NamedChoiceField(
        Type.choices, enum_name="SupervisorComplaintTypeEnum", default="complaint"
    )
    answer = serializers.CharField(required=False, allow_blank=True, default="")


class SupervisorToIssueSerializer(serializers.Serializer):
    severity = NamedChoiceField(
        Severity.choices, enum_name="SupervisorIssueSeverityEnum", default="general"
    )
    answer = serializers.CharField(required=False, allow_blank=True, default="")


class SupervisorNoteSerializer(serializers.Serializer):
    answer = serializers.CharField()


class SupervisorReportViewSet(
    IdempotentCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """What supervisors file. A supervisor in term files and sees their own (with its public
    outcome); the office sees all and decides once what each becomes."""

    serializer_class = SupervisorReportSerializer
    filterset_fields = ["status", "kind", "unit"]
    ordering = ["-submitted_at", "-id"]

    def get_queryset(self):
        return selectors.reports_for(self.request.user).prefetch_related("files")

    def perform_create(self, serializer):
        serializer.instance = services.report_file(
            actor=self.request.user, **serializer.validated_data
        )

    def _reply(self, report):
        return Response(self.get_serializer(self.get_queryset().get(pk=report.pk)).data)

    @extend_schema(request=SupervisorToComplaintSerializer, responses=SupervisorReportSerializer)
    @action(detail=True, methods=["post"], url_path="to-complaint")
    def to_complaint(self, request, pk=None):
        report = self.get_object()
        body = SupervisorToComplaintSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.report_to_complaint(actor=request.user, report=report, **body.validated_data)
        return self._reply(report)

    @extend_schema(request=SupervisorToIssueSerializer, responses=SupervisorReportSerializer)
    @action(detail=True, methods=["post"], url_path="to-issue")
    def to_issue(self, request, pk=None):
        report = self.get_object()
        body = SupervisorToIssueSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.report_to_issue(actor=request.user, report=report, **body.validated_data)
        return self._reply(report)

    @extend_schema(request=SupervisorNoteSerializer, responses=SupervisorReportSerializer)
    @action(detail=True, methods=["post"])
    def note(self, request, pk=None):
        report = self.get_object()
        body = SupervisorNoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.report_note(actor=request.user, report=report, **body.validated_data)
        return self._reply(report)
