"""The public API: submit without login (JSON or multipart with files), Idempotency-Key, the
per-IP rate limit (429 + Retry-After), tracking by code (+ phone digits), and the schema."""

from __future__ import annotations

import io

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from xiaoneng.complaints import services as engine
from xiaoneng.complaints.models import Complaint
from xiaoneng.core.models import IdempotencyKey

from .conftest import jpeg_with_gps, replied

pytestmark = pytest.mark.django_db

URL = "/api/v1/public/complaints"


def body(org, category, /, **overrides) -> dict:
    data = {
        "type": "report",
        "category": category.code,
        "unit": org.unit_a.pk,
        "content": "医生收受患者红包。",
        "anonymous": False,
        "name": "赵六",
        "phone": "13600001111",
        "consent_publish": False,
    }
    data.update(overrides)
    return data


def test_anyone_can_submit_without_logging_in(api, org, category):
    response = api.post(URL, body(org, category), format="json")
    assert response.status_code == 201, response.content
    complaint = Complaint.objects.get()
    assert response.data["number"] == complaint.number
    assert response.data["tracking_code"] == complaint.tracking_code
    assert response.data["status"] == "received" and response.data["named"] is True
    assert response["Location"].endswith(f"/public/complaints/{complaint.tracking_code}")
    assert complaint.channel == "web" and complaint.type == "report"
    assert complaint.registered_by is None
    # A named report: the real-name report rule (15 working days).
    assert complaint.sla_policy.code == "real_name_report"
    assert "15" in response.data["time_limit"]


def test_a_token_or_session_is_not_needed_and_not_used(api, org, category):
    api.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    response = api.post(URL, body(org, category), format="json")
    assert response.status_code == 201


