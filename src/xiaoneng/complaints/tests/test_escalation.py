"""Escalation (首问负责制, 提级管理) and reminders: the sweep at 50 / 80 / 100 % moves exactly one
level each time, re-running changes nothing, messages arrive once; sign-for reminders; overdue
reminder the next working day and a written criticism 5 working days later."""

from __future__ import annotations

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from xiaoneng.complaints import escalation, services
from xiaoneng.complaints.models import Complaint, EscalationStep
from xiaoneng.core.clock import frozen_now
from xiaoneng.core.errors import Conflict, Forbidden
from xiaoneng.core.models import Message
from xiaoneng.core.snapshot import invalidate_all
from xiaoneng.core.testing import make_user

from .test_lifecycle import at, register, reseeded  # noqa: F401

pytestmark = pytest.mark.django_db

START = at(2026, 11, 2, 9, 0)  # Monday; default policy: resolve by Wed 11 Nov 23:59:59


@pytest.fixture
def leaders(org):
    return {
        "deputy": make_user("deputy_a", org.dept_a1.leader_in_charge),
        "principal": make_user("principal_a", org.unit_a.principal),
    }


def signed_case(org) -> Complaint:
    with frozen_now(START):
        c = register(org, received_at=START)
        services.complaint_dispatch(
            complaint=c, actor=org.alice, unit=org.unit_a, department=org.dept_a1
        )
        services.complaint_sign(complaint=c, actor=org.bob)
    assert c.resolve_by == at(2026, 11, 11, 23, 59, 59)
    return c


def run(when, django_capture_on_commit_callbacks):
    with frozen_now(when), django_capture_on_commit_callbacks(execute=True):
        return escalation.sweep(when)


def state(c) -> tuple[int, list[str]]:
    c.refresh_from_db()
    return c.escalation_level, list(
        EscalationStep.objects.filter(complaint=c).order_by("id").values_list("key", flat=True)
    )


def inbox(user, kind="complaint.ladder") -> int:
    return Message.objects.filter(recipient=user, kind=kind).count()


def test_each_rung_escalates_exactly_one_level_and_reruns_change_nothing(
    org, leaders, django_capture_on_commit_callbacks
):
    c = signed_case(org)
    sweep = lambda when: run(when, django_capture_on_commit_callbacks)  # noqa: E731

    sweep(at(2026, 11, 6, 12, 0))  # < 50 %
    assert state(c) == (0, [])

    for _ in range(2):
        sweep(at(2026, 11, 7, 12, 0))  # > 50 %: department head
        assert state(c) == (1, ["ladder:r0:p50"])
    assert inbox(org.erin) == 1
    assert EscalationStep.objects.get(complaint=c).person == org.erin.person

    for _ in range(2):
        sweep(at(2026, 11, 10, 12, 0))  # > 80 %: leader in charge
        assert state(c) == (2, ["ladder:r0:p50", "ladder:r0:p80"])
    assert inbox(leaders["deputy"]) == 1 and inbox(org.erin) == 1

    for _ in range(2):
        result = sweep(at(2026, 11, 12, 1, 0))  # > 100 %: principal + office, overdue reminder
    level, keys = state(c)
    assert level == 3
    assert keys == ["ladder:r0:p50", "ladder:r0:p80", "ladder:r0:p100", "overdue:r0:20261111"]
    assert result.steps == {} or sum(result.steps.values()) == 0  # the re-run did nothing
    assert inbox(leaders["principal"]) == 1 and inbox(org.alice) == 1
    assert c.overdue_since == c.resolve_by
    assert Message.objects.filter(recipient=org.bob, kind="complaint.overdue_reminder").count() == 1


def test_a_late_sweep_records_every_passed_rung_once_in_order(
    org, leaders, django_capture_on_commit_callbacks
):
    c = signed_case(org)
    run(at(2026, 11, 10, 12, 0), django_capture_on_commit_callbacks)
    assert state(c) == (2, ["ladder:r0:p50", "ladder:r0:p80"])
    levels = list(
        EscalationStep.objects.filter(complaint=c).order_by("id").values_list("level", flat=True)
    )
    assert levels == [1, 2]


