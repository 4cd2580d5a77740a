"""The staff registration through the API (issue #18): the case's rows and the idempotency record
written as one batch — at most one statement per table — with the same response, rows and
repeat behaviour as before."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xiaoneng.complaints.api.serializers import ComplaintSerializer, registration_receipt
from xiaoneng.complaints.api.views import reload
from xiaoneng.complaints.models import (
    Category,
    ComplainantIdentity,
    Complaint,
    ComplaintEvent,
    ComplaintSequence,
)
from xiaoneng.core.models import AuditRecord, IdempotencyKey

from .test_api import create_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def category(db) -> Category:
    return Category.objects.get_or_create(code="fees-staff", defaults={"name": "乱收费（测试）"})[0]


URL = "/api/v1/complaints"
TABLE = re.compile(r'^(?:INSERT INTO|UPDATE|SELECT .*? FROM|DELETE FROM)\s+"?(\w+)"?', re.S)


def _tables(sql: str) -> list[str]:
    if sql.startswith("WITH "):  # the batch: one statement, a table per INSERT / UPDATE in it
        return re.findall(r'(?:INSERT INTO|UPDATE) "?(\w+)"?', sql)
    found = TABLE.match(sql)
    return [found.group(1)] if found else [sql[:40]]


def test_one_keyed_registration_writes_every_row_once_per_table(api_as, org, category):
    alice = api_as(org.alice)
    # The first one warms the process's snapshots and the user's roles, and makes the year's
    # counter.
    warm = alice.post(URL, create_body(org, category), format="json", HTTP_IDEMPOTENCY_KEY="w")
    assert warm.status_code == 201
    with CaptureQueriesContext(connection) as queries:
        response = alice.post(
            URL,
            create_body(org, category, content="又一件收费的事情。"),
            format="json",
            HTTP_IDEMPOTENCY_KEY="k-2",
        )
    assert response.status_code == 201, response.content
    # (the test's own transaction adds savepoints around the request's)
    sql = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    tables = [t for s in sql for t in _tables(s)]
    assert sorted(tables) == sorted(
        [
            "complaints_complaintsequence",
            "complaints_complaint",
            "complaints_complainantidentity",
            "complaints_complaintevent",
            "core_auditrecord",
            "core_idempotencykey",
        ]
    ), sql
    if connection.vendor == "postgresql":  # one statement: the number, the id and every row
        assert len(sql) == 1 and sql[0].startswith("WITH "), sql

    complaint = Complaint.objects.get(pk=response.json()["id"])
    assert complaint.content == "又一件收费的事情。"
    assert ComplainantIdentity.objects.filter(complaint=complaint).count() == 1
    assert ComplaintEvent.objects.filter(complaint=complaint, action="register").count() == 1
    assert AuditRecord.objects.filter(
        object_type="complaints.complaint", object_id=str(complaint.pk), action="create"
    ).exists()
    assert IdempotencyKey.objects.get(key="k-2").response_body == response.json()


def test_the_response_is_the_case_as_read_back(api_as, org, category, rf):
    """The response serialises the case as registered (no read back); it must say exactly what
    the stored case says."""
    body = create_body(
        org,
        category,
        department=org.dept_a1.pk,
        subject_person="王五",
        importance="normal",
        price_related=True,
        external_ref="12345-001",
    )
    response = api_as(org.alice).post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="r-1")
    assert response.status_code == 201, response.content
    complaint = reload(Complaint.objects.get(pk=response.json()["id"]))
    request = rf.post(URL)
    request.user = org.alice
    receipt = registration_receipt(org.alice, complaint)
    receipt["rating_key"] = response.json()["receipt"]["rating_key"]  # stored encrypted only
    stored = ComplaintSerializer(complaint, context={"request": request, "receipt": receipt}).data
    assert response.json() == stored


def test_a_repeat_makes_nothing_and_keeps_the_numbers_gap_free(api_as, org, category):
    alice = api_as(org.alice)
    body = create_body(org, category)
    first = alice.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="g-1")
    last = ComplaintSequence.objects.get().last
    again = alice.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="g-1")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert ComplaintSequence.objects.get().last == last  # the repeat's number rolled back
    assert Complaint.objects.count() == 1
    assert ComplaintEvent.objects.count() == 1 and ComplainantIdentity.objects.count() == 1
    assert AuditRecord.objects.filter(object_type="complaints.complaint").count() == 1
    nxt = alice.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="g-2")
    assert int(nxt.json()["number"][-6:]) == int(first.json()["number"][-6:]) + 1
