"""/api/v1/service-standards, /api/v1/service-logs (upload → job), /api/v1/service-compliance."""

from __future__ import annotations

import hashlib

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from xiaoneng.core.errors import Conflict, Forbidden, ValidationFailed
from xiaoneng.core.params import api_params

from . import selectors, services
from .models import ComplianceResult, LogImport, LogSource, ServiceStandard

IDEMPOTENCY_HEADER = "Idempotency-Key"


class StandardSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceStandard
        fields = [
            "id",
            "code",
            "name",
            "start_event",
            "end_event",
            "limit_minutes",
            "calendar_kind",
            "threshold_percent",
            "missing_end",
            "source_quote",
            "is_active",
        ]


class ImportSerializer(serializers.ModelSerializer):
    source = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status = serializers.CharField(source="job.status", read_only=True)
    percent = serializers.IntegerField(source="job.percent", read_only=True)
    errors = serializers.JSONField(source="job.errors", read_only=True)
    result = serializers.JSONField(source="job.result", read_only=True)

    class Meta:
        model = LogImport
        fields = [
            "id",
            "source",
            "file_name",
            "file_kind",
            "status",
            "percent",
            "rows",
            "added",
            "duplicates",
            "errors",
            "result",
            "created_at",
        ]


class ServiceCaseSerializer(serializers.Serializer):
    encounter = serializers.CharField()
    start = serializers.CharField(help_text="Local time, YYYY-MM-DD HH:MM:SS.")
    end = serializers.CharField(allow_null=True, help_text="Null: no end event.")
    seconds = serializers.FloatField(allow_null=True)
    department_id = serializers.IntegerField(allow_null=True)


class ResultSerializer(serializers.ModelSerializer):
    standard = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    department_name = serializers.CharField(source="department.name", default=None, read_only=True)
    month = serializers.DateField(format="%Y-%m")
    below_threshold = serializers.BooleanField(read_only=True)
    worst = serializers.SerializerMethodField(
        help_text="The worst cases (at most 10), read from the event store: in one result "
        "(GET /service-compliance/{id}); null in lists."
    )

    class Meta:
        model = ComplianceResult
        fields = [
            "id",
            "standard",
            "unit",
            "unit_name",
            "department",
            "department_name",
            "month",
            "cases",
            "compliant",
            "missing_end",
            "excluded",
            "rate",
            "median_seconds",
            "p90_seconds",
            "limit_minutes",
            "threshold_percent",
            "below_threshold",
            "worst",
        ]

    @extend_schema_field(ServiceCaseSerializer(many=True, allow_null=True))
    def get_worst(self, obj: ComplianceResult) -> list[dict] | None:
        return selectors.worst_cases(obj) if self.context.get("worst") else None


class StandardList(generics.ListAPIView):
    """The service time standards (限时服务) with their limits and thresholds."""

    serializer_class = StandardSerializer
    permission_classes = [IsAuthenticated]
    queryset = ServiceStandard.objects.all()


class LogList(generics.ListCreateAPIView):
    """Log imports (the office's). POST a file (multipart: ``source`` code, ``file``) → 202 with
    the import; poll ``/service-logs/{id}`` for the job's progress and row errors."""

    serializer_class = ImportSerializer
    parser_classes = [MultiPartParser, FormParser]
    max_body_bytes = 64 * 1024 * 1024

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return LogImport.objects.none()
        return selectors.imports_for(self.request.user)

    @extend_schema(
        request={
            "multipart/form-data": inline_serializer(
                "ServiceLogUpload",
                {"source": serializers.CharField(), "file": serializers.FileField()},
            )
        },
        responses={202: ImportSerializer},
    )
    def post(self, request, *args, **kwargs):
        user = request.user
        if not selectors.may_manage(user):
            raise Forbidden(_("You may not import logs."))
        source = LogSource.objects.filter(code=str(request.data.get("source", ""))).first()
        upload = request.FILES.get("file")
        errors = {}
        if source is None:
            errors["source"] = [_("Select a valid choice.")]
        if upload is None:
            errors["file"] = [_("This field is required.")]
        if errors:
            raise ValidationFailed(_("Please correct the errors below."), errors=errors)
        data = upload.read()
        key = request.headers.get(IDEMPOTENCY_HEADER, "")[:200]
        if key:
            earlier = LogImport.objects.filter(
                created_by=user, job__params__idempotency_key=key
            ).first()
            if earlier is not None:
                if earlier.sha256 != hashlib.sha256(data).hexdigest() or earlier.source != source:
                    raise Conflict(
                        _("This Idempotency-Key was already used with a different request body.")
                    )
                return Response(ImportSerializer(earlier).data, status=status.HTTP_202_ACCEPTED)
        record = services.import_start(
            actor=user, source=source, data=data, name=upload.name, idempotency_key=key
        )
        return Response(ImportSerializer(record).data, status=status.HTTP_202_ACCEPTED)


class LogDetail(generics.RetrieveAPIView):
    serializer_class = ImportSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return LogImport.objects.none()
        return selectors.imports_for(self.request.user)


class ComplianceList(generics.ListAPIView):
    """Compliance figures in the caller's scope. Filters: ``month`` (YYYY-MM), ``standard``
    (code), ``unit`` (id), ``department`` (id, or ``whole=true`` for whole-unit rows only).
    ``worst`` is null here: the cases are read from the event store for one result at a time
    (``GET /service-compliance/{id}``)."""

    serializer_class = ResultSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ComplianceResult.objects.none()
        params = api_params(self.request)
        unit = params.id("unit")
        department = params.id("department")
        whole = params.bool("whole")
        params.check()
        qs = selectors.results_for(self.request.user).order_by(
            "-month", "standard__order", "unit__name", "pk"
        )
        month = self.request.query_params.get("month", "")
        if month:
            if (
                len(month) != 7
                or month[4] != "-"
                or not (month[:4] + month[5:]).isascii()
                or not (month[:4] + month[5:]).isdigit()
            ):
                raise ValidationFailed(
                    _("Give the month as YYYY-MM."),
                    errors={"month": [_("Give the month as YYYY-MM.")]},
                )
            qs = qs.filter(month=f"{month}-01")
        if self.request.query_params.get("standard"):
            qs = qs.filter(standard__code=self.request.query_params["standard"])
        if unit:
            qs = qs.filter(unit_id=unit)
        if department:
            qs = qs.filter(department_id=department)
        if whole:
            qs = qs.filter(department__isnull=True)
        return qs


class ComplianceDetail(generics.RetrieveAPIView):
    """One result in the caller's scope, with its worst cases (read from the event store)."""

    serializer_class = ResultSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ComplianceResult.objects.none()
        return selectors.results_for(self.request.user)

    def get_serializer_context(self):
        return super().get_serializer_context() | {"worst": True}
