"""Demo ledger for the demo county: a dozen issues from several sources with items in every state
(pending, in progress, close-out requested, returned, closed, one overdue), some published,
driven through the real services (timelines, deadlines, audit, notifications are all real).

Hook: ``load_demo(now=...)`` after the organisation and the demo accounts exist (the demo loader
in core calls it); it does nothing when the ledger already has issues.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from xiaoneng.core import clock
from xiaoneng.core.files import store_bytes
from xiaoneng.core.models import Unit, User

from . import services
from .models import Issue

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# (unit code, source, severity, title, measures, type, days to deadline, how far it gets, public)
CASES = [
    ("QS-RMYY", "inspection", "general", "门诊导诊台上午无人值守", "安排专人轮班值守导诊台",
     "immediate", 5, "closed", True),
    ("QS-RMYY", "complaint", "serious", "收费处重复收取检查费", "逐笔核对并退还多收费用，完善收费复核",
     "immediate", 7, "close_requested", False),
    ("QS-RMYY", "self_inspection", "general", "病历书写不规范", "组织病历书写培训，每月抽查",
     "staged", 60, "in_progress", True),
    ("QS-RMYY", "evaluation", "typical", "急诊候诊时间过长", "增设夜间急诊医生，推行分诊叫号",
     "long_term", 300, "in_progress", True),
    ("QS-RMYY", "service_time", "general", "检验报告超时发放", "优化检验流程，超时自动提醒",
     "immediate", -3, "pending", False),
    ("QS-ZYYY", "inspection", "general", "中药代煎登记不全", "完善代煎登记和交接签字",
     "immediate", 6, "returned", False),
    ("QS-ZYYY", "assigned", "major", "医保基金使用不规范", "开展医保基金专项自查，整改违规收费",
     "staged", 90, "pending", True),
    ("QS-ZYYY", "self_inspection", "general", "挂号窗口服务用语不规范", "统一服务用语并考核",
     "immediate", 4, "closed", True),
    ("QS-FYBJY", "complaint", "general", "彩超预约等待时间长", "增加预约时段，开放线上预约",
     "staged", 45, "in_progress", False),
    ("QS-FYBJY", "other", "general", "院内指示标识不清", "更新院内导视标识",
     "immediate", 10, "pending", False),
]  # fmt: skip


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).select_related("person").first()


def load_demo(*, now: datetime) -> int:
    """Create the demo ledger (once); returns how many issues were created."""
    office = _user("office")
    if office is None or Issue.objects.exclude(source="complaint").exists():
        return 0
    created = 0
    with clock.frozen_now(now - timedelta(days=10)):
        plan = []
        for unit_code, source, severity, title, measures, type_, days, stage, public in CASES:
            unit = (
                Unit.objects.filter(code=unit_code).first() or Unit.objects.order_by("path").last()
            )
            if unit is None:
                continue
            issue = services.issue_create(
                actor=office,
                unit=unit,
                source=source,
                severity=severity,
                title=title,
                description=f"{title}。（演示数据）",
            )
            deadline = (now + timedelta(days=days)).date() if days > 0 else None
            item = services.item_create(
                actor=None,
                issue=issue,
                type=type_,
                measures=measures,
                target="问题整改到位，群众满意",
                deadline=deadline,
                responsible_person_name="演示责任人",
                responsible_leader_name="演示分管领导",
            )
            if days <= 0:  # overdue: the deadline passed |days| days ago
                from . import deadlines

                at = clock.now() + timedelta(days=10 + days)
                item.__class__.objects.filter(pk=item.pk).update(
                    deadline=at, yellow_at=deadlines.yellow_at(item.started_at, at)
                )
                item.refresh_from_db()
            plan.append((item, unit, stage, public))
            created += 1
    with clock.frozen_now(now - timedelta(days=2)):
        for item, unit, stage, public in plan:
            admin = User.objects.filter(
                is_active=True, roles__code="unit_admin", person__unit=unit
            ).first()
            if stage != "pending" and admin is not None:
                _advance(item, admin, office, stage)
            if public:
                services.item_set_public(item=item, actor=office, public=True)
    return created


def _advance(item, admin: User, office: User, stage: str) -> None:
    photo = store_bytes(data=PDF, name="整改佐证材料.pdf", actor=admin)
    services.progress_add(
        item=item, actor=admin, text="已制定整改方案并落实", percent=60, files=[photo]
    )
    if stage == "in_progress":
        return
    services.close_request(item=item, actor=admin, summary="整改已完成，申请销号", files=[photo])
    if stage == "close_requested":
        return
    if stage == "returned":
        services.verify(item=item, actor=office, decision="reject", reason="佐证材料不足，请补充")
        return
    services.verify(item=item, actor=office, decision="accept")
