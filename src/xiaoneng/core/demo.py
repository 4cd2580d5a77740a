"""The demo county: 青山县, an invented county health system with its people and demo accounts.

Everything here is invented. Names are drawn from a seeded random generator that combines
common surnames with given-name characters, so the county is the same on every machine and
names no real person on purpose. Phone numbers are 1390000xxxx.

Units, departments and people are written through ``core.services.org`` with ``check=False``,
so every row has its audit record (actor "system"). ``load_demo_county`` is idempotent: once
the bureau exists it does nothing and returns False.
"""

from __future__ import annotations

import random
from typing import Any

from django.conf import settings
from django.db import transaction

from . import clock
from .demo_county import (
    BUREAU_CODE,
    GIVEN_FEMALE,
    GIVEN_MALE,
    PROFILES,
    SEED,
    SURNAMES,
    TITLES,
    Built,
    UnitSpec,
    unit_specs,
)
from .inbox import inbox_deliver
from .models import Department, Person, Role, Unit, User
from .services import org as org_services


class _People:
    """Deterministic invented people: names, phones, employee numbers, titles."""

    def __init__(self, seed: int = SEED):
        self.rng = random.Random(seed)
        self.used: set[str] = set()
        self.phone_seq = 0

    def name(self, gender: str) -> str:
        given = GIVEN_MALE if gender == Person.Gender.MALE else GIVEN_FEMALE
        while True:
            length = 1 if self.rng.random() < 0.3 else 2
            name = self.rng.choice(SURNAMES) + "".join(
                self.rng.choice(given) for _ in range(length)
            )
            if name not in self.used:
                self.used.add(name)
                return name

    def phone(self) -> str:
        self.phone_seq += 1
        return f"1390000{self.phone_seq:04d}"

    def gender(self, ladder: str) -> str:
        female_share = {"nurse": 0.92, "finance": 0.7}.get(ladder, 0.45)
        return Person.Gender.FEMALE if self.rng.random() < female_share else Person.Gender.MALE

    def political(self, senior: bool) -> str:
        P = Person.Political
        if senior:
            return P.CPC if self.rng.random() < 0.85 else P.OTHER_PARTY
        return self.rng.choices(
            [P.CPC, P.PROBATIONARY, P.LEAGUE, P.OTHER_PARTY, P.MASSES], [34, 3, 14, 4, 45]
        )[0]

    def title(self, ladder: str, senior: bool) -> str:
        titles = TITLES[ladder]
        if senior:
            return self.rng.choices(titles[:3], [2, 5, 3])[0]
        return self.rng.choices(titles, [1, 3, 6, 6, 2])[0]


def load_demo_county(stdout=None) -> bool:
    """Create the demo county once; return False (and change nothing) if it is already there."""
    if Unit.objects.filter(code=BUREAU_CODE).exists():
        return False
    with transaction.atomic():
        built = _build_org()
        users = _build_accounts(built)
        _deliver_welcome(users)
        module_counts = load_module_demos()
    if stdout is not None:
        skipped = sorted(set(DEMO_ACCOUNTS) - set(users))
        if skipped:
            stdout.write(f"These accounts already existed and were left unchanged: {skipped}")
        stdout.write(
            f"Demo county loaded: {Unit.objects.count()} units, {Department.objects.count()} "
            f"departments, {Person.objects.count()} people, {len(users)} demo accounts."
        )
        for module, count in module_counts.items():
            stdout.write(f"  {module}: {count}")
    return True


# Each module may ship `<app>/demo.py` with `load_demo(*, now) -> int`; called in this order
# (complaints first: verified complaints feed the ledger) inside the county's transaction.
DEMO_MODULES = (
    "complaints",
    "rectification",
    "campaigns",
    "selfcheck",
    "inspections",
    "evaluations",
    "accountability",
    "supervision",
    "openness",
    "party",
    "documents",
    "servicetimes",
)


def load_module_demos() -> dict[str, int]:
    import importlib
    import importlib.util

    counts = {}
    now = clock.now()
    for app in DEMO_MODULES:
        name = f"xiaoneng.{app}.demo"
        if importlib.util.find_spec(name) is None:
            continue
        counts[app] = importlib.import_module(name).load_demo(now=now) or 0
    return counts


def _build_org() -> dict[str, Built]:
    gen = _People()
    built: dict[str, Built] = {}
    for order, spec in enumerate(unit_specs()):
        parent = built[spec.parent].unit if spec.parent else None
        unit = org_services.unit_create(
            actor=None,
            check=False,
            name=spec.name,
            short_name=spec.short_name,
            code=spec.code,
            kind=spec.kind,
            level=spec.level,
            parent=parent,
            is_window=spec.is_window,
            address=spec.address,
            phone=f"0000-86{order:02d}{gen.rng.randrange(100, 999)}",
            sort_order=order,
        )
        built[spec.code] = _staff_unit(unit, spec, gen)
    return built


