"""Issue 21 item 10: uploads are stored under random names with the extension of the detected
type, and served only through the authorising download views (attachment, nosniff; scope → 404)."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from xiaoneng.complaints import services as complaint_services
from xiaoneng.complaints.models import Category
from xiaoneng.core import files
from xiaoneng.core.models import Job

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def attached(org, name="evil.html"):
    """A PDF named like a web page, attached by the office to a case of unit A."""
    stored = files.store_bytes(data=PDF, name=name, actor=org.alice)
    complaint = complaint_services.complaint_register(
        actor=org.alice,
        channel="phone",
        type="complaint",
        category=Category.objects.get_or_create(code="files-test", defaults={"name": "测试"})[0],
        subject_unit=org.unit_a,
        title="收费不明",
        content="重复收费。",
        attachments=[stored],
    )
    complaint_services.complaint_dispatch(complaint=complaint, actor=org.alice, unit=org.unit_a)
    return stored, complaint


def test_a_file_is_stored_under_a_random_name_with_the_detected_extension(org):
    first = files.store_bytes(data=PDF, name="evil.html", actor=org.alice)
    second = files.store_bytes(data=PDF, name="evil.html", actor=org.alice)
    for stored in (first, second):
        base = stored.file.name.rsplit("/", 1)[-1]
        assert re.fullmatch(r"[0-9a-f]{32}\.pdf", base), base
        assert stored.name == "evil.html"  # the given name is only a label
    assert first.file.name != second.file.name


def test_the_download_is_an_attachment_never_sniffed(client, org):
    stored, _complaint = attached(org)
    client.force_login(org.bob)  # unit A handles the case
    response = client.get(reverse("file", args=[stored.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="evil.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_user_who_cannot_see_the_case_gets_404(client, api_as, org):
    stored, _complaint = attached(org)
    for user in (org.carol, org.nobody):
        client.force_login(user)
        assert client.get(reverse("file", args=[stored.pk])).status_code == 404
        assert api_as(user).get(f"/api/v1/files/{stored.pk}").status_code == 404
    client.logout()
    response = client.get(reverse("file", args=[stored.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert client.get(reverse("file", args=[999999])).status_code == 302


def test_the_api_download_follows_the_same_rule(api_as, org):
    stored, _complaint = attached(org)
    response = api_as(org.bob).get(f"/api/v1/files/{stored.pk}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_unattached_upload_is_readable_by_its_uploader_only(api_as, org):
    upload = SimpleUploadedFile("scan.pdf", PDF)
    body = api_as(org.bob).post("/api/v1/files", {"file": upload}, format="multipart").json()
    assert body["url"] == f"/api/v1/files/{body['id']}"
    assert api_as(org.bob).get(body["url"]).status_code == 200
    assert api_as(org.alice).get(body["url"]).status_code == 404  # nothing references it yet


def test_a_jobs_files_belong_to_whoever_started_it(org):
    output = files.store_bytes(data=PDF, name="导出.pdf", actor=None)
    Job.objects.create(
        kind="export", created_by=org.bob, created_at=timezone.now(), output_file=output
    )
    assert files.can_read(org.bob, output)
    assert not files.can_read(org.carol, output)


def test_media_urls_serve_nothing(client, org):
    stored, _complaint = attached(org)
    client.force_login(org.alice)
    assert client.get(f"/media/{stored.file.name}").status_code == 404


def test_the_case_page_links_the_authorising_view(client, org):
    stored, complaint = attached(org)
    client.force_login(org.bob)
    html = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert f'href="{reverse("file", args=[stored.pk])}"' in html
    assert "/media/" not in html


def test_a_model_referencing_files_without_saying_who_sees_them_grants_nobody(org):
    """Fail closed: a referrer without SCOPE, FILES_VIA or FILES_OWNER shows its files to the
    uploader (and superusers) only, never to whoever happens to see other rows."""
    for model, _field in files._referrers():
        declared = (
            getattr(model, "SCOPE", None) is not None
            or getattr(model, "FILES_VIA", None)
            or getattr(model, "FILES_OWNER", None)
        )
        if not declared:
            for user in (org.alice, org.bob, org.leader):
                assert not files.visible_rows(user, model).exists(), model._meta.label
    assert all(
        getattr(m, "SCOPE", None) is not None
        or getattr(m, "FILES_VIA", None)
        or getattr(m, "FILES_OWNER", None)
        for m, _f in files._referrers()
        if m._meta.app_label in {"core", "complaints", "rectification", "selfcheck", "campaigns"}
    )
