"""The complaint lifecycle through the services: happy path, illegal transitions (409), races,
send-back, pause/resume, extensions, redo, importance and the audit/timeline trail.

The helpers here (register, dispatched, CST) are shared by the other service tests."""

from __future__ import annotations

import importlib
import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections
from django.db.models import F

from xiaoneng.complaints import services
from xiaoneng.complaints.models import (
    Category,
    Complaint,
    ComplaintEvent,
    ComplaintPause,
    ExtensionRequest,
)
from xiaoneng.complaints.signals import complaint_verified_true
from xiaoneng.complaints.workflow import MACHINE
from xiaoneng.core import calendar as work_calendar
from xiaoneng.core.clock import frozen_now
from xiaoneng.core.errors import Conflict, Forbidden, ValidationFailed
from xiaoneng.core.models import AuditRecord, Message, Person
from xiaoneng.core.testing import make_user

CST = ZoneInfo("Asia/Shanghai")
IDENTITY = {"name": "张三丰", "phone": "+86 138-0013-8000", "id_number": "410101199001011234"}


def at(*args) -> datetime:
    return datetime(*args, tzinfo=CST)


def category(code: str = "poor_attitude") -> Category:
    return Category.objects.get(code=code)


def register(org, **over) -> Complaint:
    kwargs = {
        "actor": org.alice,
        "channel": "phone",
        "type": "complaint",
        "category": category(),
        "subject_unit": org.unit_a,
        "title": "挂号窗口态度差",
        "content": "窗口工作人员态度生硬，推诿患者。",
        "complainant": {**IDENTITY, "address": "郑州市金水路1号", "anonymous": False},
    }
    kwargs.update(over)
    return services.complaint_register(**kwargs)


def dispatched(org, unit=None, department=None, **over) -> Complaint:
    complaint = register(org, **over)
    services.complaint_dispatch(
        complaint=complaint, actor=org.alice, unit=unit or org.unit_a, department=department
    )
    complaint.refresh_from_db()
    return complaint


def signed(org, **over) -> Complaint:
    complaint = dispatched(org, department=org.dept_a1, **over)
    services.complaint_sign(complaint=complaint, actor=org.bob)
    return complaint


def statuses(complaint) -> list[str]:
    return list(
        ComplaintEvent.objects.filter(complaint=complaint)
        .exclude(from_status=F("to_status"))
        .values_list("to_status", flat=True)
    )


pytestmark = pytest.mark.django_db


@pytest.fixture
def reseeded(transactional_db):
    """Reference data for transactional (threaded) tests: an earlier transactional test's flush
    may have removed what the migrations seeded (roles, calendar, time rules, categories)."""
    from django.apps import apps

    from xiaoneng.complaints import sla
    from xiaoneng.core.models import CalendarDay, CalendarYear, Role
    from xiaoneng.core.seed import seed_calendar, seed_roles

    seed_roles(Role)
    seed_calendar(CalendarDay, CalendarYear)
    importlib.import_module("xiaoneng.complaints.migrations.0003_seed_rules").forwards(apps, None)
    work_calendar.invalidate()
    sla.invalidate_rules()


