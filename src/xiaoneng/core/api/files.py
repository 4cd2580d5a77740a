"""POST /api/v1/files (upload first, reference by id), GET /api/v1/files/{id} (download, for
whoever may see an object the file belongs to) and GET /api/v1/jobs/{id} (progress)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from ..errors import NotFound, ValidationFailed
from ..files import download_response, readable_file_or_404, store_upload
from ..models import Job
from .fields import StoredFileSerializer


class FileUpload(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={
            "multipart/form-data": inline_serializer(
                "FileUploadRequest", {"file": serializers.FileField()}
            )
        },
        responses={201: StoredFileSerializer},
    )
    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            msg = _("Choose a file to upload.")
            raise ValidationFailed(msg, errors={"file": [msg]})
        stored = store_upload(upload=upload, actor=request.user)
        return Response(StoredFileSerializer(stored).data, status=status.HTTP_201_CREATED)


class FileDownload(APIView):
    """The file's bytes as an attachment (nosniff); 404 unless the caller uploaded it or may see
    an object it belongs to (the same rule as the pages' /files/{id}/)."""

    @extend_schema(
        responses={(200, "application/octet-stream"): bytes},
    )
    def get(self, request, pk: int):
        return download_response(readable_file_or_404(request.user, pk))


class JobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    output_file = StoredFileSerializer(read_only=True, allow_null=True)  # until it is done

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "status",
            "total",
            "done",
            "percent",
            "errors",
            "result",
            "output_file",
            "created_at",
            "finished_at",
        ]


class JobDetail(APIView):
    """A job is visible to the user who started it (and superusers)."""

    @extend_schema(responses=JobSerializer)
    def get(self, request, pk: int):
        qs = Job.objects.select_related("output_file")
        if not request.user.is_superuser:
            qs = qs.filter(created_by=request.user)
        job = qs.filter(pk=pk).first()
        if job is None:
            raise NotFound()
        return Response(JobSerializer(job).data)
