"""The public intake's short cuts (issue #18) decide exactly as the long way: the plain-body
check against the serializer, the receipt against its serializer, the per-process category and
unit snapshots against an administrator's edits, and the statements one submission costs."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xiaoneng.complaints.models import Category, ComplainantIdentity, Complaint, ComplaintEvent
from xiaoneng.core import snapshot
from xiaoneng.core.models import AuditRecord, IdempotencyKey
from xiaoneng.core.services.org import unit_update
from xiaoneng.portal import api as public_api

from .test_api import URL, body

pytestmark = pytest.mark.django_db


def _serializer_data(data):
    serializer = public_api.PublicComplaintCreateSerializer(data=data)
    return dict(serializer.validated_data) if serializer.is_valid() else None


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"anonymous": True, "name": "", "phone": ""},
        {"title": "  标题  ", "content": "  前后有空格的内容。  ", "consent_publish": True},
        {"type": "suggestion", "name": " 赵六 ", "phone": " 136 0000 1111 "},
        {"extra": "ignored by both"},
    ],
)
def test_a_plain_body_is_validated_as_the_serializer_would(org, category, overrides):
    data = body(org, category, **overrides)
    fast = public_api.plainly_valid(data)
    assert fast is not None
    assert fast == {**_serializer_data(data), "attachments": []}


@pytest.mark.parametrize(
    "overrides",
    [
        {"type": "praise"},
        {"category": "nope"},
        {"unit": 999999},
        {"unit": "1"},  # a string id: the serializer decides
        {"unit": True},
        {"content": "    "},
        {"content": "四个字"},
        {"content": "x" * 10001},
        {"content": "有一个\x00空字符的内容"},
        {"content": "孤立的代理\ud800字符"},
        {"title": "t" * 201},
        {"anonymous": "true"},
        {"consent_publish": 1},
        {"name": None},
        {"department": 1},
        {"attachments": []},
    ],
)
def test_anything_else_goes_to_the_serializer(org, category, overrides):
    assert public_api.plainly_valid(body(org, category, **overrides)) is None


def test_not_a_json_object_goes_to_the_serializer():
    assert public_api.plainly_valid(["not", "an", "object"]) is None


def test_the_receipt_is_what_its_serializer_renders(api, org, category):
    response = api.post(URL, body(org, category), format="json")
    complaint = Complaint.objects.get()
    complaint.rating_key = response.json()["rating_key"]
    by_serializer = public_api.PublicComplaintReceiptSerializer(
        {
            "number": complaint.number,
            "tracking_code": complaint.tracking_code,
            "rating_key": complaint.rating_key,
            "status": "received",
            "status_label": response.json()["status_label"],
            "time_limit": response.json()["time_limit"],
            "received_at": complaint.received_at,
            "resolve_by": complaint.resolve_by,
            "named": True,
        }
    ).data
    assert public_api.receipt(complaint, named=True) == dict(by_serializer)
    assert response.json() == dict(by_serializer)


# --- the snapshots of categories and units ---------------------------------------------------
def test_a_unit_closed_by_an_administrator_is_refused_at_once(api, org, category):
    assert api.post(URL, body(org, category), format="json").status_code == 201
    unit_update(actor=None, check=False, unit=org.unit_a, is_active=False)
    refused = api.post(URL, body(org, category), format="json")
    assert refused.status_code == 400 and "unit" in refused.json()["errors"]


def test_a_category_edited_in_the_admin_is_seen_at_once(api, org, category):
    assert api.post(URL, body(org, category), format="json").status_code == 201
    category.is_active = False
    category.save()
    refused = api.post(URL, body(org, category), format="json")
    assert refused.status_code == 400 and "category" in refused.json()["errors"]
    new = Category.objects.create(code="new-one", name="新类别")
    assert api.post(URL, body(org, new), format="json").status_code == 201


def test_another_process_edit_is_seen_within_the_snapshot_window(api, org, category, monkeypatch):
    assert api.post(URL, body(org, category), format="json").status_code == 201
    # As another process would: the row changes, this process gets no signal.
    type(org.unit_a).objects.filter(pk=org.unit_a.pk).update(is_active=False)
    assert api.post(URL, body(org, category), format="json").status_code == 201  # still held
    later = snapshot.time.monotonic() + public_api.active_units.seconds + 1
    monkeypatch.setattr(snapshot.time, "monotonic", lambda: later)
    assert api.post(URL, body(org, category), format="json").status_code == 400


# --- what one submission writes, and in how many statements -----------------------------------
def test_one_keyed_submission_writes_every_row_in_one_statement(api, org, category):
    # The first one of the year also creates the year's counter and the system actor.
    first = body(org, category, content="第一件事情。")
    assert api.post(URL, first, format="json", HTTP_IDEMPOTENCY_KEY="s-0").status_code == 201
    with CaptureQueriesContext(connection) as queries:
        response = api.post(URL, body(org, category), format="json", HTTP_IDEMPOTENCY_KEY="s-1")
    assert response.status_code == 201
    complaint = Complaint.objects.get(number=response.json()["number"])
    assert response.json()["number"] == complaint.number
    assert ComplainantIdentity.objects.filter(complaint=complaint).count() == 1
    assert ComplaintEvent.objects.filter(complaint=complaint, action="register").count() == 1
    assert AuditRecord.objects.filter(
        object_type="complaints.complaint", object_id=str(complaint.pk), action="create"
    ).exists()
    record = IdempotencyKey.objects.get(key="s-1")
    assert record.response_body == response.json()
    # (the test's own transaction adds a savepoint around the request's)
    skip = ("SELECT", "SAVEPOINT", "RELEASE SAVEPOINT")
    writes = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(skip)]
    if connection.vendor == "postgresql":  # one statement: the number, the id and every row
        assert len(writes) == 1 and writes[0].startswith("WITH "), writes
        assert "UPDATE complaints_complaintsequence" in writes[0]
    else:  # row by row elsewhere: sequence, case, identity, event, audit, record
        assert len(writes) >= 6, writes
