"""Issues, items and the close-out lifecycle through the services: numbering, deadlines, lights,
the state machine (409 on illegal moves, one winner in a race), verification rules, reminders,
and complaint → issue."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connections

from xiaoneng.complaints import services as complaint_services
from xiaoneng.complaints.models import Category
from xiaoneng.core.clock import frozen_now
from xiaoneng.core.errors import Conflict, Forbidden, ValidationFailed
from xiaoneng.core.models import AuditRecord, Notification
from xiaoneng.rectification import deadlines, services
from xiaoneng.rectification.models import (
    CloseRequest,
    Issue,
    ItemEvent,
    ItemTypeRule,
    RectificationItem,
)

from .helpers import at, closed_item, evidence, issue, item

pytestmark = pytest.mark.django_db


def test_it_numbers_issues_and_items_per_year(org):
    with frozen_now(at(2026, 3, 2, 9, 0)):
        first = issue(org)
        second = issue(org)
        it = item(org, first)
    with frozen_now(at(2027, 1, 4, 9, 0)):
        third = issue(org)
    assert [first.number, second.number, third.number] == [
        "WT2026000001",
        "WT2026000002",
        "WT2027000001",
    ]
    assert it.number == "ZG2026000001"


def test_it_lists_every_bad_issue_field(org):
    with pytest.raises(ValidationFailed) as exc:
        services.issue_create(
            actor=org.alice,
            unit=org.unit_a,
            source="rumour",
            title=" ",
            description="",
            severity="huge",
            department=org.dept_b1,
        )
    assert set(exc.value.errors) == {"source", "title", "description", "severity", "department"}


def test_a_unit_admin_records_issues_only_for_his_unit(org):
    assert issue(org, actor=org.bob).unit == org.unit_a
    with pytest.raises(ValidationFailed) as exc:
        issue(org, unit=org.unit_b, actor=org.bob)
    assert "unit" in exc.value.errors
    with pytest.raises(Forbidden):
        issue(org, actor=org.dave)  # staff: no rectification.manage


def test_the_default_deadline_comes_from_the_type_rule_and_the_calendar(org):
    with frozen_now(at(2026, 9, 28, 10, 0)):  # Monday before the National Day holiday
        it = item(org, type="immediate")
    # 5 working days: 29, 30 Sep, then 1–8 Oct is the holiday (with make-up days around it).
    assert it.deadline == deadlines.default_deadline("immediate", at(2026, 9, 28, 10, 0)).at
    assert it.deadline.date() > date(2026, 10, 3)
    ItemTypeRule.objects.filter(type="staged").update(value=10, unit="natural_days")
    with frozen_now(at(2026, 3, 2, 9, 0)):
        staged = item(org, type="staged")
    assert staged.deadline == at(2026, 3, 12, 23, 59, 59)


def test_an_explicit_deadline_date_ends_that_day(org):
    with frozen_now(at(2026, 3, 2, 9, 0)):
        it = item(org, deadline=date(2026, 3, 20))
    assert it.deadline == at(2026, 3, 20, 23, 59, 59)
    with frozen_now(at(2026, 3, 2, 9, 0)), pytest.raises(ValidationFailed) as exc:
        item(org, deadline=date(2026, 3, 1))
    assert "deadline" in exc.value.errors


def test_the_light_turns_yellow_then_red(org):
    with frozen_now(at(2026, 3, 2, 9, 0)):  # Monday
        it = item(org, deadline=date(2026, 3, 13))  # Friday of the next week
    assert deadlines.light(it, at(2026, 3, 5, 9, 0)) == "green"
    # ≤ 3 working days left from Tuesday 10 March (Wed, Thu, Fri remain).
    assert deadlines.light(it, at(2026, 3, 9, 23, 0)) == "green"
    assert deadlines.light(it, at(2026, 3, 10, 0, 1)) == "yellow"
    assert deadlines.light(it, at(2026, 3, 14, 0, 0)) == "red"
    qs = RectificationItem.objects.all()
    assert qs.filter(deadlines.light_q("yellow", at(2026, 3, 11, 9, 0))).get() == it
    assert not qs.filter(deadlines.light_q("green", at(2026, 3, 11, 9, 0))).exists()
    assert qs.filter(deadlines.light_q("red", at(2026, 3, 16, 9, 0))).get() == it


def test_the_light_turns_yellow_after_80_percent_of_a_long_time(org):
    with frozen_now(at(2026, 3, 2, 0, 0)):
        it = item(org, deadline=date(2026, 12, 31))
    total = it.deadline - it.started_at
    assert it.yellow_at == it.started_at + total * 0.8
    assert deadlines.light(it, it.yellow_at) == "yellow"


def test_the_full_close_out_with_a_rejection(org):
    it = item(org)
    assert it.status == "pending"
    services.progress_add(
        item=it, actor=org.bob, text="已安排专人", percent=50, files=[evidence(org.bob)]
    )
    assert it.status == "in_progress" and it.percent == 50
    with pytest.raises(ValidationFailed) as exc:
        services.close_request(item=it, actor=org.bob, summary=" ", files=[])
    assert set(exc.value.errors) == {"summary", "files"}
    services.close_request(item=it, actor=org.bob, summary="已整改", files=[evidence(org.bob)])
    assert it.status == "close_requested"
    with pytest.raises(ValidationFailed) as exc:
        services.verify(item=it, actor=org.alice, decision="reject", reason="")
    assert "reason" in exc.value.errors
    services.verify(item=it, actor=org.alice, decision="reject", reason="证据不足")
    assert it.status == "in_progress" and it.reject_reason == "证据不足"
    assert CloseRequest.objects.get(item=it).decision == "reject"
    services.close_request(item=it, actor=org.bob, summary="补充照片", files=[evidence(org.bob)])
    with frozen_now(at(2026, 6, 1, 10, 0)):
        services.verify(item=it, actor=org.alice, decision="accept")
    it.refresh_from_db()
    assert it.status == "closed" and it.closed_by == org.alice
    assert it.closed_at == at(2026, 6, 1, 10, 0) and it.percent == 100
    actions = list(
        ItemEvent.objects.filter(item=it).order_by("id").values_list("action", flat=True)
    )
    assert actions == ["create", "start", "request_close", "reject", "request_close", "accept"]
    assert AuditRecord.objects.filter(object_id=str(it.pk), action="accept").exists()
    assert Notification.objects.filter(recipient=org.bob, event="rectification_verified").exists()


def test_illegal_transitions_are_conflicts(org):
    it = item(org)
    with pytest.raises(Conflict):
        services.verify(item=it, actor=org.alice, decision="accept")
    with pytest.raises(Conflict):
        services.reopen(item=it, actor=org.alice, reason="再查")
    done = closed_item(org)
    with pytest.raises(Conflict):
        services.progress_add(item=done, actor=org.bob, text="x", percent=10)
    with pytest.raises(Conflict):
        services.close_request(item=done, actor=org.bob, summary="x", files=[evidence(org.bob)])


def test_only_verifiers_from_another_unit_verify(org):
    it = item(org)
    services.close_request(item=it, actor=org.bob, summary="已整改", files=[evidence(org.bob)])
    with pytest.raises(Forbidden):
        services.verify(item=it, actor=org.bob, decision="accept")  # no rectification.verify
    # An office user who works in unit A may not verify unit A's item.
    from xiaoneng.core.services.org import person_create
    from xiaoneng.core.testing import make_user

    person = person_create(actor=None, check=False, name="甲办", unit=org.unit_a, departments=())
    office_a = make_user("office_a", person, "office")
    with pytest.raises(Forbidden):
        services.verify(item=it, actor=office_a, decision="accept")
    assert services.can_verify(org.alice, it) and not services.can_verify(office_a, it)
    services.verify(item=it, actor=org.alice, decision="accept")


def test_unit_b_cannot_act_on_unit_a_items(org):
    it = item(org)
    with pytest.raises(Forbidden):
        services.progress_add(item=it, actor=org.carol, text="x", percent=10)
    with pytest.raises(Forbidden):
        services.close_request(item=it, actor=org.carol, summary="x", files=[evidence(org.carol)])


def test_a_department_head_works_on_his_department_items(org):
    the_issue = issue(org, department=org.dept_a1)
    it = item(org, the_issue)
    assert it.responsible_department == org.dept_a1
    services.progress_add(item=it, actor=org.erin, text="科室已整改", percent=80)
    other = item(org, issue(org, department=org.dept_a2))
    with pytest.raises(Forbidden):
        services.progress_add(item=other, actor=org.erin, text="x", percent=10)


def test_long_term_items_have_milestones(org):
    it = item(
        org,
        type="long_term",
        milestones=[{"title": "制定制度", "due_on": date(2026, 12, 1)}],
    )
    milestone = it.milestones.get()
    services.milestone_done(milestone=milestone, actor=org.bob)
    assert milestone.done_at is not None
    with pytest.raises(ValidationFailed):
        item(org, type="immediate", milestones=[{"title": "x", "due_on": date(2026, 12, 1)}])


@pytest.fixture
def reseeded(transactional_db):
    """Roles and calendar for threaded tests (an earlier transactional test's flush removes them)."""
    from xiaoneng.core import calendar as work_calendar
    from xiaoneng.core.models import CalendarDay, CalendarYear, Role
    from xiaoneng.core.seed import seed_calendar, seed_roles

    seed_roles(Role)
    seed_calendar(CalendarDay, CalendarYear)
    work_calendar.invalidate()


@pytest.mark.django_db(transaction=True)
def test_concurrent_verifications_one_wins(reseeded, org):
    it = item(org)
    services.close_request(item=it, actor=org.bob, summary="已整改", files=[evidence(org.bob)])
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run(decision):
        try:
            target = RectificationItem.objects.get(pk=it.pk)
            barrier.wait()
            services.verify(item=target, actor=org.alice, decision=decision, reason="r")
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(d,)) for d in ("accept", "reject")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    it.refresh_from_db()
    assert it.status in ("closed", "in_progress")


