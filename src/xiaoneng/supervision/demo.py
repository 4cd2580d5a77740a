"""Demo social supervisors for the demo county, written through the real services: supervisor1
(行风社会监督员) and two 效能监督员 on the roster with their terms; supervisor1's reports — one
turned into a complaint that the people's hospital has answered, one entered in the ledger, one
noted with an answer, one still waiting for the office — and ballot links of the open evaluation
round for the supervisors' evaluator group."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from xiaoneng.complaints import services as complaint_services
from xiaoneng.complaints.models import Category
from xiaoneng.core import clock
from xiaoneng.core.models import Person, Unit, User
from xiaoneng.core.services import org as org_services
from xiaoneng.selfcheck.models import RecurringActivity
from xiaoneng.selfcheck.services import activities as activity_services

from . import services
from .models import Supervisor

# (name, gender, background): invented, like every name of the demo county
EXTRA = [("覃明远", Person.Gender.MALE, "县政协委员"), ("苗思雨", Person.Gender.FEMALE, "退休教师")]


def _user(username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).first()


def load_demo(*, now: dt.datetime) -> int:
    """Create the demo roster and reports (once); returns the number of reports filed."""
    office, sup = _user("office"), _user("supervisor1")
    if office is None or sup is None or sup.person is None or Supervisor.objects.exists():
        return 0
    from xiaoneng.core.demo import BUREAU_CODE

    bureau = Unit.objects.filter(code=BUREAU_CODE).first()
    hospital = Unit.objects.filter(code="QS-RMYY").first()
    tcm = Unit.objects.filter(code="QS-ZYYY").first()
    if bureau is None or hospital is None:
        return 0
    today = timezone.localdate(now)
    start, end = today - dt.timedelta(days=300), today + dt.timedelta(days=430)
    with clock.frozen_now(now - dt.timedelta(days=20)):
        services.supervisor_appoint(
            actor=office,
            person=sup.person,
            kind="conduct",
            term_starts_on=start,
            term_ends_on=end,
            affiliation="县人大代表",
            appointment_doc=f"卫聘〔{start.year}〕3号",
        )
        for i, (name, gender, affiliation) in enumerate(EXTRA):
            person = org_services.person_create(
                actor=None,
                check=False,
                name=name,
                unit=bureau,
                employee_no=f"JD{i + 2:04d}",
                gender=gender,
                phone=f"139000099{i:02d}",
                position="效能监督员",
                political_status=Person.Political.MASSES,
            )
            services.supervisor_appoint(
                actor=office,
                person=person,
                kind="efficiency",
                term_starts_on=start,
                term_ends_on=end,
                affiliation=affiliation,
                appointment_doc=f"卫聘〔{start.year}〕3号",
            )
    category = Category.objects.filter(is_active=True).order_by("sort_order", "pk").first()
    reports = [
        ("clue", hospital, "门诊挂号窗口上午无人值守", "上午九点左右2号挂号窗口无人，患者排队约二十分钟。", "门诊大厅"),
        ("clue", tcm or hospital, "住院部收费处工作人员态度生硬", "患者询问费用明细时，收费员不耐烦，未作解释。", "住院部收费处"),
        ("observation", hospital, "建议增设老年人就诊引导员", "老年患者不会使用自助机，建议高峰时段安排志愿者引导。", "门诊自助机区"),
        ("clue", hospital, "急诊科夜间医生迟到", "晚上十点急诊患者等候医生约十五分钟。", "急诊科"),
    ]  # fmt: skip
    made = []
    for k, (kind, unit, title, content, place) in enumerate(reports):
        with clock.frozen_now(now - dt.timedelta(days=15 - k * 3)):
            made.append(
                services.report_file(
                    actor=sup,
                    kind=kind,
                    unit=unit,
                    title=title,
                    content=content,
                    place=place,
                    observed_at=clock.now() - dt.timedelta(hours=3),
                )
            )
    with clock.frozen_now(now - dt.timedelta(days=14)):
        if category is not None:
            report = services.report_to_complaint(
                actor=office, report=made[0], category=category, answer="已转投诉件办理。"
            )
            _answer(office, report.complaint, hospital)
    with clock.frozen_now(now - dt.timedelta(days=10)):
        services.report_to_issue(actor=office, report=made[1], answer="已列入整改台账，限期整改。")
    with clock.frozen_now(now - dt.timedelta(days=6)):
        services.report_note(
            actor=office,
            report=made[2],
            answer="感谢您的建议，已转县人民医院研究，在门诊高峰时段安排志愿者引导。",
        )
    _patient_visit(office, hospital, sup, now)
    _ballots(office, now)
    _inspection_team(office, sup, today)
    return len(made)


def _inspection_team(office: User, sup: User, today: dt.date) -> None:
    """The office puts supervisor1 on a visit of an open inspection plan, with an inspector."""
    from xiaoneng.inspections import services as inspection_services
    from xiaoneng.inspections.models import InspectionPlan

    plan = InspectionPlan.objects.exclude(status="closed").order_by("id").first()
    unit = Unit.objects.filter(code="QS-ZYYY").first()
    if plan is None or unit is None:
        return
    inspector = next((p for p in plan.team.all() if p.unit_id != unit.pk), None)
    team = [p for p in (inspector, sup.person) if p is not None]
    inspection_services.visit_create(
        actor=office,
        plan=plan,
        unit=unit,
        scheduled_on=today + dt.timedelta(days=3),
        team=team,
    )


def _answer(office: User, complaint, hospital: Unit) -> None:
    """The people's hospital signs for and answers the supervisor's complaint."""
    admin = _user("hosp1")
    complaint_services.complaint_accept(complaint=complaint, actor=office)
    complaint_services.complaint_dispatch(complaint=complaint, actor=office, unit=hospital)
    if admin is None or admin.person is None or admin.person.unit_id != hospital.pk:
        return
    complaint_services.complaint_sign(complaint=complaint, actor=admin)
    complaint_services.complaint_reply(
        complaint=complaint,
        actor=admin,
        content="经核查情况属实，已对当班人员批评教育，并实行挂号窗口弹性排班，高峰时段不少于三个窗口。",
    )


def _ballots(office: User, now: dt.datetime) -> None:
    from xiaoneng.evaluations.models import EvaluatorGroup

    group = (
        EvaluatorGroup.objects.filter(round__status="open", name__contains="监督员")
        .order_by("-round_id")
        .first()
    )
    if group is not None:
        with clock.frozen_now(now):
            services.ballots_send(actor=office, round=group.round, group=group)


def _patient_visit(office, hospital, sup, now: dt.datetime) -> None:
    """supervisor1 took part in the people's hospital's “假如我是患者” visit (五个一)."""
    activity = RecurringActivity.objects.filter(code="if-i-were-the-patient").first()
    hosp1 = _user("hosp1")
    if activity is None or not activity.is_active or hosp1 is None:
        return
    # held today: in the current quarter whatever the date, so the 五个一 register's gaps of
    # completed periods stay as the selfcheck demo sets them
    with clock.frozen_now(now):
        record = activity_services.activity_record_create(
            actor=hosp1,
            activity=activity,
            unit=hospital,
            held_on=timezone.localdate(clock.now()),
            participant_count=6,
            participants="副院长、医务科、护理部、社会监督员",
            notes="院领导以患者身份挂号、候诊、缴费、取药，全程体验就诊流程，记录问题8条。",
        )
        services.activity_add(actor=office, supervisor=sup.person.supervisor_post, record=record)
