"""Demo inspections for the demo county: one 明查 plan with a 双随机 draw (three visits), findings
of each severity (the severe one with its 督办单), two published visits, and one published
exposure bulletin — all through the real services.

Hook: ``load_demo(now=...)`` (core.demo calls it after the organisation and the accounts
exist); it does nothing when a plan already exists.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta

from django.utils import timezone
from PIL import Image

from xiaoneng.complaints.models import Category
from xiaoneng.core import clock
from xiaoneng.core.files import store_bytes
from xiaoneng.core.models import Person, Unit, User
from xiaoneng.selfcheck.models import ChecklistTemplate

from . import services
from .models import InspectionPlan
from .services.draw import compute_draw

UNITS = ("QS-RMYY", "QS-ZYYY", "QS-FYBJY", "QS-CDC", "QS-WSJD")


def _photo_bytes() -> bytes:
    """A small generated image standing in for a site photo."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 200, 220)).save(buffer, format="PNG")
    return buffer.getvalue()


FINDINGS = [
    ("general", "导诊台上午无人值守", "上午9时30分门诊导诊台无人，患者排队询问无人解答。"),
    ("serious", "收费窗口服务态度生硬", "收费窗口工作人员对老年患者询问不耐烦，语气生硬。"),
    ("severe", "医生诊室内收受患者礼品", "暗访人员目睹医生收受患者家属所送购物卡，未拒收。"),
]


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).select_related("person").first()


def _seed_with(units, pool, first_code: str) -> int:
    """A fixed seed whose draw includes the county hospital (so hosp1 sees an order)."""
    for seed in range(20260301, 20260401):
        rows = compute_draw(units=units, pool=pool, unit_count=3, stratify=False,
                            inspector_count=2, seed=seed)  # fmt: skip
        if any(r.unit.code == first_code for r in rows):
            return seed
    return 20260301


def load_demo(*, now: datetime) -> int:
    office, leader = _user("office"), _user("leader")
    if office is None or leader is None or InspectionPlan.objects.exists():
        return 0
    units = list(Unit.objects.filter(code__in=UNITS).order_by("pk"))
    bureau = office.person.unit
    pool = list(Person.objects.filter(unit=bureau, is_active=True).order_by("pk")[:6])
    pool += list(Person.objects.filter(unit__code="QS-RMYY").order_by("pk")[:2])  # 回避 shows
    if len(units) < 3 or len(pool) < 4:
        return 0
    category = Category.objects.filter(is_active=True).order_by("sort_order", "pk").first()
    start = timezone.localdate(now) - timedelta(days=40)
    with clock.frozen_now(now - timedelta(days=30)):
        plan = services.plan_create(
            actor=office,
            name=f"{start.year}年医德医风明查（第一批）",
            kind="open",
            starts_on=start,
            ends_on=start + timedelta(days=60),
            units=units,
            template=ChecklistTemplate.objects.filter(is_active=True).order_by("pk").first(),
            team=pool[:2],
            inspector_pool=pool,
            unit_count=3,
            inspector_count=2,
        )
        visits = services.plan_draw(
            actor=office, plan=plan, seed=_seed_with(units, pool, "QS-RMYY")
        )
    visits.sort(key=lambda v: v.unit.code != "QS-RMYY")
    photo = store_bytes(data=_photo_bytes(), name="现场照片.png", actor=office)
    with clock.frozen_now(now - timedelta(days=25)):
        first = visits[0]
        services.visit_record(actor=office, visit=first, summary="检查组按清单逐项检查门诊、收费及诊室。",
                              files=[(photo, now - timedelta(days=25, hours=1))])  # fmt: skip
        for severity, title, description in FINDINGS:
            services.finding_create(actor=office, visit=first, title=title,
                                    description=description, severity=severity,
                                    category=category)  # fmt: skip
        services.visit_publish(actor=office, visit=first)
        second = visits[1]
        services.visit_record(actor=office, visit=second, summary="住院部服务流程检查。")
        services.finding_create(actor=office, visit=second, title="住院部公示收费标准未更新",
                                description="公示栏收费标准仍为旧版。", category=category)  # fmt: skip
        services.visit_publish(actor=office, visit=second)
    with clock.frozen_now(now - timedelta(days=5)):
        findings = list(first.findings.order_by("pk"))
        bulletin = services.bulletin_create(
            actor=office,
            title=f"关于{start.year}年第一批明查发现问题的通报",
            intro="为持续深化作风建设，现将近期明查发现的典型问题通报如下。",
            period_start=start,
            period_end=timezone.localdate(now) - timedelta(days=5),
            findings=findings[1:],
        )
        services.bulletin_submit(actor=office, bulletin=bulletin)
        services.bulletin_approve(actor=leader, bulletin=bulletin)
        services.bulletin_publish(actor=office, bulletin=bulletin)
    services.escalate_overdue(now=now)  # the severe finding's order is overdue by now
    return 1