def test_it_runs_the_full_happy_path(org, django_capture_on_commit_callbacks):
    verified = []
    complaint_verified_true.connect(
        lambda sender, complaint, **kw: verified.append(complaint.pk), weak=False, dispatch_uid="t"
    )
    try:
        with frozen_now(at(2026, 11, 2, 9, 0)):
            c = register(org, received_at=at(2026, 11, 2, 8, 30))
            assert c.number.startswith("TS2026") and len(c.number) == 12
            assert c.status == "registered" and c.sla_policy.code == "default"
            assert c.resolve_by == at(2026, 11, 11, 23, 59, 59)  # 7 working days
            services.complaint_accept(complaint=c, actor=org.alice, note="受理")
            with django_capture_on_commit_callbacks(execute=True):
                services.complaint_dispatch(
                    complaint=c, actor=org.alice, unit=org.unit_a, department=org.dept_a1
                )
            assert Message.objects.filter(recipient=org.bob, kind="complaint.dispatched").exists()
            services.complaint_sign(complaint=c, actor=org.bob)
            assert c.first_inquiry_person == org.bob.person == c.handler and c.signed_at
            services.complaint_assign(complaint=c, actor=org.bob, handler=org.dave.person)
            assert c.status == "handling" and c.handler == org.dave.person
        with frozen_now(at(2026, 11, 3, 10, 0)):
            services.complaint_pause(complaint=c, actor=org.bob, reason="等待投诉人补充材料")
        with frozen_now(at(2026, 11, 4, 10, 0)):
            services.complaint_resume(complaint=c, actor=org.bob)
            assert c.resolve_by == at(2026, 11, 12, 23, 59, 59)  # one working day later
            ext = services.complaint_request_extension(
                complaint=c, actor=org.bob, days=2, reason="需要调查取证"
            )
            with django_capture_on_commit_callbacks(execute=True):
                services.complaint_decide_extension(complaint=c, actor=org.alice, approve=True)
            ext.refresh_from_db()
            c.refresh_from_db()
            assert ext.approved and c.extension_count == 1
            assert c.resolve_by == at(2026, 11, 16, 23, 59, 59)
            assert Message.objects.filter(
                recipient=org.bob, kind="complaint.extension_decided"
            ).exists()
            services.complaint_reply(
                complaint=c, actor=org.bob, content="已核查并整改，向您致歉。", to_supervisor=True
            )
            assert c.reply and c.reported_to_supervisor and c.replied_at
            with django_capture_on_commit_callbacks(execute=True):
                services.complaint_verify(complaint=c, actor=org.alice, result="partly_true")
            assert verified == [c.pk]
            services.complaint_return_visit(complaint=c, actor=org.alice, satisfaction="satisfied")
            services.complaint_close(complaint=c, actor=org.alice, note="办结")
    finally:
        complaint_verified_true.disconnect(dispatch_uid="t")
    c.refresh_from_db()
    assert c.status == "closed" and c.closed_at
    assert statuses(c) == [
        "registered", "accepted", "dispatched", "signed", "handling", "paused", "handling",
        "replied", "verified", "visited", "closed",
    ]  # fmt: skip
    public = list(
        ComplaintEvent.objects.filter(complaint=c, public=True).values_list("action", flat=True)
    )
    assert public == ["register", "accept", "reply", "close"]
    actions = set(
        AuditRecord.objects.filter(
            object_type="complaints.complaint", object_id=str(c.pk)
        ).values_list("action", flat=True)
    )
    assert {"create", "accept", "dispatch", "sign", "reply", "verify", "close"} <= actions
    assert ComplaintPause.objects.get(complaint=c).working_seconds == 24 * 3600


def _root(org):
    """A superuser with a person in unit A: every permission, so only the state can refuse."""
    return make_user("root", Person.objects.create(name="根", unit=org.unit_a), is_superuser=True)


def _in_state(org, state: str) -> Complaint:
    c = register(org)
    a = org.alice
    path = {
        "registered": [],
        "accepted": ["accept"],
        "rejected": ["reject"],
        "dispatched": ["dispatch"],
        "signed": ["dispatch", "sign"],
        "handling": ["dispatch", "sign", "assign"],
        "paused": ["dispatch", "sign", "pause"],
        "replied": ["dispatch", "sign", "reply"],
        "verified": ["dispatch", "sign", "reply", "verify"],
        "visited": ["dispatch", "sign", "reply", "verify", "visit"],
        "closed": ["dispatch", "sign", "reply", "close"],
    }[state]
    for step in path:
        if step == "accept":
            services.complaint_accept(complaint=c, actor=a)
        elif step == "reject":
            services.complaint_reject(complaint=c, actor=a, reason="不属于受理范围")
        elif step == "dispatch":
            services.complaint_dispatch(complaint=c, actor=a, unit=org.unit_a)
        elif step == "sign":
            services.complaint_sign(complaint=c, actor=org.bob)
        elif step == "assign":
            services.complaint_assign(complaint=c, actor=org.bob, handler=org.dave.person)
        elif step == "pause":
            services.complaint_pause(complaint=c, actor=org.bob, reason="等待")
        elif step == "reply":
            services.complaint_reply(complaint=c, actor=org.bob, content="答复")
        elif step == "verify":
            services.complaint_verify(complaint=c, actor=a, result="false")
        elif step == "visit":
            services.complaint_return_visit(complaint=c, actor=a, satisfaction="satisfied")
        elif step == "close":
            services.complaint_close(complaint=c, actor=a)
    assert c.status == state
    return c


