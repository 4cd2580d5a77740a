"""Uploads are checked by content, capped in size, and images lose their metadata."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from xiaoneng.core.errors import ValidationFailed
from xiaoneng.core.files import PUBLIC_ALLOWED, store_bytes, store_upload
from xiaoneng.core.models import AuditRecord

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def jpeg_with_gps() -> bytes:
    img = Image.new("RGB", (16, 16), "red")
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    exif[0x8825] = {1: "N", 2: (30.0, 15.0, 0.0)}
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_an_image_is_re_encoded_without_exif():
    data = jpeg_with_gps()
    assert b"CameraMaker" in data
    stored = store_bytes(data=data, name="../../photo.jpg")
    saved = stored.file.read()
    assert stored.content_type == "image/jpeg"
    assert stored.name == "photo.jpg"  # no path tricks
    assert b"CameraMaker" not in saved and b"Exif" not in saved
    with Image.open(io.BytesIO(saved)) as img:
        assert img.size == (16, 16) and not img.getexif()
    assert AuditRecord.objects.filter(action="create", object_id=str(stored.pk)).exists()


def test_the_type_comes_from_the_content_not_the_name():
    stored = store_bytes(data=PDF, name="scan.jpg")
    assert stored.content_type == "application/pdf"
    with pytest.raises(ValidationFailed) as exc:
        store_bytes(data=b"MZ\x90\x00" + b"\x00" * 200, name="photo.jpg")  # a Windows program
    assert "file" in exc.value.errors


def test_the_public_list_refuses_office_documents(settings):
    with pytest.raises(ValidationFailed):
        store_bytes(
            data=b"PK\x03\x04" + b"\x00" * 30 + b"word/document.xml",
            name="a.docx",
            allowed=PUBLIC_ALLOWED,
        )


def test_files_over_the_limit_are_refused(settings):
    settings.XIAONENG_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationFailed) as exc:
        store_upload(upload=SimpleUploadedFile("big.pdf", PDF + b"0" * 2048))
    assert "1.0" in exc.value.detail  # "1.0 KB", not raw bytes
