"""Query counts of the busiest staff pages (issue #18): the case page and the office queue answer
in at most MAX_QUERIES queries, the same number whatever the rows shown (page size 5 vs 100, a
short vs a long timeline with every related list filled), and the figures the case page's own
query carries (history count, pending extension, merged duplicates) agree with a recount."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xiaoneng.complaints import duplicates, services
from xiaoneng.complaints.models import Category, Complaint, DuplicateSuggestion
from xiaoneng.complaints.views import queues
from xiaoneng.core import clock
from xiaoneng.core.models import AuditRecord, StoredFile

from .test_api import dispatched, register

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10  # issue #18: complaint detail, ledger list, office queue


@pytest.fixture
def category(db) -> Category:
    return Category.objects.get_or_create(
        code="attitude-test", defaults={"name": "服务态度差（测试）", "group": "服务"}
    )[0]


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def enrich(org, category, case: Complaint, n: int) -> None:
    """n more rows in every list the case page shows: attachments, merged duplicates, open
    duplicate suggestions, timeline events (and audit records) by escalation."""
    for i in range(n):
        stored = StoredFile.objects.create(
            name=f"证据{i}.pdf",
            size=10,
            content_type="application/pdf",
            sha256=f"{i:064d}",
            uploaded_at=clock.now(),
        )
        case.attachments.add(stored)
        duplicate = register(org, category, title=f"重复 {i}")
        duplicates.complaint_merge(duplicate=duplicate, parent=case, actor=org.alice)
        other = register(org, category, title=f"相似 {i}")
        DuplicateSuggestion.objects.create(
            complaint=other, candidate=case, reason="text", score=0.9, created_at=clock.now()
        )
        services.complaint_mark_important(complaint=case, actor=org.alice, note=f"第{i}次")


def rich_case(org, category) -> Complaint:
    case = dispatched(org, category, org.unit_a)
    services.complaint_sign(complaint=case, actor=org.bob)
    case.refresh_from_db()
    services.complaint_request_extension(complaint=case, actor=org.bob, days=3, reason="取证")
    services.complaint_escalate(complaint=case, actor=org.alice, reason="群众反映强烈")
    case.refresh_from_db()
    return case


@pytest.mark.parametrize("tab", ["", "?tab=history"])
def test_the_case_page_query_count_is_small_and_constant(client, org, category, tab):
    case = rich_case(org, category)
    enrich(org, category, case, 1)
    client.force_login(org.alice)
    url = reverse("complaints:detail", args=[case.pk]) + tab
    client.get(url)  # the process's first case page reads the category / SLA policy snapshot
    short = queries(client, url)
    enrich(org, category, case, 6)
    response = client.get(url)
    assert len(response.context["duplicate_suggestions"]) == 7  # the longer lists are shown
    assert len(response.context["merged_cases"]) == 7
    assert len(response.context["attachments"]) == 7
    assert len(response.context["timeline"]) > 10
    long = queries(client, url)
    assert short == long <= MAX_QUERIES


def test_the_case_page_figures_agree_with_a_recount(client, org, category):
    case = rich_case(org, category)
    client.force_login(org.alice)
    url = reverse("complaints:detail", args=[case.pk])
    context = client.get(url).context
    recount = AuditRecord.objects.filter(
        object_type="complaints.complaint", object_id=str(case.pk)
    ).count()
    assert recount > 1 and context["history_count"] == recount
    assert context["complaint"].pending_extension is True
    assert context["merged_cases"] == []
    decide = {a["segment"] for a in context["actions"]}
    assert "decide-extension" in decide and "request-extension" not in decide
    services.complaint_decide_extension(
        complaint=case, actor=org.alice, approve=False, reason="证据已足"
    )
    enrich(org, category, case, 1)
    context = client.get(url).context
    assert context["complaint"].pending_extension is False
    assert [c.pk for c in context["merged_cases"]] == list(
        Complaint.objects.filter(parent=case).values_list("pk", flat=True)
    )
    assert "decide-extension" not in {a["segment"] for a in context["actions"]}
    history = client.get(url + "?tab=history").context
    assert (
        len(history["history"])
        == history["history_count"]
        == (
            AuditRecord.objects.filter(
                object_type="complaints.complaint", object_id=str(case.pk)
            ).count()
        )
    )


@pytest.mark.parametrize(
    ("user", "name"),
    [("alice", "complaints:queue"), ("bob", "complaints:unit")],
)
def test_the_queues_answer_in_few_queries_at_any_page_size(
    client, org, category, monkeypatch, user, name
):
    for _ in range(8):
        dispatched(org, category, org.unit_a)
    client.force_login(getattr(org, user))
    counts = {}
    for size in (5, 100):
        monkeypatch.setattr(queues, "PAGE_SIZE", size)
        response = client.get(reverse(name))
        assert len(response.context["page"].object_list) == min(size, 8)
        counts[size] = queries(client, reverse(name))
    assert counts[5] == counts[100] <= MAX_QUERIES


def test_the_case_page_shows_the_category_and_policy_as_they_are_now(client, org, category):
    """Category and SLA policy come from a process snapshot: an edit shows on the next view,
    and a row the snapshot has not seen yet is read on its own."""

    case = rich_case(org, category)
    client.force_login(org.alice)
    url = reverse("complaints:detail", args=[case.pk])
    assert category.name in client.get(url).content.decode()
    category.name = "改过的类别"
    category.save()
    assert "改过的类别" in client.get(url).content.decode()
    newer = Category.objects.bulk_create([Category(code="later", name="后加的类别")])[0]
    Complaint.objects.filter(pk=case.pk).update(category=newer)  # no signal: not in the snapshot
    body = client.get(url).content.decode()
    assert "后加的类别" in body
    if case.sla_policy_id:
        assert case.sla_policy.name in body