def _calls(org, root):
    a = b = root
    return {
        "accept": lambda c: services.complaint_accept(complaint=c, actor=a),
        "reject": lambda c: services.complaint_reject(complaint=c, actor=a, reason="理由"),
        "dispatch": lambda c: services.complaint_dispatch(complaint=c, actor=a, unit=org.unit_a),
        "send_back": lambda c: services.complaint_send_back(
            complaint=c, actor=b, reason="非本单位"
        ),
        "sign": lambda c: services.complaint_sign(complaint=c, actor=b),
        "assign": lambda c: services.complaint_assign(complaint=c, actor=b, handler=b.person),
        "pause": lambda c: services.complaint_pause(complaint=c, actor=b, reason="等待"),
        "resume": lambda c: services.complaint_resume(complaint=c, actor=b),
        "reply": lambda c: services.complaint_reply(complaint=c, actor=b, content="答复"),
        "verify": lambda c: services.complaint_verify(complaint=c, actor=a, result="true"),
        "return_visit": lambda c: services.complaint_return_visit(
            complaint=c, actor=a, satisfaction="satisfied"
        ),
        "close": lambda c: services.complaint_close(complaint=c, actor=a),
        "reopen": lambda c: services.complaint_reopen(complaint=c, actor=a, reason="重新办理"),
    }


STATES = [
    "registered", "accepted", "rejected", "dispatched", "signed", "handling", "paused",
    "replied", "verified", "visited", "closed",
]  # fmt: skip


@pytest.mark.parametrize("state", STATES)
def test_every_illegal_transition_is_a_conflict(org, state):
    calls = _calls(org, _root(org))
    complaint = _in_state(org, state)
    illegal = [n for n in calls if n not in MACHINE.allowed(complaint)]
    assert illegal
    for name in illegal:
        with pytest.raises(Conflict):
            calls[name](Complaint.objects.get(pk=complaint.pk))
        assert Complaint.objects.get(pk=complaint.pk).status == state, name


def test_two_signs_on_the_same_case_one_wins(org):
    complaint = dispatched(org)
    first = Complaint.objects.get(pk=complaint.pk)
    stale = Complaint.objects.get(pk=complaint.pk)
    services.complaint_sign(complaint=first, actor=org.bob)
    with pytest.raises(Conflict):
        services.complaint_sign(complaint=stale, actor=org.bob)
    assert ComplaintEvent.objects.filter(complaint=complaint, action="sign").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reseeded")
def test_two_threads_signing_at_once_one_wins(org):
    complaint = dispatched(org)
    objects = [Complaint.objects.get(pk=complaint.pk) for _ in range(2)]
    outcomes: list[str] = []
    lock = threading.Lock()

    def sign(obj):
        try:
            services.complaint_sign(complaint=obj, actor=org.bob)
            result = "won"
        except Conflict:
            result = "conflict"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=sign, args=(o,)) for o in objects]
    # Both threads run truly in parallel on PostgreSQL (the loser waits on the row lock, then sees
    # the new status); SQLite serialises writers, so there they run one after the other.
    parallel = connection.vendor == "postgresql"
    for t in threads:
        t.start()
        if not parallel:
            t.join()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "won"]
    assert Complaint.objects.get(pk=complaint.pk).status == "signed"
    assert ComplaintEvent.objects.filter(complaint=complaint, action="sign").count() == 1