def test_concurrent_transitions_from_stale_copies_one_wins(org):
    """Two copies loaded before either acts: the second conditional UPDATE finds 0 rows."""
    it = item(org)
    services.close_request(item=it, actor=org.bob, summary="已整改", files=[evidence(org.bob)])
    first = RectificationItem.objects.get(pk=it.pk)
    second = RectificationItem.objects.get(pk=it.pk)
    services.verify(item=first, actor=org.alice, decision="accept")
    with pytest.raises(Conflict):
        services.verify(item=second, actor=org.alice, decision="reject", reason="晚了")
    it.refresh_from_db()
    assert it.status == "closed"


def test_reminders_go_out_once_before_and_at_the_deadline(org):
    with frozen_now(at(2026, 3, 2, 9, 0)):
        it = item(org, deadline=date(2026, 3, 13), responsible_person=org.dave.person)
    assert services.send_reminders(now=at(2026, 3, 5, 9, 0)) == {"due_soon": 0, "overdue": 0}
    assert services.send_reminders(now=at(2026, 3, 11, 9, 0)) == {"due_soon": 1, "overdue": 0}
    assert services.send_reminders(now=at(2026, 3, 12, 10, 0)) == {"due_soon": 0, "overdue": 0}
    assert services.send_reminders(now=at(2026, 3, 16, 9, 0)) == {"due_soon": 0, "overdue": 1}
    assert services.send_reminders(now=at(2026, 3, 17, 9, 0)) == {"due_soon": 0, "overdue": 0}
    events = set(
        Notification.objects.filter(recipient=org.bob, channel="inbox").values_list(
            "event", flat=True
        )
    )
    assert {"rectification_due_soon", "rectification_overdue"} <= events
    assert (
        Notification.objects.filter(recipient=org.dave, event="rectification_overdue").count() == 1
    )
    assert it.pk