def test_invalid_input_is_a_problem_with_every_field(api, org, category):
    response = api.post(
        URL,
        body(org, category, type="praise", category="nope", unit=999999, content=""),
        format="json",
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert {"type", "category", "unit", "content"} <= set(response.json()["errors"])
    assert not Complaint.objects.exists()


def test_a_named_complaint_needs_name_and_phone(api, org, category):
    response = api.post(URL, body(org, category, name="", phone=""), format="json")
    assert response.status_code == 400
    assert {"name", "phone"} <= set(response.json()["errors"])


def test_multipart_with_a_photo_strips_its_exif(api, org, category):
    data = body(org, category, anonymous=True, name="", phone="")
    data["attachments"] = [
        SimpleUploadedFile("p.jpg", jpeg_with_gps(), content_type="image/jpeg"),
    ]
    response = api.post(URL, data, format="multipart")
    assert response.status_code == 201, response.content
    complaint = Complaint.objects.get()
    assert complaint.anonymous and response.data["named"] is False
    stored = complaint.attachments.get()
    with Image.open(io.BytesIO(stored.file.read())) as img:
        assert not img.getexif()


def test_multipart_refuses_six_files_and_programs(api, org, category):
    data = body(org, category)
    data["attachments"] = [
        SimpleUploadedFile(f"p{i}.jpg", jpeg_with_gps(), content_type="image/jpeg")
        for i in range(6)
    ]
    assert api.post(URL, data, format="multipart").status_code == 400
    data["attachments"] = [SimpleUploadedFile("x.jpg", b"MZ\x90\x00" + b"\x00" * 300)]
    response = api.post(URL, data, format="multipart")
    assert response.status_code == 400
    assert "attachments" in response.json()["errors"]
    assert not Complaint.objects.exists()


# --- Idempotency-Key --------------------------------------------------------------------------
def test_the_same_key_and_body_twice_make_one_case(api, org, category):
    first = api.post(URL, body(org, category), format="json", HTTP_IDEMPOTENCY_KEY="k-123")
    again = api.post(URL, body(org, category), format="json", HTTP_IDEMPOTENCY_KEY="k-123")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Complaint.objects.count() == 1
    assert IdempotencyKey.objects.filter(key="k-123").count() == 1


def test_the_same_key_with_another_body_is_a_conflict(api, org, category):
    api.post(URL, body(org, category), format="json", HTTP_IDEMPOTENCY_KEY="k-9")
    other = api.post(
        URL, body(org, category, content="另一件事情。"), format="json", HTTP_IDEMPOTENCY_KEY="k-9"
    )
    assert other.status_code == 409
    assert Complaint.objects.count() == 1


def test_a_multipart_retry_with_the_same_files_is_replayed(api, org, category):
    def send():
        data = body(org, category)
        data["attachments"] = [SimpleUploadedFile("p.jpg", jpeg_with_gps(), "image/jpeg")]
        return api.post(URL, data, format="multipart", HTTP_IDEMPOTENCY_KEY="m-1")

    assert send().status_code == 201
    assert send().status_code == 201
    assert Complaint.objects.count() == 1


def test_a_repeat_takes_no_number_and_is_answered_even_when_its_body_no_longer_validates(
    api, org, category
):
    from xiaoneng.complaints.models import ComplaintSequence

    first = api.post(URL, body(org, category), format="json", HTTP_IDEMPOTENCY_KEY="k-7")
    assert first.status_code == 201
    for _ in range(2):  # the repeat's work is rolled back with its number
        again = api.post(URL, body(org, category), format="json", HTTP_IDEMPOTENCY_KEY="k-7")
        assert again.json()["number"] == first.json()["number"]
    assert ComplaintSequence.objects.get().last == 1
    org.unit_a.is_active = False  # the unit closed since: the first receipt still answers
    org.unit_a.save(update_fields=["is_active"])
    late = api.post(URL, body(org, category), format="json", HTTP_IDEMPOTENCY_KEY="k-7")
    assert late.status_code == 201 and late.json() == first.json()
    bad = api.post(URL, {"content": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="k-7")
    assert bad.status_code == 409  # another (invalid) body under a used key
    fresh = api.post(URL, {"content": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="k-8")
    assert fresh.status_code == 400  # a first submission's errors are its errors
    assert Complaint.objects.count() == 1


def test_without_a_key_two_posts_make_two_cases(api, org, category):
    api.post(URL, body(org, category), format="json")
    api.post(URL, body(org, category), format="json")
    assert Complaint.objects.count() == 2


# --- rate limit -------------------------------------------------------------------------------
def test_the_twenty_first_post_in_a_minute_from_one_ip_gets_429(api, org, category):
    codes = [
        api.post(URL, body(org, category, content=f"第{i}件事情。"), format="json").status_code
        for i in range(20)
    ]
    assert codes == [201] * 20
    refused = api.post(URL, body(org, category), format="json")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert refused["Content-Type"].startswith("application/problem+json")
    assert Complaint.objects.count() == 20
    # Another IP is not affected.
    other = api.post(URL, body(org, category), format="json", REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 201


def test_invalid_posts_count_too(api, org, category):
    for _ in range(20):
        api.post(URL, {}, format="json")
    assert api.post(URL, body(org, category), format="json").status_code == 429


# --- tracking ---------------------------------------------------------------------------------
def test_tracking_a_named_case_needs_the_phone_digits(api, org, category):
    code = api.post(URL, body(org, category), format="json").data["tracking_code"]
    assert api.get(f"{URL}/{code}").status_code == 404
    assert api.get(f"{URL}/{code}", {"phone_last4": "0000"}).status_code == 404
    response = api.get(f"{URL}/{code}", {"phone_last4": "1111"})
    assert response.status_code == 200
    assert response.data["tracking_code"] == code and response.data["status"] == "received"
    assert api.get(f"{URL}/NOSUCHCODE22", {"phone_last4": "1111"}).status_code == 404
    assert api.get(f"{URL}/{code}", {"phone_last4": "١١١١"}).status_code == 404  # not a 500


def test_tracking_an_anonymous_case_needs_only_the_code(api, org, category):
    code = api.post(
        URL, body(org, category, anonymous=True, name="", phone=""), format="json"
    ).data["tracking_code"]
    assert api.get(f"{URL}/{code.lower()}").status_code == 200


def test_tracking_shows_the_reply_but_no_internal_data(api, org, category):
    complaint = engine.complaint_register(
        actor=None,
        channel="web",
        type="complaint",
        category=category,
        subject_unit=org.unit_a,
        title="t",
        content="c",
        complainant={"name": "孙七", "phone": "13511112222"},
    )
    engine.complaint_accept(complaint=complaint, actor=org.alice, note="内部备注：重点关注")
    replied(complaint, org, reply="已答复投诉人。")
    response = api.get(f"{URL}/{complaint.tracking_code}", {"phone_last4": "2222"})
    assert response.status_code == 200
    data = response.data
    assert data["status"] == "answered" and data["reply"] == "已答复投诉人。"
    text = response.content.decode()
    for secret in ("内部备注", "孙七", "13511112222", "alice", "bob", org.bob.person.name):
        assert secret not in text, secret
    assert set(data) == {
        "number",
        "tracking_code",
        "type",
        "type_label",
        "category",
        "unit",
        "department",
        "status",
        "status_label",
        "reject_reason",
        "reply",
        "received_at",
        "resolve_by",
        "replied_at",
        "closed_at",
        "time_limit",
        "satisfaction",
        "satisfaction_label",
        "timeline",
    }
    assert all(set(e) == {"at", "action", "label"} for e in data["timeline"])


def test_tracking_lookups_are_rate_limited(api, org, category):
    for _ in range(30):
        assert api.get(f"{URL}/NOSUCHCODE22").status_code == 404
    refused = api.get(f"{URL}/NOSUCHCODE22")
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1


# --- reference lists and schema ---------------------------------------------------------------
def test_reference_lists_are_public(api, org, category):
    units = api.get("/api/v1/public/units").json()
    assert {"id": org.unit_a.pk, "name": org.unit_a.name} in units
    departments = api.get("/api/v1/public/departments", {"unit": org.unit_a.pk}).json()
    assert {d["unit"] for d in departments} == {org.unit_a.pk}
    assert any(c["code"] == category.code for c in api.get("/api/v1/public/categories").json())


def test_the_schema_has_unique_public_components(api, org, api_as):
    response = api_as(org.alice).get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    paths = schema["paths"]
    assert "/api/v1/public/complaints" in paths
    assert "/api/v1/public/complaints/{tracking_code}" in paths
    names = set(schema["components"]["schemas"])
    assert {
        "PublicComplaintCreateRequest",
        "PublicComplaintReceipt",
        "PublicComplaintStatus",
        "PublicTimelineEvent",
    } <= names
    post = paths["/api/v1/public/complaints"]["post"]
    assert post.get("security") in (None, [], [{}])


def test_the_public_schema_is_warning_free_and_names_its_enums(db):
    from django.urls import include, path
    from drf_spectacular.drainage import GENERATOR_STATS, reset_generator_stats
    from drf_spectacular.generators import SchemaGenerator

    reset_generator_stats()
    patterns = [path("api/v1/", include("xiaoneng.portal.api_urls"))]
    schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)
    assert dict(GENERATOR_STATS._warn_cache) == {}
    assert dict(GENERATOR_STATS._error_cache) == {}
    components = schema["components"]["schemas"]
    assert components["PublicComplaintTypeEnum"]["enum"] == ["complaint", "report", "suggestion"]
    assert components["PublicComplaintStatusEnum"]["enum"] == [
        "received",
        "in_progress",
        "answered",
        "closed",
        "not_accepted",
    ]
    assert all(name.startswith("Public") for name in components)