def test_reject_needs_a_reason_and_tells_it_once_publicly(org):
    c = register(org)
    with pytest.raises(ValidationFailed) as exc:
        services.complaint_reject(complaint=c, actor=org.alice, reason="  ")
    assert "reason" in exc.value.errors
    services.complaint_reject(complaint=c, actor=org.alice, reason="不属于卫生健康部门职责")
    event = ComplaintEvent.objects.get(complaint=c, action="reject")
    assert event.public and event.note == "不属于卫生健康部门职责"
    assert c.reject_reason == "不属于卫生健康部门职责"


def test_registration_validates_every_field(org):
    with frozen_now(at(2026, 11, 2, 9, 0)), pytest.raises(ValidationFailed) as exc:
        register(
            org,
            title="",
            received_at=at(2026, 11, 2, 10, 0),
            subject_department=org.dept_b1,
            channel="pigeon",
        )
    assert {"title", "received_at", "subject_department", "channel"} <= set(exc.value.errors)


def test_only_registrars_register_and_only_the_office_dispatches(org):
    with pytest.raises(Forbidden):
        register(org, actor=org.nobody)
    c = register(org, actor=org.bob)  # unit admins may register
    with pytest.raises(Forbidden):
        services.complaint_dispatch(complaint=c, actor=org.bob, unit=org.unit_a)


def test_the_unit_must_be_in_the_handlers_scope(org):
    c = dispatched(org, unit=org.unit_a)
    with pytest.raises(Forbidden):
        services.complaint_sign(complaint=c, actor=org.carol)
    with pytest.raises(Forbidden):
        services.complaint_sign(complaint=c, actor=org.alice)  # no complaint.handle


def test_dispatch_validates_the_department(org):
    c = register(org)
    with pytest.raises(ValidationFailed) as exc:
        services.complaint_dispatch(
            complaint=c, actor=org.alice, unit=org.unit_a, department=org.dept_b1
        )
    assert "department" in exc.value.errors


def test_the_handler_must_belong_to_the_unit(org):
    c = signed(org)
    with pytest.raises(ValidationFailed) as exc:
        services.complaint_assign(complaint=c, actor=org.bob, handler=org.carol.person)
    assert "handler" in exc.value.errors


def test_a_case_can_be_sent_back_only_within_the_limit(org):
    with frozen_now(at(2026, 11, 2, 9, 0)):  # Monday
        c = dispatched(org)
    with frozen_now(at(2026, 11, 4, 23, 0)):  # 2nd working day after dispatch
        with pytest.raises(ValidationFailed):
            services.complaint_send_back(complaint=c, actor=org.bob, reason="")
        services.complaint_send_back(complaint=c, actor=org.bob, reason="非本单位职责")
    assert c.status == "accepted" and c.unit == org.unit_a and c.handler is None
    with frozen_now(at(2026, 11, 5, 9, 0)):
        services.complaint_dispatch(complaint=c, actor=org.alice, unit=org.unit_a)
    with frozen_now(at(2026, 11, 10, 0, 1)), pytest.raises(Conflict):  # past 2 working days
        services.complaint_send_back(complaint=c, actor=org.bob, reason="非本单位职责")


def test_pause_and_resume_extend_the_deadline_by_the_paused_working_time(org):
    with frozen_now(at(2026, 11, 2, 9, 0)):
        c = signed(org, received_at=at(2026, 11, 2, 9, 0))
    due = c.resolve_by
    with frozen_now(at(2026, 11, 6, 15, 0)):  # Friday 15:00
        services.complaint_pause(complaint=c, actor=org.bob, reason="等待投诉人补充材料")
        assert c.paused_at and c.status == "paused"
    with frozen_now(at(2026, 11, 9, 10, 0)):  # Monday 10:00: 9 h Friday + 10 h Monday
        services.complaint_resume(complaint=c, actor=org.bob)
    pause = ComplaintPause.objects.get(complaint=c)
    assert pause.working_seconds == 19 * 3600 and pause.ended_at
    expected = work_calendar.get_calendar().add_working_seconds(due, 19 * 3600).at
    c.refresh_from_db()
    assert c.resolve_by == expected and c.resolve_by > due
    assert c.paused_at is None and c.status == "handling"


