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
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction

from . import clock
from .inbox import inbox_deliver
from .models import Department, Person, Role, Unit, User
from .services import org as org_services

SEED = 2026
BUREAU_CODE = "QS-WJJ"
COUNTY = "青山县"

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝"
)
GIVEN_MALE = "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘"
GIVEN_FEMALE = "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝丽阳妮宝贝初程梵"

# Professional title ladders, senior first.
TITLES = {
    "doctor": ("主任医师", "副主任医师", "主治医师", "医师", "医士"),
    "nurse": ("主任护师", "副主任护师", "主管护师", "护师", "护士"),
    "pharm": ("主任药师", "副主任药师", "主管药师", "药师", "药士"),
    "tech": ("主任技师", "副主任技师", "主管技师", "技师", "技士"),
    "finance": ("高级会计师", "会计师", "会计师", "助理会计师", "助理会计师"),
    "admin": ("高级经济师", "经济师", "经济师", "助理经济师", ""),
    "gov": ("", "", "", "", ""),
}

# Department profiles: (kind, head position, [(member position, title ladder, weight)]).
PROFILES = {
    "clinical": (
        Department.Kind.CLINICAL,
        "科主任",
        [("医师", "doctor", 5), ("护士", "nurse", 5)],
    ),
    "tcm": (Department.Kind.CLINICAL, "科主任", [("中医师", "doctor", 6), ("护士", "nurse", 4)]),
    "gp": (Department.Kind.CLINICAL, "科主任", [("全科医师", "doctor", 6), ("护士", "nurse", 4)]),
    "ph": (Department.Kind.CLINICAL, "科长", [("公共卫生医师", "doctor", 7), ("护士", "nurse", 3)]),
    "lab": (Department.Kind.MEDTECH, "科主任", [("检验师", "tech", 10)]),
    "imaging": (
        Department.Kind.MEDTECH,
        "科主任",
        [("影像医师", "doctor", 5), ("技师", "tech", 5)],
    ),
    "pharm": (Department.Kind.MEDTECH, "科主任", [("药师", "pharm", 10)]),
    "medical_admin": (Department.Kind.ADMIN, "科长", [("干事", "doctor", 10)]),
    "nursing_admin": (Department.Kind.ADMIN, "主任", [("护理干事", "nurse", 10)]),
    "finance": (Department.Kind.ADMIN, "科长", [("会计", "finance", 7), ("出纳", "finance", 3)]),
    "admin": (Department.Kind.ADMIN, "主任", [("干事", "admin", 10)]),
    "window": (
        Department.Kind.WINDOW,
        "组长",
        [("收费员", "finance", 6), ("导诊员", "nurse", 4)],
    ),
    "dispatch": (Department.Kind.WINDOW, "科长", [("调度员", "nurse", 10)]),
    "gov": (Department.Kind.ADMIN, "股长", [("科员", "gov", 7), ("副股长", "gov", 3)]),
    "gov_office": (Department.Kind.ADMIN, "主任", [("科员", "gov", 7), ("副主任", "gov", 3)]),
    "inspector": (
        Department.Kind.ADMIN,
        "股长",
        [("监督员", "doctor", 8), ("科员", "gov", 2)],
    ),
}

