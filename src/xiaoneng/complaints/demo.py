"""Demo complaints for the demo county: about thirty cases in every stage of the lifecycle,
driven through the real services (so timelines, deadlines, audit and inbox are all real).
Dates are spread over the last weeks, so some cases are near or past their deadline."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from xiaoneng.core import clock
from xiaoneng.core.models import Department, Person, Unit, User

from . import services
from .models import Category
from .vocab import Channel, Satisfaction, Type, Verification

CASES = [
    (
        "急诊科候诊时间过长",
        "晚上带孩子看急诊，等了两个多小时没有医生接诊，护士态度冷淡。",
        "QS-RMYY",
        "急诊科",
    ),
    (
        "收费处多收检查费",
        "结账时发现 CT 检查费被重复收取，窗口工作人员说不清楚原因。",
        "QS-RMYY",
        "挂号收费处",
    ),
    ("医生开大处方", "感冒就诊被开了四百多元的药，其中很多与病情无关。", "QS-RMYY", "内科"),
    ("检验报告迟迟拿不到", "血常规检查三天了还没有出报告，电话问也没人接。", "QS-RMYY", "检验科"),
    ("中药代煎服务态度差", "代煎中药送来少了一袋，工作人员推诿不处理。", "QS-ZYYY", "药剂科"),
    ("挂号窗口排长队", "早上七点排队挂号，只开了一个窗口，老人站了很久。", "QS-ZYYY", "挂号收费处"),
    ("超声检查预约要等一周", "孕检需要做彩超，预约排到一周以后，影响产检。", "QS-FYBJY", None),
    ("卫生院医生迟到早退", "上午九点去看病，医生还没有到岗，下午四点就找不到人了。", None, None),
    ("表扬外科护士细心照护", "住院期间外科护士照顾非常细心，特此表扬。", "QS-RMYY", "外科"),
    ("建议增加夜间药房窗口", "夜间只有一个药房窗口，取药要等很久，建议增加。", "QS-RMYY", "药剂科"),
    ("疫苗接种预约电话打不通", "社区卫生服务中心预防接种电话一直占线。", None, None),
    ("咨询医保报销比例", "想了解住院费用的医保报销比例和办理流程。", "QS-RMYY", None),
]

# How far each case gets: register, accept, dispatch, sign, reply, verify, visit, close.
STAGES = [
    "registered",
    "accepted",
    "dispatched",
    "signed",
    "replied",
    "verified",
    "visited",
    "closed",
]


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).select_related("person").first()


def load_demo(*, now: datetime) -> int:
    """Create the demo cases (once); returns how many were created."""
    office = _user("office")
    if office is None or Category.objects.filter(code__isnull=False).count() == 0:
        return 0
    from .models import Complaint

    if Complaint.objects.exists():
        return 0
    rng = random.Random(2026)
    categories = list(Category.objects.filter(is_active=True).order_by("pk")) or list(
        Category.objects.order_by("pk")
    )
    townships = list(Unit.objects.filter(code__regex=r"^QS-WSY\d{2}$").order_by("code")) or list(
        Unit.objects.order_by("code")
    )
    created = 0
    for i in range(30):
        title, content, unit_code, dept_name = CASES[i % len(CASES)]
        unit = (
            Unit.objects.filter(code=unit_code).first()
            if unit_code
            else townships[i % len(townships)]
        )
        if unit is None:
            continue
        dept = Department.objects.filter(unit=unit, name=dept_name).first() if dept_name else None
        received = now - timedelta(days=rng.randint(1, 40), hours=rng.randint(0, 8))
        stage = STAGES[min(i % 9, len(STAGES) - 1)]
        ctype = (
            Type.PRAISE
            if "表扬" in title
            else Type.SUGGESTION
            if "建议" in title
            else (Type.ENQUIRY if "咨询" in title else Type.COMPLAINT)
        )
        anonymous = i % 4 == 0
        complainant = (
            None
            if anonymous
            else {
                "name": f"{'张王李赵刘陈杨黄'[i % 8]}先生"
                if i % 2
                else f"{'张王李赵刘陈杨黄'[i % 8]}女士",
                "phone": f"138{(27000000 + i * 7919) % 100000000:08d}",
            }
        )
        with clock.frozen_now(received):
            case = services.complaint_register(
                actor=office,
                channel=[Channel.PHONE, Channel.HOTLINE_12345, Channel.WEB, Channel.LETTER][i % 4],
                type=ctype,
                category=categories[i % len(categories)],
                subject_unit=unit,
                subject_department=dept,
                title=title,
                content=content,
                received_at=received,
                complainant=complainant,
                external_ref=f"12345-{2026_0000 + i}" if i % 4 == 1 else "",
            )
        created += 1
        _advance(case, stage, office=office, unit=unit, dept=dept, start=received, rng=rng)
    return created


def _advance(case, stage, *, office, unit, dept, start, rng) -> None:
    target = STAGES.index(stage)
    admin = User.objects.filter(person__unit=unit, roles__code="unit_admin").first()
    if admin is None:
        admin = User.objects.filter(username="hosp1").first()
    at = start
    steps = STAGES[1 : target + 1]
    for step in steps:
        at = at + timedelta(hours=rng.randint(2, 30))
        with clock.frozen_now(min(at, clock.now())):
            case.refresh_from_db()
            if step == "accepted":
                services.complaint_accept(complaint=case, actor=office)
            elif step == "dispatched":
                services.complaint_dispatch(
                    complaint=case, actor=office, unit=unit, department=dept
                )
            elif step == "signed":
                if admin is None or admin.person is None or admin.person.unit_id != unit.pk:
                    return
                services.complaint_sign(complaint=case, actor=admin)
            elif step == "replied":
                services.complaint_reply(
                    complaint=case,
                    actor=admin,
                    content="经核查，已对相关人员进行批评教育，并优化了服务流程。感谢您的监督。",
                )
            elif step == "verified":
                result = [Verification.TRUE, Verification.PARTLY_TRUE, Verification.FALSE][
                    rng.randint(0, 2)
                ]
                services.complaint_verify(complaint=case, actor=office, result=result)
            elif step == "visited":
                services.complaint_return_visit(
                    complaint=case, actor=office, satisfaction=Satisfaction.SATISFIED
                )
            elif step == "closed":
                services.complaint_close(complaint=case, actor=office)


__all__ = ["load_demo", "Person"]
