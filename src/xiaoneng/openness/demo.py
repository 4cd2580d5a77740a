"""Demo 领导接待日 and 院务公开 for the demo county: the bureau's and two hospitals' leaders on
the roster (one past day with a visit recorded as a complaint), the county hospital's approved
院务公开 page, the TCM hospital's page awaiting approval — all through the real services.

Hook: ``load_demo(now=...)``; does nothing when a reception day already exists.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from xiaoneng.complaints.models import Category
from xiaoneng.core.clock import frozen_now
from xiaoneng.core.demo_county import BUREAU_CODE
from xiaoneng.core.models import Unit, User

from . import services
from .models import ReceptionDay

# (section, title, time limit, price, charged per, content)
PAGES = {
    "QS-RMYY": [
        ("standard", "门诊挂号、收费", "排队等候不超过15分钟", None, "", "高峰时段增开窗口。"),
        ("standard", "常规检验报告", "2小时内出具", None, "", "急诊检验30分钟内出具。"),
        ("standard", "CT、彩超检查", "当日预约、当日检查", None, "", ""),
        ("standard", "出院结算", "30分钟内办结", None, "", ""),
        ("price", "普通门诊诊查费", "", "10.00", "次", "执行省医疗服务价格标准。"),
        ("price", "血常规", "", "20.00", "次", ""),
        ("price", "CT平扫（单部位）", "", "180.00", "部位", ""),
        ("price", "普通病房床位费", "", "35.00", "床日", ""),
        ("procedure", "就诊流程", "", None, "", "挂号—候诊—就诊—缴费—检查/取药—复诊。"),
        (
            "procedure",
            "投诉流程",
            "",
            None,
            "",
            "门诊一楼投诉接待室或拨打投诉电话，5个工作日内答复。",
        ),
        ("commitment", "首问负责，不推诿", "", None, "", "第一位接待的工作人员负责引导办结。"),
        ("commitment", "不收红包、不吃请", "", None, "", "欢迎社会监督。"),
    ],
    "QS-ZYYY": [
        ("standard", "中药代煎", "当日取药", None, "", ""),
        ("price", "中医辨证论治", "", "15.00", "次", ""),
        ("commitment", "限时办结", "", None, "", "承诺时限内办结群众事项。"),
    ],
}


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).select_related("person").first()


def _at(day: datetime, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localtime(day).date(), time(hour, minute)))


def _receptions(office: User, now: datetime) -> int:
    n = 0
    plan = [(BUREAU_CODE, 3, 9), ("QS-RMYY", 5, 9), ("QS-ZYYY", 10, 14), (BUREAU_CODE, 17, 9)]
    for code, days, hour in plan:
        unit = Unit.objects.filter(code=code).first()
        if unit is None or unit.principal is None:
            continue
        start = _at(now + timedelta(days=days), hour)
        services.reception_create(
            actor=office, unit=unit, leader=unit.principal, starts_at=start,
            ends_at=start + timedelta(hours=2, minutes=30),
            place="局机关一楼群众接待室" if code == BUREAU_CODE else "门诊楼一楼接待室",
            topics="医疗服务、行风作风、医疗收费",
        )  # fmt: skip
        n += 1
    hospital = Unit.objects.filter(code="QS-RMYY").first()
    category = Category.objects.filter(is_active=True).first()
    if hospital is not None and hospital.principal is not None and category is not None:
        past = _at(now - timedelta(days=6), 9)
        with frozen_now(past - timedelta(days=1)):
            reception = services.reception_create(
                actor=office, unit=hospital, leader=hospital.principal, starts_at=past,
                ends_at=past + timedelta(hours=2), place="门诊楼一楼接待室",
                topics="院长接待日",
            )  # fmt: skip
        with frozen_now(past + timedelta(hours=1)):
            services.visit_record(
                actor=office, reception=reception, type="complaint", category=category,
                title="住院押金退费慢", content="出院一周押金仍未退回，多次询问无果。",
                complainant={"name": "王秀兰", "phone": "13800005678"},
            )  # fmt: skip
        n += 2
    return n


def _pages(office: User, hosp1: User | None, hosp2: User | None) -> int:
    n = 0
    for code, editor, approve in (("QS-RMYY", hosp1, True), ("QS-ZYYY", hosp2, False)):
        unit = Unit.objects.filter(code=code).first()
        if unit is None or editor is None:
            continue
        page = services.disclosure_open(actor=editor, unit=unit)
        for section, title, limit, price, per, content in PAGES[code]:
            services.item_add(
                actor=editor, disclosure=page, section=section, title=title, time_limit=limit,
                price=None if price is None else Decimal(price),
                price_unit=per, content=content,
            )  # fmt: skip
            n += 1
        services.disclosure_act(actor=editor, disclosure=page, action="submit")
        if approve:
            services.disclosure_act(actor=office, disclosure=page, action="approve")
    return n


def load_demo(*, now: datetime) -> int:
    office = _user("office")
    if office is None or ReceptionDay.objects.exists():
        return 0
    return _receptions(office, now) + _pages(office, _user("hosp1"), _user("hosp2"))
