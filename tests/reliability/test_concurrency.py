"""Concurrent requests on one case: exactly one transition wins, the rest get 409; retried public
submissions with the same Idempotency-Key make one case each; numbers stay gap-free."""

import threading
import uuid

import pytest
from django.db import connection
from rest_framework.test import APIClient

from xiaoneng.complaints import services
from xiaoneng.complaints.models import Category, Complaint, ComplaintEvent, ComplaintSequence
from xiaoneng.core.models import AuditRecord

pytestmark = [
    pytest.mark.reliability,
    pytest.mark.django_db(transaction=True),
]
CLIENTS = 12


def _parallel(n, fn):
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i):
        try:
            barrier.wait()
            results[i] = fn(i)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _dispatched(org) -> Complaint:
    complaint = services.complaint_register(
        actor=org.alice,
        channel="phone",
        type="complaint",
        category=Category.objects.get(code="poor_attitude"),
        subject_unit=org.unit_a,
        title="服务态度差",
        content="窗口工作人员态度生硬。",
    )
    return services.complaint_dispatch(complaint=complaint, actor=org.alice, unit=org.unit_a)


def test_concurrent_sign_for_one_case_one_wins_the_rest_get_409(org):
    complaint = _dispatched(org)

    def sign(i):
        client = APIClient()
        client.force_authenticate(org.bob)
        return client.post(f"/api/v1/complaints/{complaint.pk}/sign", {}, format="json")

    responses = _parallel(CLIENTS, sign)
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] + [409] * (CLIENTS - 1)
    for r in responses:
        if r.status_code == 409:
            assert r["Content-Type"].startswith("application/problem+json")
            assert r.json()["status"] == 409
    complaint.refresh_from_db()
    assert complaint.status == "signed"
    # the audit trail and the timeline record the one transition that happened
    assert ComplaintEvent.objects.filter(complaint=complaint, action="sign").count() == 1
    assert (
        AuditRecord.objects.filter(
            object_type="complaints.complaint", object_id=str(complaint.pk), action="sign"
        ).count()
        == 1
    )


def test_concurrent_different_transitions_on_one_case_only_one_applies(org):
    complaint = services.complaint_register(
        actor=org.alice,
        channel="phone",
        type="complaint",
        category=Category.objects.get(code="poor_attitude"),
        subject_unit=org.unit_a,
        title="t",
        content="c",
    )
    actions = [("accept", {})] * 4 + [("reject", {"reason": "不属于受理范围"})] * 4
    actions += [("dispatch", {"unit": org.unit_a.pk})] * 4

    def act(i):
        client = APIClient()
        client.force_authenticate(org.alice)
        action, body = actions[i]
        return action, client.post(f"/api/v1/complaints/{complaint.pk}/{action}", body, "json")

    results = _parallel(len(actions), act)
    winners = [a for a, r in results if r.status_code == 200]
    assert all(r.status_code in (200, 409) for _, r in results)
    # accept then dispatch is a legal sequence; otherwise exactly one transition applies
    complaint.refresh_from_db()
    events = list(
        ComplaintEvent.objects.filter(complaint=complaint)
        .exclude(action="register")
        .values_list("action", flat=True)
    )
    assert sorted(events) == sorted(winners)
    assert len(winners) in (1, 2)
    if len(winners) == 2:
        assert set(winners) == {"accept", "dispatch"}
    audits = AuditRecord.objects.filter(
        object_type="complaints.complaint", object_id=str(complaint.pk)
    ).exclude(action="create")
    assert sorted(audits.values_list("action", flat=True)) == sorted(winners)


def test_retried_public_submissions_make_one_case_each_and_numbers_stay_gap_free(org):
    """8 clients × 10 submissions, each sent twice with the same Idempotency-Key at once."""
    run = uuid.uuid4().hex[:8]
    per_client = 10
    body = {
        "type": "complaint",
        "category": "poor_attitude",
        "unit": org.unit_a.pk,
        "title": "排队时间长",
        "anonymous": False,
        "name": "张三",
        "phone": "13800138000",
    }

    def submit(i):
        client = APIClient()
        codes = []
        for n in range(per_client):
            key = f"{run}-{i // 2}-{n}"  # threads 2k and 2k+1 send the same submissions
            data = dict(body, content=f"窗口只开一个，排队很久。[{run}:{i // 2}:{n}]")
            response = client.post(
                "/api/v1/public/complaints", data, format="json", HTTP_IDEMPOTENCY_KEY=key
            )
            assert response.status_code in (200, 201), response.content
            codes.append(response.json()["tracking_code"])
        return codes

    results = _parallel(8, submit)
    for a, b in zip(results[0::2], results[1::2], strict=True):
        assert a == b  # the retry got the first answer
    created = Complaint.objects.filter(content__contains=f"[{run}:")
    assert created.count() == 4 * per_client
    numbers = sorted(Complaint.objects.values_list("number", flat=True))
    year = ComplaintSequence.objects.get()
    assert numbers == [f"TS{year.year}{n:06d}" for n in range(1, year.last + 1)]