# (name, profile, members besides the head)
BUREAU_DEPTS = [
    ("办公室", "gov_office", 4),
    ("医政医管股", "gov", 3),
    ("基层卫生股", "gov", 2),
    ("公共卫生股", "gov", 3),
    ("中医药股", "gov", 2),
    ("规划财务股", "gov", 3),
    ("人事股", "gov", 2),
    ("纪检监察室", "gov_office", 2),
    ("效能办", "gov_office", 3),
]
PEOPLES_HOSPITAL_DEPTS = [
    ("院办", "admin", 3),
    ("医务科", "medical_admin", 2),
    ("护理部", "nursing_admin", 2),
    ("财务科", "finance", 3),
    ("党建办", "admin", 1),
    ("急诊科", "clinical", 9),
    ("内科", "clinical", 10),
    ("外科", "clinical", 9),
    ("妇产科", "clinical", 8),
    ("儿科", "clinical", 7),
    ("骨科", "clinical", 6),
    ("眼耳鼻喉科", "clinical", 5),
    ("重症医学科", "clinical", 6),
    ("麻醉科", "clinical", 4),
    ("中医科", "tcm", 3),
    ("检验科", "lab", 6),
    ("放射科", "imaging", 6),
    ("超声科", "imaging", 4),
    ("药剂科", "pharm", 6),
    ("挂号收费处", "window", 6),
    ("出入院服务中心", "window", 3),
]
TCM_HOSPITAL_DEPTS = [
    ("院办", "admin", 2),
    ("医务科", "medical_admin", 2),
    ("护理部", "nursing_admin", 1),
    ("财务科", "finance", 2),
    ("急诊科", "clinical", 5),
    ("内科", "tcm", 6),
    ("外科", "clinical", 5),
    ("针灸推拿科", "tcm", 5),
    ("骨伤科", "tcm", 5),
    ("治未病科", "tcm", 3),
    ("检验科", "lab", 3),
    ("放射科", "imaging", 3),
    ("中药房", "pharm", 4),
    ("挂号收费处", "window", 4),
]
MCH_DEPTS = [
    ("院办", "admin", 2),
    ("医务科", "medical_admin", 1),
    ("妇产科", "clinical", 6),
    ("儿科", "clinical", 5),
    ("妇女保健科", "ph", 3),
    ("儿童保健科", "ph", 3),
    ("检验科", "lab", 2),
    ("超声科", "imaging", 2),
    ("药剂科", "pharm", 2),
    ("挂号收费处", "window", 2),
]
CDC_DEPTS = [
    ("办公室", "admin", 2),
    ("疾病控制科", "ph", 4),
    ("免疫规划科", "ph", 3),
    ("慢性病防治科", "ph", 2),
    ("卫生监测科", "ph", 2),
    ("检验科", "lab", 4),
    ("预防接种门诊", "window", 3),
]
SUPERVISION_DEPTS = [
    ("办公室", "admin", 2),
    ("医疗卫生监督股", "inspector", 3),
    ("公共卫生监督股", "inspector", 3),
    ("稽查股", "inspector", 2),
]
EMERGENCY_DEPTS = [
    ("办公室", "admin", 1),
    ("调度科", "dispatch", 5),
    ("急救科", "clinical", 5),
]
TOWNSHIP_DEPTS = [
    ("办公室", "admin", 1),
    ("全科门诊", "gp", 4),
    ("公共卫生科", "ph", 2),
    ("中医科", "tcm", 1),
    ("检验科", "lab", 1),
    ("药房", "pharm", 1),
    ("收费室", "window", 1),
]
COMMUNITY_DEPTS = [
    ("办公室", "admin", 1),
    ("全科诊室", "gp", 3),
    ("预防保健科", "ph", 2),
    ("药房", "pharm", 1),
    ("收费室", "window", 1),
]

TOWNSHIPS = ["白沙镇", "柳河镇", "松岭乡", "桃源乡", "龙泉镇", "杨湾乡", "石门镇", "梅溪乡"]
VILLAGES = {
    "白沙镇": ["河口村", "沙坪村"],
    "柳河镇": ["柳林村", "新丰村"],
    "松岭乡": ["岭下村", "竹园村"],
}
COMMUNITIES = ["城东", "城西"]


@dataclass
class UnitSpec:
    code: str
    name: str
    short_name: str
    kind: str
    level: str
    depts: list[tuple[str, str, int]]
    principal: str
    deputy: str
    deputies: int
    parent: str | None = BUREAU_CODE
    is_window: bool = True
    address: str = ""


@dataclass
class Built:
    unit: Unit
    principal: Person
    deputies: list[Person] = field(default_factory=list)
    depts: dict[str, Department] = field(default_factory=dict)
    heads: dict[str, Person] = field(default_factory=dict)
    members: dict[str, list[Person]] = field(default_factory=dict)


