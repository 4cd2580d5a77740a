"""Demo data of the self-inspection app for the demo county (青山县), written through the real
services so audit records and scopes are real:

- 五查五看 assigned by the office to the two county hospitals and two township health centres
  (one of them already overdue); the TCM hospital has answered every item (completed), the
  people's hospital three of them, one with a problem that is now a ledger issue; a personal
  五查 for the demo staff member;
- learning requirements of seed 003 (self-study ≥ 40 h, group study ≥ 10 h) and seed 000
  (1–2 essays), a group session of the emergency department, and 38 h of self-study for the
  demo staff member (not compliant);
- commitments: a public one of the people's hospital, a public personal one whose author agreed
  to be named, and an internal one;
- 五个一: last month's warning-education film recorded by the people's hospital only, so the
  other units are flagged;
- the institution register: six of the ten rules for the people's hospital (one due for review
  soon), three for the TCM hospital.

``load_demo(now=...)`` is called by ``core.demo.load_module_demos``; it does nothing (returns 0)
when the demo accounts are missing or any checklist has already been assigned.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from xiaoneng.core import clock
from xiaoneng.core.models import Person, Unit, User

from . import periods, services
from .models import (
    ChecklistAssignment,
    ChecklistTemplate,
    LearningKind,
    RecurringActivity,
    RuleType,
)


def _user(username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).select_related("person").first()


def load_demo(*, now: dt.datetime) -> int:
    """Create the demo records once; returns how many top-level records were created."""
    office, hosp1, hosp2, staff1 = (_user(n) for n in ("office", "hosp1", "hosp2", "staff1"))
    if not all((office, hosp1, hosp2, staff1)) or ChecklistAssignment.objects.exists():
        return 0
    hospital = hosp1.person.unit
    tcm = hosp2.person.unit
    townships = list(Unit.objects.filter(code__regex=r"^QS-WSY\d{2}$").order_by("code")[:2])
    today = timezone.localdate(now)
    with clock.frozen_now(now):
        return (
            _checklists(office, hosp1, hosp2, staff1, [hospital, tcm, *townships], today)
            + _learning(office, hosp1, staff1, hospital, today)
            + _commitments(hosp1, hosp2, staff1, hospital, tcm, today)
            + _activities(hosp1, hospital, today)
            + _register(hosp1, hosp2, hospital, tcm, today)
        )


def _checklists(office, hosp1, hosp2, staff1, units, today) -> int:
    wucha_wukan = ChecklistTemplate.objects.get(code="wucha-wukan")
    made = services.assignments_create(
        actor=office, template=wucha_wukan, due_on=today + dt.timedelta(days=14), units=units[:3]
    )
    if len(units) > 3:
        made.append(
            services.assignment_create(
                actor=office,
                template=wucha_wukan,
                unit=units[3],
                due_on=today - dt.timedelta(days=3),
            )
        )
    items = list(wucha_wukan.items.order_by("number"))
    by_unit = {a.unit_id: a for a in made}
    services.assignment_answer(
        actor=hosp2,
        assignment=by_unit[hosp2.person.unit_id],
        answers=[{"item": i, "result": "ok"} for i in items],
    )
    services.assignment_attach_material(
        actor=hosp2,
        assignment=by_unit[hosp2.person.unit_id],
        text="对照“五查五看”逐项自查，未发现突出问题；将持续改进服务态度和工作效率。",
    )
    problem = {
        "item": items[2],
        "result": "problem",
        "description": "门诊收费窗口存在推诿现象，群众需多次往返。",
    }
    services.assignment_answer(  # the problem goes into the rectification ledger
        actor=hosp1,
        assignment=by_unit[hosp1.person.unit_id],
        answers=[{"item": i, "result": "ok"} for i in items[:2]] + [problem],
    )
    wucha = ChecklistTemplate.objects.get(code="wucha")
    made.append(
        services.assignment_create(
            actor=hosp1,
            template=wucha,
            person=staff1.person,
            due_on=today + dt.timedelta(days=10),
        )
    )
    return len(made)


def _learning(office, hosp1, staff1, hospital, today) -> int:
    start, end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    for name, measure, minimum, maximum in (
        ("个人自学不少于40学时", "self_study", 40, None),
        ("集中学习不少于10学时", "group", 10, None),
        ("撰写心得体会1至2篇", "essays", 1, 2),
    ):
        services.requirement_create(
            actor=office,
            name=name,
            measure=measure,
            minimum=Decimal(minimum),
            maximum=Decimal(maximum) if maximum else None,
            starts_on=start,
            ends_on=end,
        )
    attendees = list(
        Person.objects.filter(unit=hospital, is_active=True, departments__name="急诊科")
        .distinct()
        .order_by("pk")
    ) or [hosp1.person, staff1.person]
    if staff1.person not in attendees:
        attendees.append(staff1.person)
    session_day = max(start, today - dt.timedelta(days=20))
    services.group_session_record(
        actor=hosp1,
        unit=hospital,
        attendees=attendees,
        date=session_day,
        hours=Decimal(3),
        topic="党风廉政建设和医德医风专题学习",
    )
    for i, hours in enumerate((8, 10, 12, 8)):  # 38 h: two short of the 40-hour minimum
        services.learning_record_create(
            actor=staff1,
            person=staff1.person,
            date=max(start, today - dt.timedelta(days=7 * (i + 1))),
            hours=Decimal(hours),
            kind=LearningKind.SELF_STUDY,
            topic="《医疗机构工作人员廉洁从业九项准则》自学",
        )
    return 3 + 1 + 4


def _commitments(hosp1, hosp2, staff1, hospital, tcm, today) -> int:
    services.commitment_create(
        actor=hosp1,
        unit=hospital,
        content="首问负责、限时办结：群众投诉 5 个工作日内答复，门诊窗口不推诿、不刁难。",
        committed_on=today - dt.timedelta(days=30),
        audience="website",
        is_public=True,
    )
    services.commitment_create(
        actor=staff1,
        person=staff1.person,
        content="文明接诊，耐心解释病情，不收受患者红包礼品。",
        committed_on=today - dt.timedelta(days=25),
        audience="notice_board",
        is_public=True,
        person_consents=True,
    )
    services.commitment_create(
        actor=hosp2,
        unit=tcm,
        content="中药代煎当日送达，差错当日处理。",
        committed_on=today - dt.timedelta(days=20),
        audience="leader",
    )
    return 3


def _activities(hosp1, hospital, today) -> int:
    # The seed makes 五个一 owed from the month of installation; the demo owes them from three
    # months back so that last month's gaps show.
    start = periods.bounds(periods.shift(periods.period_of(today, "monthly"), -3))[0]
    RecurringActivity.objects.filter(active_from__gt=start).update(active_from=start)
    film = RecurringActivity.objects.get(code="warning-education-film")
    last_month = periods.bounds(periods.last_completed(today, "monthly"))[0]
    services.activity_record_create(
        actor=hosp1,
        activity=film,
        unit=hospital,
        held_on=last_month + dt.timedelta(days=9),
        participant_count=120,
        participants="全院医务人员",
        notes="观看警示教育片《镜鉴》，各科室开展讨论。",
    )
    return 1


def _register(hosp1, hosp2, hospital, tcm, today) -> int:
    plan = [
        (hosp1, hospital, RuleType.POST_RESPONSIBILITY, today + dt.timedelta(days=10)),
        (hosp1, hospital, RuleType.SERVICE_PROMISE, None),
        (hosp1, hospital, RuleType.TIME_LIMIT, None),
        (hosp1, hospital, RuleType.FIRST_INQUIRY, None),
        (hosp1, hospital, RuleType.ONE_TIME_NOTICE, None),
        (hosp1, hospital, RuleType.ACCOUNTABILITY, None),
        (hosp2, tcm, RuleType.POST_RESPONSIBILITY, None),
        (hosp2, tcm, RuleType.FIRST_INQUIRY, None),
        (hosp2, tcm, RuleType.OPEN_AFFAIRS, None),
    ]
    for actor, unit, rule_type, review in plan:
        services.rule_create(
            actor=actor,
            unit=unit,
            rule_type=rule_type,
            adopted_on=today - dt.timedelta(days=300),
            next_review_on=review or today + dt.timedelta(days=365),
            owner=actor.person,
        )
    return len(plan)