def test_overdue_reminder_next_working_day_and_written_criticism_after_five(
    org, django_capture_on_commit_callbacks
):
    c = signed_case(org)
    run(at(2026, 11, 11, 23, 59, 59), django_capture_on_commit_callbacks)
    assert not EscalationStep.objects.filter(complaint=c, kind="overdue_reminder").exists()
    run(at(2026, 11, 12, 0, 0, 1), django_capture_on_commit_callbacks)  # next working day
    assert EscalationStep.objects.filter(complaint=c, kind="overdue_reminder").count() == 1
    # 5 working days after the deadline: 12, 13, 16, 17, 18 Nov → end of 18 Nov
    run(at(2026, 11, 18, 18, 0), django_capture_on_commit_callbacks)
    assert not EscalationStep.objects.filter(complaint=c, kind="written_criticism").exists()
    for _ in range(2):
        run(at(2026, 11, 19, 9, 0), django_capture_on_commit_callbacks)
    step = EscalationStep.objects.get(complaint=c, kind="written_criticism")
    assert step.office_notified and not step.resolved
    assert inbox(org.alice, "complaint.written_criticism") == 1


def test_an_overdue_reminder_waits_for_the_next_working_day(
    org, django_capture_on_commit_callbacks
):
    with frozen_now(at(2026, 11, 4, 9, 0)):  # Wednesday → due Fri 13 Nov (7 working days)
        c = register(org, received_at=at(2026, 11, 4, 9, 0))
        services.complaint_dispatch(complaint=c, actor=org.alice, unit=org.unit_a)
        services.complaint_sign(complaint=c, actor=org.bob)
    assert c.resolve_by == at(2026, 11, 13, 23, 59, 59)
    run(at(2026, 11, 15, 12, 0), django_capture_on_commit_callbacks)  # Sunday: overdue, no reminder
    c.refresh_from_db()
    assert c.overdue_since == c.resolve_by
    assert not EscalationStep.objects.filter(complaint=c, kind="overdue_reminder").exists()
    run(at(2026, 11, 16, 8, 0), django_capture_on_commit_callbacks)  # Monday
    assert EscalationStep.objects.filter(complaint=c, kind="overdue_reminder").count() == 1


def test_not_signed_for_reminds_the_unit_admins_then_the_principal(
    org, leaders, django_capture_on_commit_callbacks
):
    with frozen_now(START):
        c = register(org, received_at=START)
        services.complaint_dispatch(complaint=c, actor=org.alice, unit=org.unit_a)
    assert c.sign_by == at(2026, 11, 3, 23, 59, 59)
    run(at(2026, 11, 3, 20, 0), django_capture_on_commit_callbacks)
    assert not EscalationStep.objects.filter(complaint=c).exists()
    run(at(2026, 11, 4, 9, 0), django_capture_on_commit_callbacks)
    assert inbox(org.bob, "complaint.sign_reminder") == 1
    assert inbox(leaders["principal"], "complaint.sign_escalation") == 0
    for _ in range(2):
        run(at(2026, 11, 5, 9, 0), django_capture_on_commit_callbacks)
    assert inbox(org.bob, "complaint.sign_reminder") == 1
    assert inbox(leaders["principal"], "complaint.sign_escalation") == 1
    assert inbox(org.carol, "complaint.sign_reminder") == 0


def test_paused_and_finished_cases_are_not_escalated(org, django_capture_on_commit_callbacks):
    c = signed_case(org)
    with frozen_now(at(2026, 11, 3, 9, 0)):
        services.complaint_pause(complaint=c, actor=org.bob, reason="等待投诉人")
    run(at(2026, 11, 20, 9, 0), django_capture_on_commit_callbacks)
    assert state(c) == (0, [])


def test_a_redo_round_climbs_the_ladder_again(org, leaders, django_capture_on_commit_callbacks):
    c = signed_case(org)
    run(at(2026, 11, 7, 12, 0), django_capture_on_commit_callbacks)
    with frozen_now(at(2026, 11, 9, 9, 0)):
        services.complaint_reply(complaint=c, actor=org.bob, content="答复")
        services.complaint_verify(complaint=c, actor=org.alice, result="false")
        services.complaint_return_visit(complaint=c, actor=org.alice, satisfaction="unsatisfied")
    assert state(c)[0] == 0
    run(at(2026, 11, 14, 12, 0), django_capture_on_commit_callbacks)  # > 50 % of the new round
    assert state(c) == (1, ["ladder:r0:p50", "ladder:r1:p50"])
    assert inbox(org.erin) == 2


