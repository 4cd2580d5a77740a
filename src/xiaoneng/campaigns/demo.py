"""Demo campaign for the demo county: one campaign in progress on the day the demo is loaded,
made from the seeded template whose dates cover that day (效能风暴 June–December, otherwise
作风整顿 December–May), driven through the real services: some units submitted on time, one
late, one returned with a reason, others still owe (so 逾期 and 催报 show), key-task progress and
target measurements (met and not met)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from xiaoneng.core import clock
from xiaoneng.core.models import Unit, User

from . import services
from .models import Campaign, CampaignTemplate, Submission, Target


def _user(username: str) -> User | None:
    return User.objects.filter(username=username, is_active=True).first()


def _pick(today: dt.date) -> tuple[str, int]:
    if dt.date(today.year, 6, 1) <= today <= dt.date(today.year, 12, 10):
        return "xiaoneng-fengbao", today.year
    if today > dt.date(today.year, 12, 10):
        return "zuofeng-zhengdun", today.year
    return "zuofeng-zhengdun", today.year - 1


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _leading_groups(office: User, campaign: Campaign) -> None:
    """The bureau's leading group (局长 组长, 副局长 副组长, the heads of its offices 成员, the
    head of 效能办 directing the group's office) and the people's hospital's own group."""
    from xiaoneng.core.models import Department, Person

    def add(group, people, role):
        for person in people:
            if person is not None and not group.members.filter(person=person).exists():
                services.group_member_add(actor=office, group=group, person=person, role=role)

    hospital = campaign.units.filter(code="QS-RMYY").first()
    for unit in [u for u in (campaign.issuing_unit, hospital) if u is not None]:
        depts = Department.objects.filter(unit=unit, head__isnull=False).select_related("head")
        heads = {d.name: d.head for d in depts.order_by("sort_order")}
        director = heads.get("效能办") or heads.get("院办")
        is_bureau = unit.pk == campaign.issuing_unit_id
        group = services.group_save(
            actor=office,
            campaign=campaign,
            unit=None if is_bureau else unit,
            name="" if is_bureau else f"{unit.name}{campaign.name}领导小组",
            office_name="领导小组办公室（设在效能办）"
            if is_bureau
            else "领导小组办公室（设在院办）",
            office_director=director,
        )
        deputies = Person.objects.filter(unit=unit, position__in=("副局长", "副院长"))
        add(group, [unit.principal], "leader")
        add(group, deputies.order_by("id")[:3], "deputy")
        add(group, [h for name, h in heads.items() if h != director][:5], "member")


def load_demo(*, now: dt.datetime) -> int:
    """Create the demo campaign (once); returns the number of campaigns created."""
    office = _user("office")
    if office is None or Campaign.objects.exists():
        return 0
    today = timezone.localdate(now)
    code, year = _pick(today)
    template = CampaignTemplate.objects.filter(code=code).first()
    if template is None:
        return 0
    from xiaoneng.core.demo import BUREAU_CODE

    bureau = Unit.objects.filter(code=BUREAU_CODE).first()
    with clock.frozen_now(now):
        campaign = services.campaign_create_from_template(
            actor=office,
            template=template,
            year=year,
            doc_number=f"卫发〔{year}〕18号",
            issuing_unit=bureau,
        )
        _leading_groups(office, campaign)
        services.campaign_start(actor=office, campaign=campaign)
    admins = {
        u.person.unit_id: u
        for u in User.objects.filter(is_active=True, person__isnull=False).select_related("person")
        if u.has_permission("campaign.submit") and not u.has_permission("campaign.manage")
    }
    past = Submission.objects.filter(requirement__campaign=campaign, due_on__lt=today).order_by(
        "due_on", "unit__code"
    )
    for i, sub in enumerate(past):
        user = admins.get(sub.unit_id)
        if user is None:
            continue
        late = i % 3 == 2
        when = sub.due_on + dt.timedelta(days=2) if late else sub.due_on - dt.timedelta(days=1)
        with clock.frozen_now(_at(min(when, today))):
            services.submission_submit(
                actor=user,
                submission=sub,
                text=f"{sub.unit.name}{sub.requirement.name}（见附件说明）。",
            )
        with clock.frozen_now(_at(min(when + dt.timedelta(days=1), today), 15)):
            if i % 4 == 1:
                services.submission_return(
                    actor=office, submission=sub, reason="内容过于简略，请补充具体措施和责任人。"
                )
            else:
                services.submission_accept(actor=office, submission=sub)
    with clock.frozen_now(now):
        for task in campaign.key_tasks.order_by("number")[:6]:
            for j, progress in enumerate(task.progress.select_related("unit")[:4]):
                user = admins.get(progress.unit_id)
                if user is not None:
                    services.key_task_report(
                        actor=user,
                        task=task,
                        unit=progress.unit,
                        status="done" if j % 2 == 0 else "in_progress",
                        note="已制定工作措施并组织落实。",
                    )
        samples = [Decimal("4"), Decimal("12"), Decimal("36"), Decimal("25"), Decimal("95")]
        period = f"{today:%Y-%m}"
        for target, value in zip(
            Target.objects.filter(campaign=campaign).order_by("id"), samples, strict=False
        ):
            services.measurement_record(
                actor=office, target=target, period=period, value=value, evidence="抽查记录"
            )
    return 1