def test_a_verified_complaint_creates_a_linked_issue(org):
    category = Category.objects.first()
    complaint = complaint_services.complaint_register(
        actor=org.alice,
        channel="phone",
        type="complaint",
        category=category,
        subject_unit=org.unit_a,
        subject_department=org.dept_a1,
        title="挂号窗口态度差",
        content="窗口工作人员态度生硬。",
        complainant={"name": "张三", "phone": "13800138000"},
    )
    complaint_services.complaint_dispatch(
        complaint=complaint, actor=org.alice, unit=org.unit_a, department=org.dept_a1
    )
    complaint_services.complaint_sign(complaint=complaint, actor=org.bob)
    complaint_services.complaint_reply(complaint=complaint, actor=org.bob, content="已整改")
    complaint_services.complaint_verify(complaint=complaint, actor=org.alice, result="partly_true")
    found = Issue.objects.get(complaint=complaint)
    assert found.source == "complaint" and found.source_ref == complaint.number
    assert found.unit == org.unit_a and found.department == org.dept_a1
    assert list(complaint.ledger_issues.all()) == [found]
    # The issue's item can be closed only through request → verify by another unit's office user.
    it = item(org, found)
    with pytest.raises(Forbidden):
        services.verify(item=it, actor=org.bob, decision="accept")
    services.close_request(item=it, actor=org.bob, summary="已整改", files=[evidence(org.bob)])
    services.verify(item=it, actor=org.alice, decision="accept")
    assert it.status == "closed"


def test_a_complaint_found_untrue_creates_no_issue(org):
    category = Category.objects.first()
    complaint = complaint_services.complaint_register(
        actor=org.alice,
        channel="phone",
        type="complaint",
        category=category,
        subject_unit=org.unit_a,
        title="态度差",
        content="……",
        complainant={"anonymous": True},
    )
    complaint_services.complaint_dispatch(complaint=complaint, actor=org.alice, unit=org.unit_a)
    complaint_services.complaint_sign(complaint=complaint, actor=org.bob)
    complaint_services.complaint_reply(complaint=complaint, actor=org.bob, content="经核查不属实")
    complaint_services.complaint_verify(complaint=complaint, actor=org.alice, result="false")
    assert not Issue.objects.exists()