def test_one_extension_is_granted_and_a_second_is_refused(org):
    c = signed(org)
    services.complaint_request_extension(complaint=c, actor=org.bob, days=3, reason="取证")
    with pytest.raises(Conflict):  # one request at a time
        services.complaint_request_extension(complaint=c, actor=org.bob, days=3, reason="取证")
    with pytest.raises(ValidationFailed):  # refusal needs a reason
        services.complaint_decide_extension(complaint=c, actor=org.alice, approve=False)
    old = c.resolve_by
    services.complaint_decide_extension(complaint=c, actor=org.alice, approve=True)
    c.refresh_from_db()
    assert c.extension_count == 1
    assert c.resolve_by == work_calendar.add_working_days(old, 3).at
    with pytest.raises(Conflict):
        services.complaint_request_extension(complaint=c, actor=org.bob, days=1, reason="再延")
    with pytest.raises(Conflict):
        services.complaint_decide_extension(complaint=c, actor=org.alice, approve=True)
    assert ExtensionRequest.objects.filter(complaint=c).count() == 1


def test_an_unsatisfied_return_visit_restarts_handling_with_a_fresh_clock(org):
    with frozen_now(at(2026, 11, 2, 9, 0)):
        c = signed(org)
        services.complaint_reply(complaint=c, actor=org.bob, content="答复")
        services.complaint_verify(complaint=c, actor=org.alice, result="false")
    with frozen_now(at(2026, 11, 9, 9, 0)):
        services.complaint_return_visit(complaint=c, actor=org.alice, satisfaction="unsatisfied")
    c.refresh_from_db()
    assert c.status == "handling" and c.redo_count == 1
    assert c.clock_started_at == at(2026, 11, 9, 9, 0)
    assert c.resolve_by == at(2026, 11, 18, 23, 59, 59)
    assert statuses(c)[-2:] == ["visited", "handling"]


def test_marking_important_sends_one_express_report(org, django_capture_on_commit_callbacks):
    leader = org.leader
    principal = make_user("principal_a", org.unit_a.principal)
    c = dispatched(org)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            services.complaint_mark_important(
                complaint=Complaint.objects.get(pk=c.pk), actor=org.alice
            )
    c.refresh_from_db()
    assert c.importance == "important" and c.express_reported_at
    for user in (leader, principal):
        assert Message.objects.filter(recipient=user, kind="complaint.express_report").count() == 1
    assert ComplaintEvent.objects.filter(complaint=c, action="mark_important").count() == 1


def test_reopening_a_closed_case_starts_a_new_round(org):
    c = _in_state(org, "closed")
    services.complaint_reopen(complaint=c, actor=org.alice, reason="投诉人再次反映")
    assert c.status == "handling" and c.redo_count == 1 and c.closed_at is None


def test_override_sla_recomputes_from_the_clock_start(org):
    from xiaoneng.complaints.models import SlaPolicy

    with frozen_now(at(2026, 9, 30, 17, 0)):
        c = register(org, received_at=at(2026, 9, 30, 17, 0))
        with pytest.raises(ValidationFailed):
            services.complaint_override_sla(
                complaint=c, actor=org.alice, policy=SlaPolicy.objects.get(code="price"), reason=""
            )
        services.complaint_override_sla(
            complaint=c,
            actor=org.alice,
            policy=SlaPolicy.objects.get(code="price"),
            reason="实为价格投诉",
        )
    c.refresh_from_db()
    assert c.sla_policy.code == "price" and c.sla_override_reason == "实为价格投诉"
    assert c.resolve_by == at(2026, 10, 10, 23, 59, 59)
    assert ComplaintEvent.objects.filter(complaint=c, action="override_sla").exists()