def unit_specs() -> list[UnitSpec]:
    U, L = Unit.Kind, Unit.Level
    specs = [
        UnitSpec(
            BUREAU_CODE,
            f"{COUNTY}卫生健康局",
            "县卫健局",
            U.BUREAU,
            L.COUNTY,
            BUREAU_DEPTS,
            "局长",
            "副局长",
            3,
            parent=None,
            is_window=False,
            address="青山县人民路18号",
        ),
        UnitSpec(
            "QS-RMYY",
            f"{COUNTY}人民医院",
            "县人民医院",
            U.HOSPITAL,
            L.COUNTY,
            PEOPLES_HOSPITAL_DEPTS,
            "院长",
            "副院长",
            3,
            address="青山县健康路1号",
        ),
        UnitSpec(
            "QS-ZYYY",
            f"{COUNTY}中医医院",
            "县中医医院",
            U.TCM_HOSPITAL,
            L.COUNTY,
            TCM_HOSPITAL_DEPTS,
            "院长",
            "副院长",
            2,
            address="青山县杏林路6号",
        ),
        UnitSpec(
            "QS-FYBJY",
            f"{COUNTY}妇幼保健院",
            "县妇幼保健院",
            U.MCH_HOSPITAL,
            L.COUNTY,
            MCH_DEPTS,
            "院长",
            "副院长",
            2,
            address="青山县育英路9号",
        ),
        UnitSpec(
            "QS-CDC",
            f"{COUNTY}疾病预防控制中心",
            "县疾控中心",
            U.CDC,
            L.COUNTY,
            CDC_DEPTS,
            "主任",
            "副主任",
            2,
            is_window=False,
            address="青山县防疫路3号",
        ),
        UnitSpec(
            "QS-WSJD",
            f"{COUNTY}卫生健康综合监督执法大队",
            "县卫生监督大队",
            U.SUPERVISION,
            L.COUNTY,
            SUPERVISION_DEPTS,
            "大队长",
            "副大队长",
            1,
            address="青山县人民路20号",
        ),
        UnitSpec(
            "QS-120",
            f"{COUNTY}120急救指挥中心",
            "县120中心",
            U.EMERGENCY,
            L.COUNTY,
            EMERGENCY_DEPTS,
            "主任",
            "副主任",
            1,
            address="青山县健康路1号",
        ),
    ]
    for i, town in enumerate(TOWNSHIPS, 1):
        specs.append(
            UnitSpec(
                f"QS-WSY{i:02d}",
                f"{COUNTY}{town}卫生院",
                f"{town}卫生院",
                U.TOWNSHIP,
                L.TOWNSHIP,
                TOWNSHIP_DEPTS,
                "院长",
                "副院长",
                1,
                address=f"{COUNTY}{town}政府街",
            )
        )
    for i, name in enumerate(COMMUNITIES, 1):
        specs.append(
            UnitSpec(
                f"QS-SQ{i:02d}",
                f"{COUNTY}{name}社区卫生服务中心",
                f"{name}社区卫生服务中心",
                U.COMMUNITY,
                L.TOWNSHIP,
                COMMUNITY_DEPTS,
                "主任",
                "副主任",
                1,
                address=f"{COUNTY}{name}街道",
            )
        )
    for i, town in enumerate(TOWNSHIPS, 1):
        for j, village in enumerate(VILLAGES.get(town, []), 1):
            specs.append(
                UnitSpec(
                    f"QS-WSY{i:02d}-{j:02d}",
                    f"{town}{village}卫生室",
                    f"{village}卫生室",
                    U.VILLAGE,
                    L.VILLAGE,
                    [],
                    "负责人",
                    "乡村医生",
                    1,
                    parent=f"QS-WSY{i:02d}",
                    address=f"{COUNTY}{town}{village}",
                )
            )
    return specs


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
