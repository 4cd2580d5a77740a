"""The real ledger behind "有问题", rule reviews, files through the pages, and the daily
schedule of the sweep."""

from __future__ import annotations

import datetime as dt
from datetime import datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from xiaoneng.core import clock
from xiaoneng.core.errors import Forbidden, ValidationFailed
from xiaoneng.core.models import Notification, StoredFile
from xiaoneng.core.testing import PASSWORD
from xiaoneng.selfcheck import services
from xiaoneng.selfcheck.models import (
    ActivityRecord,
    ChecklistAnswer,
    InstitutionRule,
    LearningRecord,
    RecurringActivity,
    RuleType,
)
from xiaoneng.selfcheck.sweep import sweep

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def pdf(name="自查材料.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


# --- the real ledger ----------------------------------------------------------------------------
def test_two_problems_on_an_assigned_wucha_wukan_open_two_real_linked_issues(
    api_as, org, wucha, due
):
    """Acceptance: two "有问题" on an assigned 五查五看 → two linked ledger issues for that unit
    (rectification.services.issue_create, source self_inspection)."""
    from xiaoneng.rectification.models import Issue

    assignment = services.assignment_create(
        actor=org.alice, template=wucha, unit=org.unit_a, due_on=due
    )
    items = list(wucha.items.order_by("number"))
    body = {
        "answers": [
            {"item": items[1].pk, "result": "problem", "description": "窗口冷漠生硬"},
            {"item": items[2].pk, "result": "problem", "description": "推诿扯皮"},
            {"item": items[0].pk, "result": "ok"},
        ]
    }
    response = api_as(org.bob).post(
        f"/api/v1/checklist-assignments/{assignment.pk}/answer", body, format="json"
    )
    assert response.status_code == 200, response.json()
    linked = {a["item"]: a["issue_id"] for a in response.json()["answers"]}
    assert linked[items[0].pk] is None
    issues = Issue.objects.filter(pk__in=[linked[items[1].pk], linked[items[2].pk]])
    assert issues.count() == 2
    assert {i.unit_id for i in issues} == {org.unit_a.pk}
    assert {i.source for i in issues} == {"self_inspection"}
    answers = ChecklistAnswer.objects.filter(assignment=assignment, result="problem")
    assert {a.issue_id for a in answers} == {i.pk for i in issues}
    assert {i.source_ref for i in issues} == {f"selfcheck.answer:{a.pk}" for a in answers}


# --- rule reviews -------------------------------------------------------------------------------
@pytest.fixture
def rule(org):
    return services.rule_create(
        actor=org.bob,
        unit=org.unit_a,
        rule_type=RuleType.TIME_LIMIT,
        adopted_on=dt.date(2025, 11, 1),
        next_review_on=dt.date(2026, 11, 10),
        owner=org.bob.person,
    )


def test_a_review_moves_the_next_review_on_and_ends_the_reminders(org, rule):
    RecurringActivity.objects.update(is_active=False)
    now = clock.parse_instant("2026-11-01T08:00")
    assert sweep(now).reviews == 1
    with clock.frozen_now(now):
        with pytest.raises(Forbidden):
            services.rule_review(actor=org.carol, rule=rule, next_review_on=dt.date(2027, 11, 1))
        with pytest.raises(ValidationFailed) as exc:
            services.rule_review(actor=org.bob, rule=rule, next_review_on=dt.date(2026, 10, 1))
        assert "next_review_on" in exc.value.errors
        services.rule_review(
            actor=org.bob, rule=rule, next_review_on=dt.date(2027, 11, 10), notes="已复审"
        )
    rule.refresh_from_db()
    assert rule.next_review_on == dt.date(2027, 11, 10)
    assert "已复审" in rule.notes
    assert sweep(clock.parse_instant("2026-11-02T08:00")).reviews == 0
    assert Notification.objects.filter(event="selfcheck.rule_review", channel="inbox").count() == 1


def test_the_register_page_records_a_review_with_a_revised_document(client, org, rule):
    url = reverse("selfcheck:rule_review", args=[rule.pk])
    later = timezone.localdate() + dt.timedelta(days=365)
    login(client, org.carol)
    assert client.post(url, {"next_review_on": later.isoformat()}).status_code == 404
    client.logout()
    login(client, org.bob)
    page = client.get(reverse("selfcheck:register"))
    assert f'data-testid="rule-{rule.pk}"' in page.content.decode()
    response = client.post(url, {"next_review_on": later.isoformat(), "document": pdf("制度.pdf")})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.next_review_on == later
    assert rule.document.name == "制度.pdf" and rule.document.uploaded_by == org.bob


# --- files through the pages --------------------------------------------------------------------
def test_the_answer_form_stores_the_files_of_a_problem(client, org, wucha, due, upload):
    assignment = services.assignment_create(
        actor=org.alice, template=wucha, unit=org.unit_a, due_on=due
    )
    item = wucha.items.get(number=2)
    login(client, org.bob)
    response = client.post(
        reverse("selfcheck:assignment", args=[assignment.pk]),
        {
            "form": "answers",
            f"result-{item.pk}": "problem",
            f"description-{item.pk}": "态度生硬",
            f"files-{item.pk}": [pdf("照片说明.pdf")],
        },
    )
    assert response.status_code == 302
    answer = assignment.answers.get(item=item)
    assert [f.name for f in answer.files.all()] == ["照片说明.pdf"]
    assert answer.issue_id is not None


def test_the_material_form_takes_files_and_refuses_unknown_kinds(client, org, wucha, due):
    assignment = services.assignment_create(
        actor=org.alice, template=wucha, unit=org.unit_a, due_on=due
    )
    url = reverse("selfcheck:assignment", args=[assignment.pk])
    login(client, org.bob)
    before = StoredFile.objects.count()
    bad = SimpleUploadedFile("notes.pdf", b"just text, not a pdf", content_type="application/pdf")
    response = client.post(url, {"form": "material", "text": "", "files": [bad]})
    assert response.status_code == 400
    assert StoredFile.objects.count() == before
    response = client.post(url, {"form": "material", "text": "", "files": [pdf()]})
    assert response.status_code == 302
    assert [f.name for f in assignment.material_files.all()] == ["自查材料.pdf"]


def test_activity_photos_must_be_images_and_essays_are_kept(client, org):
    film = RecurringActivity.objects.get(code="warning-education-film")
    login(client, org.bob)
    today = timezone.localdate()
    response = client.post(
        reverse("selfcheck:activities"),
        {
            "activity": film.pk,
            "unit": org.unit_a.pk,
            "held_on": today.isoformat(),
            "participant_count": 30,
            "photos": [pdf("not-a-photo.pdf")],
        },
    )
    assert response.status_code == 400
    assert not ActivityRecord.objects.exists()
    response = client.post(
        reverse("selfcheck:learning"),
        {
            "form": "record",
            "person": org.bob.person.pk,
            "date": today.isoformat(),
            "hours": "2",
            "kind": "self_study",
            "topic": "自学",
            "essays": [pdf("心得体会.pdf")],
        },
    )
    assert response.status_code == 302
    record = LearningRecord.objects.get(person=org.bob.person)
    assert [f.name for f in record.essays.all()] == ["心得体会.pdf"]


# --- schedule ---------------------------------------------------------------------------------------
def test_the_sweep_runs_daily_at_0730_local_time():
    registry = HUEY._registry
    name = "xiaoneng.selfcheck.tasks.selfcheck_sweep_daily"
    assert name in {registry.task_to_string(t) for t in registry._periodic_tasks}
    task = registry.string_to_task(name)()
    day = [datetime(2026, 5, 31, 12, 0) + timedelta(minutes=m) for m in range(24 * 60)]
    # The consumer asks in UTC: 23:30 UTC is 07:30 in Beijing.
    assert [t for t in day if task.validate_datetime(t)] == [datetime(2026, 5, 31, 23, 30)]


def test_rules_keep_their_document_when_reviewed_without_one(org, rule, upload):
    document = upload(org.bob, "岗位制度.pdf")
    services.rule_update(actor=org.bob, rule=rule, document=document)
    with clock.frozen_now(clock.parse_instant("2026-11-01T08:00")):
        services.rule_review(actor=org.bob, rule=rule, next_review_on=dt.date(2027, 11, 1))
    assert InstitutionRule.objects.get(pk=rule.pk).document == document


def test_a_commitment_review_on_the_page_keeps_its_evidence(client, org):
    commitment = services.commitment_create(
        actor=org.dave,
        person=org.dave.person,
        content="文明接诊",
        committed_on=dt.date(2026, 5, 1),
        audience="leader",
    )
    login(client, org.bob)
    response = client.post(
        reverse("selfcheck:commitment_review", args=[commitment.pk]),
        {"fulfilment": "fulfilled", "evidence": [pdf("兑现材料.pdf")]},
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.fulfilment == "fulfilled"
    assert [f.name for f in commitment.review_evidence.all()] == ["兑现材料.pdf"]
    assert "兑现材料.pdf" in client.get(reverse("selfcheck:commitments")).content.decode()


def test_rule_review_permissions_on_the_page_and_the_api(client, api, api_as, org, rule):
    url = reverse("selfcheck:rule_review", args=[rule.pk])
    later = (timezone.localdate() + dt.timedelta(days=200)).isoformat()
    response = client.post(url, {"next_review_on": later})
    assert response.status_code == 302 and "login" in response["Location"]
    for user in (org.nobody, org.carol):
        client.force_login(user)
        assert client.post(url, {"next_review_on": later}).status_code == 404
    api_url = f"/api/v1/institution-rules/{rule.pk}/review"
    assert api.post(api_url, {"next_review_on": later}).status_code == 401
    assert api_as(org.carol).post(api_url, {"next_review_on": later}).status_code == 404
    assert api_as(org.alice).post(api_url, {"next_review_on": later}).status_code == 403
    past = api_as(org.bob).post(api_url, {"next_review_on": "2020-01-01"})
    assert past.status_code == 400 and "next_review_on" in past.json()["errors"]
    done = api_as(org.bob).post(api_url, {"next_review_on": later, "notes": "复审通过"})
    assert done.status_code == 200, done.json()
    assert done.json()["next_review_on"] == later


def test_the_answer_page_links_each_problem_to_its_ledger_issue(client, org, wucha, due):
    assignment = services.assignment_create(
        actor=org.alice, template=wucha, unit=org.unit_a, due_on=due
    )
    item = wucha.items.get(number=1)
    services.assignment_answer(
        actor=org.bob,
        assignment=assignment,
        answers=[{"item": item, "result": "problem", "description": "中心意识不强"}],
    )
    issue_id = assignment.answers.get().issue_id
    login(client, org.bob)
    html = client.get(reverse("selfcheck:assignment", args=[assignment.pk])).content.decode()
    assert f'href="{reverse("rectification:issue", args=[issue_id])}"' in html