def test_manual_escalation_moves_one_level_up(org, leaders, django_capture_on_commit_callbacks):
    c = signed_case(org)
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_escalate(complaint=c, actor=org.bob, reason="久拖不决")
    assert c.escalation_level == 1
    assert inbox(org.erin, "complaint.escalated") == 1
    services.complaint_escalate(
        complaint=Complaint.objects.get(pk=c.pk), actor=org.alice, reason="提级"
    )
    services.complaint_escalate(
        complaint=Complaint.objects.get(pk=c.pk), actor=org.alice, reason="提级"
    )
    c.refresh_from_db()
    assert c.escalation_level == 3
    steps = EscalationStep.objects.filter(complaint=c, kind="manual").order_by("id")
    assert [s.person for s in steps] == [
        org.erin.person, org.dept_a1.leader_in_charge, org.unit_a.principal,
    ]  # fmt: skip
    with pytest.raises(Conflict):
        services.complaint_escalate(complaint=c, actor=org.alice, reason="再提级")
    with pytest.raises(Forbidden):
        services.complaint_escalate(complaint=c, actor=org.carol, reason="不在范围")
    with pytest.raises(Forbidden):
        services.complaint_escalate(complaint=c, actor=org.leader, reason="只读")
    # the sweep does not repeat rungs the case is already above
    run(at(2026, 11, 10, 12, 0), django_capture_on_commit_callbacks)
    assert not EscalationStep.objects.filter(complaint=c, kind="ladder").exists()


def test_without_a_department_the_unit_principal_answers(
    org, leaders, django_capture_on_commit_callbacks
):
    with frozen_now(START):
        c = register(org, received_at=START)
        services.complaint_dispatch(complaint=c, actor=org.alice, unit=org.unit_a)
        services.complaint_sign(complaint=c, actor=org.bob)
    run(at(2026, 11, 7, 12, 0), django_capture_on_commit_callbacks)
    assert EscalationStep.objects.get(complaint=c).person == org.unit_a.principal
    assert inbox(leaders["principal"]) == 1


def test_the_command_runs_the_sweep_as_of_now(org, leaders):
    c = signed_case(org)
    out = StringIO()
    call_command("sla_sweep", now="2026-11-07T12:00:00", stdout=out)
    assert "ladder=1" in out.getvalue() and "2026-11-07T12:00:00+08:00" in out.getvalue()
    assert state(c) == (1, ["ladder:r0:p50"])


def test_the_sweep_reads_in_bulk_not_per_case(org, leaders):
    when = at(2026, 11, 12, 1, 0)  # every rung and the overdue reminder are due
    reads = {}
    for n in (1, 4):
        Complaint.objects.all().delete()
        cases = [signed_case(org) for _ in range(n)]
        invalidate_all()  # both runs load the rule snapshots
        with frozen_now(when), CaptureQueriesContext(connection) as ctx:
            result = escalation.sweep(when)
        assert result.steps["ladder"] == 3 * n and result.steps["overdue_reminder"] == n
        assert all(state(c)[0] == 3 for c in cases)
        reads[n] = sum(1 for q in ctx.captured_queries if q["sql"].lstrip().startswith("SELECT"))
    assert reads[4] == reads[1]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reseeded")
def test_two_sweeps_at_once_record_each_step_once(org, leaders):
    cases = [signed_case(org) for _ in range(3)]
    when = at(2026, 11, 12, 1, 0)
    errors: list[BaseException] = []
    parallel = 4 if connection.vendor == "postgresql" else 2
    barrier = threading.Barrier(parallel)

    def work():
        try:
            barrier.wait()
            with frozen_now(when):
                escalation.sweep(when)
        except BaseException as exc:  # noqa: BLE001  pragma: no cover - re-raised by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(parallel)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    for c in cases:
        assert state(c) == (
            3,
            ["ladder:r0:p50", "ladder:r0:p80", "ladder:r0:p100", "overdue:r0:20261111"],
        )
    assert inbox(org.erin) == 3 and inbox(leaders["principal"]) == 3


def test_a_case_with_nothing_due_is_not_read_again(org, leaders):
    c = signed_case(org)  # due Wed 11 Nov; the criticism is due 5 working days later (18 Nov)
    when = at(2026, 11, 17, 12, 0)  # 5.5 natural days overdue, but only 4 working days
    with frozen_now(when):
        first = escalation.sweep(when)
    assert first.steps["overdue_reminder"] == 1 and not first.steps["written_criticism"]
    with frozen_now(when):
        again = escalation.sweep(when)
    assert again.examined == 0
    assert escalation.candidate_ids(at(2026, 11, 19, 0, 30), []) == [c.pk]  # now it is due
