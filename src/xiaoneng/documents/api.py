"""/api/v1/documents and /api/v1/archives (a leaf: only api_urls.py imports it)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from xiaoneng.campaigns import selectors as campaigns
from xiaoneng.core.errors import Conflict, Forbidden, ValidationFailed
from xiaoneng.core.files import download_response
from xiaoneng.core.idempotency import idempotent
from xiaoneng.core.models import Job
from xiaoneng.core.selectors import unit_choices

from . import archive, selectors, services
from .content import content_of
from .downloads import DOCX, _file, file_name
from .models import Document
from .render_docx import render_docx
from .render_pdf import render_pdf


class DocumentSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    template_version = serializers.IntegerField(source="template.version", read_only=True)
    signed_by = serializers.CharField(source="signed_by.username", read_only=True, default=None)

    class Meta:
        model = Document
        fields = [
            "id", "kind", "kind_label", "template", "template_version", "unit", "campaign",
            "source", "source_ref", "status", "status_label", "number", "year", "sequence",
            "mark", "title", "addressee", "body", "attachments", "signature", "cc",
            "printed_by", "public", "recipients", "corrects", "dated", "signed_by",
            "signed_at", "return_reason", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class DocumentCreateSerializer(serializers.Serializer):
    template = serializers.IntegerField()
    unit = serializers.IntegerField()
    source_ref = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


class DocumentUpdateSerializer(serializers.Serializer):
    mark = serializers.CharField(max_length=60, required=False)
    title = serializers.CharField(max_length=300, required=False)
    addressee = serializers.CharField(max_length=300, required=False, allow_blank=True)
    body = serializers.CharField(max_length=50000, required=False)
    attachments = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    signature = serializers.CharField(max_length=100, required=False, allow_blank=True)
    cc = serializers.CharField(max_length=300, required=False, allow_blank=True)
    printed_by = serializers.CharField(max_length=100, required=False, allow_blank=True)
    public = serializers.BooleanField(required=False)
    recipients = serializers.ListField(child=serializers.IntegerField(), required=False)


class DocumentReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


def _bad(field: str) -> ValidationFailed:
    return ValidationFailed(
        _("Please correct the errors below."), errors={field: [_("Not found.")]}
    )


class DocumentViewSet(viewsets.GenericViewSet):
    """Official documents in your scope; drafts from a template and its source record; the
    issue flow as actions (an illegal step, or any edit of an issued document, is 409)."""

    serializer_class = DocumentSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Document.objects.none()
        return selectors.documents_for(self.request.user).order_by("-updated_at", "-pk")

    def get_object(self):
        return selectors.get_document(self.request.user, self.kwargs["pk"])

    def _out(self, doc: Document, code=status.HTTP_200_OK) -> Response:
        fresh = Document.objects.get(pk=doc.pk)
        return Response(DocumentSerializer(fresh).data, status=code)

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(DocumentSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(DocumentSerializer(self.get_object()).data)

    @extend_schema(request=DocumentCreateSerializer, responses={201: DocumentSerializer})
    @idempotent
    def create(self, request):
        user = request.user
        if not user.has_permission("document.draft"):
            raise Forbidden(_("You do not have permission to do this."))
        data = DocumentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        template = selectors.templates_for(user).filter(pk=v["template"]).first()
        if template is None:
            raise _bad("template")
        unit = unit_choices(user).filter(pk=v["unit"]).first()
        if unit is None:
            raise _bad("unit")
        doc = services.document_draft(
            actor=user, template=template, unit=unit, source_ref=v["source_ref"]
        )
        return Response(DocumentSerializer(doc).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DocumentUpdateSerializer, responses={200: DocumentSerializer})
    def partial_update(self, request, pk=None):
        doc = self.get_object()
        data = DocumentUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        if "recipients" in changes:
            ids = changes.pop("recipients")
            units = list(unit_choices(request.user).filter(pk__in=ids))
            if len(units) != len(set(ids)):
                raise _bad("recipients")
            changes["recipients"] = units
        services.document_update(actor=request.user, document=doc, **changes)
        return self._out(doc)

    def _step(self, fn, **kwargs) -> Response:
        doc = self.get_object()
        fn(actor=self.request.user, document=doc, **kwargs)
        return self._out(doc)

    @extend_schema(request=None, responses={200: DocumentSerializer})
    @action(detail=True, methods=["post"])
    def render(self, request, pk=None):
        """Fill the draft again from its template and the source record's current figures."""
        return self._step(services.document_refill)

    @extend_schema(request=None, responses={200: DocumentSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._step(services.document_submit)

    @extend_schema(request=None, responses={200: DocumentSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._step(services.document_approve)

    @extend_schema(request=DocumentReasonSerializer, responses={200: DocumentSerializer})
    @action(detail=True, methods=["post"], url_path="send-back", url_name="send-back")
    def send_back(self, request, pk=None):
        data = DocumentReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._step(services.document_send_back, reason=data.validated_data["reason"])

    @extend_schema(request=None, responses={200: DocumentSerializer})
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        """A leader signs: numbered, dated and issued (immutable from then on)."""
        return self._step(services.document_sign)

    @extend_schema(request=None, responses={201: DocumentSerializer})
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        new = services.document_correct(actor=request.user, document=self.get_object())
        return self._out(new, status.HTTP_201_CREATED)

    @extend_schema(responses={(200, DOCX): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def docx(self, request, pk=None):
        doc = self.get_object()
        return _file(render_docx(content_of(doc)), file_name(doc, ".docx"), DOCX)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        doc = self.get_object()
        return _file(render_pdf(content_of(doc)), file_name(doc, ".pdf"), "application/pdf")


class ArchiveSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    status = serializers.CharField(read_only=True)
    percent = serializers.IntegerField(read_only=True)
    campaign = serializers.IntegerField(source="params.campaign", read_only=True)
    result = serializers.JSONField(read_only=True)
    errors = serializers.JSONField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    finished_at = serializers.DateTimeField(read_only=True)


class ArchiveCreateSerializer(serializers.Serializer):
    campaign = serializers.IntegerField()


class ArchiveViewSet(viewsets.GenericViewSet):
    """Campaign archives you started: POST starts the job (202), GET polls it, download
    fetches the .zip when done."""

    serializer_class = ArchiveSerializer
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Job.objects.none()
        return selectors.archives_for(self.request.user)

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ArchiveSerializer(page, many=True).data)

    def retrieve(self, request, pk=None):
        return Response(ArchiveSerializer(selectors.get_archive(request.user, pk)).data)

    @extend_schema(request=ArchiveCreateSerializer, responses={202: ArchiveSerializer})
    def create(self, request):
        if not request.user.has_permission("document.draft"):
            raise Forbidden(_("You do not have permission to do this."))
        data = ArchiveCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        campaign = (
            campaigns.campaigns_for(request.user).filter(pk=data.validated_data["campaign"]).first()
        )
        if campaign is None:
            raise _bad("campaign")
        job = archive.archive_start(actor=request.user, campaign=campaign)
        job.refresh_from_db()
        return Response(ArchiveSerializer(job).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        job = selectors.get_archive(request.user, pk)
        if job.output_file is None:
            raise Conflict(_("The archive is not ready yet."))
        return download_response(job.output_file)