def _staff_unit(unit: Unit, spec: UnitSpec, gen: _People) -> Built:
    seq = 0

    def person(position: str, ladder: str, *, senior: bool, departments=()) -> Person:
        nonlocal seq
        seq += 1
        gender = gen.gender(ladder)
        return org_services.person_create(
            actor=None,
            check=False,
            name=gen.name(gender),
            unit=unit,
            departments=departments,
            employee_no=f"{spec.code.removeprefix('QS-').replace('-', '')}{seq:04d}",
            gender=gender,
            phone=gen.phone(),
            position=position,
            title=gen.title(ladder, senior),
            political_status=gen.political(senior),
        )

    depts = {}
    for i, (name, profile, _size) in enumerate(spec.depts):
        depts[name] = org_services.department_create(
            actor=None,
            check=False,
            unit=unit,
            name=name,
            kind=PROFILES[profile][0],
            phone=f"{8000 + i * 10}" if unit.kind != Unit.Kind.BUREAU else "",
            sort_order=i,
        )
    office = next(iter(depts.values()), None)
    leader_ladder = "gov" if unit.kind == Unit.Kind.BUREAU else "doctor"
    office_set = (office,) if office else ()
    principal = person(spec.principal, leader_ladder, senior=True, departments=office_set)
    deputies = [
        person(spec.deputy, leader_ladder, senior=True, departments=office_set)
        for _ in range(spec.deputies)
    ]
    result = Built(unit=unit, principal=principal, deputies=deputies, depts=depts)
    for i, (name, profile, size) in enumerate(spec.depts):
        dept = depts[name]
        _kind, head_position, roles = PROFILES[profile]
        head_ladder = roles[0][1]
        head_title = f"{name}主任" if head_position == "科主任" else f"{name}{head_position}"
        head = person(head_title, head_ladder, senior=True, departments=(dept,))
        members = []
        for _ in range(size):
            position, ladder, _w = gen.rng.choices(roles, [r[2] for r in roles])[0]
            members.append(person(position, ladder, senior=False, departments=(dept,)))
        if profile == "clinical" and size >= 5:
            # The head nurse: a clinical ward has one.
            members.append(person("护士长", "nurse", senior=True, departments=(dept,)))
        in_charge = (
            deputies[i % len(deputies)] if deputies and spec.deputy != "乡村医生" else principal
        )
        org_services.department_update(
            actor=None, department=dept, check=False, head=head, leader_in_charge=in_charge
        )
        result.heads[name] = head
        result.members[name] = members
    org_services.unit_update(actor=None, unit=unit, check=False, principal=principal)
    unit.refresh_from_db()
    return result


# username: (role codes, how to find the person)
DEMO_ACCOUNTS = ("admin", "office", "leader", "hosp1", "hosp2", "dept1", "staff1", "supervisor1")


def _build_accounts(built: dict[str, Built]) -> dict[str, User]:
    bureau = built[BUREAU_CODE]
    hospital = built["QS-RMYY"]
    tcm = built["QS-ZYYY"]
    gen = _People(seed=SEED + 1)
    gen.used = set(Person.objects.values_list("name", flat=True))
    gen.phone_seq = Person.objects.count()
    supervisor_gender = gen.gender("gov")
    supervisor = org_services.person_create(
        actor=None,
        check=False,
        name=gen.name(supervisor_gender),
        unit=bureau.unit,
        employee_no="JD0001",
        gender=supervisor_gender,
        phone=gen.phone(),
        position="行风社会监督员",
        political_status=Person.Political.MASSES,
    )
    admin_person = bureau.members["办公室"][0]
    org_services.person_update(
        actor=None, person=admin_person, check=False, position="网络信息管理员"
    )
    plan: dict[str, tuple[Person, list[str], dict[str, Any]]] = {
        "admin": (admin_person, ["sysadmin"], {"is_superuser": True, "is_staff": True}),
        "office": (bureau.heads["效能办"], ["office"], {}),
        "leader": (bureau.deputies[0], ["leader"], {}),
        "hosp1": (hospital.heads["院办"], ["unit_admin"], {}),
        "hosp2": (tcm.heads["院办"], ["unit_admin"], {}),
        "dept1": (hospital.heads["急诊科"], ["dept_head"], {}),
        "staff1": (hospital.members["急诊科"][0], ["staff"], {}),
        "supervisor1": (supervisor, ["supervisor"], {}),
    }
    roles = {r.code: r for r in Role.objects.all()}
    users = {}
    taken = set(User.objects.filter(username__in=DEMO_ACCOUNTS).values_list("username", flat=True))
    for username in DEMO_ACCOUNTS:
        if username in taken:
            continue  # an account someone made before the demo was loaded: leave it alone
        person, role_codes, extra = plan[username]
        user = User.objects.create_user(username=username, person=person, **extra)
        # set_password does not run the validators (they guard forms), so the demo password is kept.
        user.set_password(settings.DEMO_PASSWORD)
        user.must_change_password = False
        user.save()
        user.roles.set([roles[code] for code in role_codes])
        users[username] = user
    return users


WELCOME = {
    "admin": "您是系统管理员，可在“系统管理”中维护单位、科室、人员、账号与角色。",
    "office": "您是效能办工作人员，可查看全县各单位数据，受理和交办投诉，跟踪整改。",
    "leader": "您是局领导账号，可查看全县数据（只读）。",
    "hosp1": "您是县人民医院单位管理员，负责本单位及下级的签收、办理与整改。",
    "hosp2": "您是县中医医院单位管理员，负责本单位的签收、办理与整改。",
    "dept1": "您是县人民医院急诊科负责人，负责本科室的投诉办理与整改。",
    "staff1": "您是县人民医院急诊科职工，可登记投诉线索、查看与本人相关的事项。",
    "supervisor1": "您是行风社会监督员，可报送明查暗访中发现的问题。",
}


def _deliver_welcome(users: dict[str, User]) -> None:
    for username, user in users.items():
        inbox_deliver(
            recipients=[user],
            title="欢迎使用效能平台（演示县：青山县）",
            body=WELCOME[username] + "演示账号密码均为演示密码，仅在演示模式下可用。",
            link="/",
            kind="welcome",
            dedup_key="demo:welcome",
        )
        inbox_deliver(
            recipients=[user],
            title="关于开展作风建设专项活动的通知（演示）",
            body="请各单位按照专项活动方案要求，认真组织自查自纠，按时报送阶段性材料。",
            link="/inbox/",
            kind="notice",
            dedup_key="demo:campaign-notice",
        )
