"""Demo 创先争优 for the demo county: party organisations of the bureau and two hospitals with
members (承诺践诺, 亮身份, 党员示范岗/先锋岗), star ratings of windows, nurses and departments,
nominations of a 先进基层党组织 and an 优秀共产党员, and a leader's contact points with a visit —
all through the real services.

Hook: ``load_demo(now=...)``; does nothing when a party organisation already exists.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from xiaoneng.core.demo_county import BUREAU_CODE
from xiaoneng.core.models import Department, Person, Unit, User

from . import services
from .models import PartyOrganisation, StarScheme

COMMITMENTS = [
    ("首问负责，一次性告知，不让群众跑冤枉路。", "本年度接待咨询无一例推诿投诉。"),
    ("限时办结，当日事当日毕。", "窗口业务全部在承诺时限内办结。"),
    ("廉洁行医，不收红包、不吃请。", "主动拒收并上交患者红包2次。"),
    ("微笑服务，文明用语。", "患者满意度测评98%。"),
]
# scores in criterion order (see the 0002 seed migration)
WINDOW_SCORES = [(19, 19, 20, 19, 19), (18, 17, 18, 18, 19), (15, 14, 16, 15, 16)]
NURSE_SCORES = [(24, 24, 29, 19), (22, 21, 26, 17), (20, 18, 24, 15)]
DEPARTMENT_SCORES = [(19, 18, 19, 24, 14), (16, 16, 17, 20, 12)]


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).select_related("person").first()


def _members(office: User, org: PartyOrganisation, people: list[Person]) -> list:
    members = []
    for i, person in enumerate(people):
        commitment, fulfilment = COMMITMENTS[i % len(COMMITMENTS)]
        post = ("model", "vanguard", "")[i % 3]
        members.append(
            services.member_save(
                actor=office,
                organisation=org,
                person=person,
                commitment=commitment,
                fulfilment=fulfilment,
                shows_identity=i % 4 != 3,
                post=post,
                post_name={"model": "党员示范岗", "vanguard": "党员先锋岗"}.get(post, ""),
            )  # fmt: skip
        )
    return members


def _party_people(unit: Unit, exclude: set[int], count: int) -> list[Person]:
    qs = Person.objects.filter(unit=unit, is_active=True, political_status="cpc").exclude(
        pk__in=exclude
    )
    return list(qs.order_by("id")[:count])


def _organisations(office: User) -> tuple[list, list]:
    orgs, members = [], []
    used: set[int] = set()
    plan = [
        (BUREAU_CODE, "局机关党支部", "branch"),
        ("QS-RMYY", "县人民医院门诊党支部", "branch"),
        ("QS-RMYY", "县人民医院住院部党支部", "branch"),
        ("QS-ZYYY", "县中医院党支部", "branch"),
    ]
    for code, name, kind in plan:
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            continue
        org = services.organisation_create(
            actor=office, unit=unit, name=name, kind=kind, secretary=unit.principal
        )
        people = _party_people(unit, used, 4)
        used.update(p.pk for p in people)
        orgs.append(org)
        members.extend(_members(office, org, people))
    return orgs, members


def _ratings(office: User, year: int) -> int:
    hospital = Unit.objects.filter(code="QS-RMYY").first()
    if hospital is None:
        return 0
    n = 0
    schemes = {s.code: s for s in StarScheme.objects.prefetch_related("criteria")}

    def rate(code, values, name, department=None, person=None):
        scheme = schemes[code]
        scores = {str(c.pk): v for c, v in zip(scheme.criteria.all(), values, strict=True)}
        return services.rating_create(
            actor=office, scheme=scheme, year=year, unit=hospital, subject_name=name,
            scores=scores, department=department, person=person,
        )  # fmt: skip

    windows = list(Department.objects.filter(unit=hospital, kind="window").order_by("id")[:3])
    for dept, values in zip(windows, WINDOW_SCORES, strict=False):
        rate("star-window", values, f"{dept.name}窗口", department=dept)
        n += 1
    nurses = list(Person.objects.filter(unit=hospital, position__contains="护").order_by("id")[:3])
    for person, values in zip(nurses, NURSE_SCORES, strict=False):
        rate("star-nurse", values, person.name, person=person)
        n += 1
    clinical = list(Department.objects.filter(unit=hospital, kind="clinical").order_by("id")[:2])
    for i, (dept, values) in enumerate(zip(clinical, DEPARTMENT_SCORES, strict=False)):
        rating = rate("star-department", values, dept.name, department=dept)
        if i == 0:
            services.rating_act(actor=office, rating=rating, action="confirm")
        n += 1
    return n


def _contacts(office: User, leader: User | None, now: datetime) -> int:
    if leader is None or leader.person is None:
        return 0
    n = 0
    for i, code in enumerate(("QS-WSY01", "QS-WSY02")):
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            continue
        point = services.contact_create(
            actor=office, leader=leader.person, unit=unit,
            since=timezone.localdate(now) - timedelta(days=120), note="创先争优活动联系点",
        )  # fmt: skip
        n += 1
        if i == 0:
            services.visit_record(
                actor=office, point=point, visited_on=timezone.localdate(now) - timedelta(days=9),
                findings="候诊区座椅不足，公示栏承诺内容未更新。",
                help_given="协调增加候诊座椅，督促一周内更新党员承诺公示。",
            )  # fmt: skip
            n += 1
    return n


def load_demo(*, now: datetime) -> int:
    office = _user("office")
    if office is None or PartyOrganisation.objects.exists():
        return 0
    year = timezone.localtime(now).year
    orgs, members = _organisations(office)
    n = len(orgs) + len(members) + _ratings(office, year)
    by_name = {o.name: o for o in orgs}
    # the county hospital carries the demo's vetoes (a failed spot check, its assessment):
    # its nominations wait, blocked, for the office to weigh
    outpatient = by_name.get("县人民医院门诊党支部")
    if outpatient is not None:
        services.nominate(actor=office, year=year, award="organisation",
                          organisation=outpatient, reason="“五个好”党支部")  # fmt: skip
        n += 1
        candidates = [m for m in members if m.organisation_id == outpatient.pk]
        if candidates:
            services.nominate(actor=office, year=year, award="member", organisation=outpatient,
                              member=candidates[0], reason="“五带头”优秀共产党员")  # fmt: skip
            n += 1
    tcm = by_name.get("县中医院党支部")
    if tcm is not None:
        clean = services.nominate(actor=office, year=year, award="organisation",
                                  organisation=tcm, reason="“五个好”党支部")  # fmt: skip
        if not any(f["blocking"] for f in clean.nomination.findings):
            services.decide(actor=office, nomination=clean, action="confirm")
        n += 1
    return n + _contacts(office, _user("leader"), now)
