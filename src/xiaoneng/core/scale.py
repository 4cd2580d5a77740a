"""Scale data: a realistic, internally consistent organisation and case load for benchmarks.

``generate(counts, seed=, now=)`` fills the database with a unit tree (materialised paths as
``Unit`` expects), departments, people with leadership roles (principal, leader in charge,
department heads), users for a few roles, and complaints in every state with their deadlines
(the working-day calendar and the seeded ``SlaPolicy`` rules), timelines, protected identities,
pauses, escalation steps consistent with the SLA sweep as of ``now``, and audit records; the
rectification ledger (issues and items) when that app's models exist.

Rows are produced as tuples with explicit ids and written with COPY on PostgreSQL
(``cursor.copy``) or batched INSERTs on SQLite, all in one transaction. The same seed and
``now`` give the same data. Identities are encrypted once per distinct value and reused.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from . import calendar as work_calendar
from . import crypto
from .models import AuditRecord, Department, Person, Role, Unit, User

PRESETS: dict[str, dict[str, int]] = {
    "province": {
        "units": 5_000,
        "staff": 200_000,
        "complaints": 2_000_000,
        "items": 1_000_000,
    },
    "county": {"units": 50, "staff": 2_000, "complaints": 20_000, "items": 10_000},
    "tiny": {"units": 12, "staff": 120, "complaints": 400, "items": 200},
}
DEFAULT_PASSWORD = "Scale-pass-2026"
YEARS = 5
OPEN_FRACTION = 0.10  # share of complaints still open (the backlog the sweep looks at)
OPEN_WINDOW_DAYS = 90  # open cases were received within this many days

SYLLABLES = "青河山东西南北安平阳城新兴丰宁泰华昌林石永福康乐清源宝金长明临川德庆"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力宁斌鹏飞云霞雪梅琳晨"
DEPARTMENTS = {
    "bureau": [
        ("办公室", "admin"),
        ("医政医管科", "admin"),
        ("基层卫生科", "admin"),
        ("财务科", "admin"),
        ("人事科", "admin"),
        ("综合监督科", "admin"),
    ],
    "hospital": [
        ("急诊科", "clinical"),
        ("内科", "clinical"),
        ("外科", "clinical"),
        ("妇产科", "clinical"),
        ("儿科", "clinical"),
        ("骨科", "clinical"),
        ("眼耳鼻喉科", "clinical"),
        ("检验科", "medtech"),
        ("放射科", "medtech"),
        ("药剂科", "medtech"),
        ("医务科", "admin"),
        ("财务科", "admin"),
        ("门诊收费处", "window"),
        ("挂号处", "window"),
    ],
    "cdc": [
        ("免疫规划科", "clinical"),
        ("疾病控制科", "clinical"),
        ("检验科", "medtech"),
        ("办公室", "admin"),
    ],
    "supervision": [("监督一科", "admin"), ("监督二科", "admin"), ("办公室", "admin")],
    "township": [
        ("全科诊室", "clinical"),
        ("公共卫生科", "clinical"),
        ("药房", "medtech"),
        ("检验室", "medtech"),
        ("收费室", "window"),
        ("办公室", "admin"),
    ],
    "village": [("诊室", "clinical")],
}
PEOPLE_WEIGHT = {
    "bureau": 40,
    "hospital": 320,
    "tcm_hospital": 160,
    "mch_hospital": 130,
    "cdc": 60,
    "supervision": 30,
    "township": 40,
    "community": 30,
    "village": 3,
}
COMPLAINT_WEIGHT = {
    "bureau": 2,
    "hospital": 60,
    "tcm_hospital": 25,
    "mch_hospital": 20,
    "cdc": 4,
    "supervision": 2,
    "township": 6,
    "community": 4,
    "village": 1,
}
TITLES = [
    "{unit}{dept}服务态度差",
    "{unit}{dept}推诿扯皮",
    "{unit}{dept}办事拖拉",
    "{unit}{dept}乱收费",
    "{unit}{dept}排队时间长",
    "反映{unit}{dept}工作人员脱岗",
    "{unit}{dept}收受红包",
    "对{unit}{dept}的意见建议",
    "咨询{unit}{dept}办理流程",
    "表扬{unit}{dept}医护人员",
]
CONTENTS = [
    "本人于近日到{unit}就诊，{dept}工作人员态度生硬，问询多次无人答复，希望尽快核实处理。",
    "在{unit}{dept}办理业务时被要求多次往返，材料一次性告知不到位，耽误了时间。",
    "{unit}{dept}收费项目不清楚，怀疑存在重复收费，请相关部门调查并给予答复。",
    "上午在{unit}{dept}排队两个多小时，窗口只开了一个，看病时间却只有几分钟。",
    "感谢{unit}{dept}医护人员耐心细致的服务，特此表扬。",
]
REPLY = "经核查，已对相关人员进行批评教育并整改，已电话告知投诉人处理结果。"
IDENTITY_POOL = 97


# --- sinks ---------------------------------------------------------------------------------------
class Sink:
    """Writes rows (tuples in a fixed column order) into one model's table."""

    def __init__(self, progress: Callable[[str], None]):
        self.progress = progress
        self.counts: dict[str, int] = {}

    def columns(self, model: type[models.Model], varying: list[str], fixed: dict[str, Any]):
        fields = {f.attname: f for f in model._meta.concrete_fields}
        missing = [
            a for a in fields if a not in varying and a not in fixed and not fields[a].primary_key
        ]
        constants = dict(fixed)
        for attname in missing:
            f = fields[attname]
            if f.has_default() or f.null or isinstance(f, models.CharField | models.TextField):
                constants[attname] = f.get_default()
            else:
                raise ValueError(f"{model.__name__}.{attname} needs a value")
        names = list(varying) + list(constants)
        return fields, names, tuple(constants.values())

    def write(
        self,
        model: type[models.Model],
        varying: list[str],
        rows: Iterable[tuple],
        fixed: dict[str, Any] | None = None,
    ) -> int:
        fields, names, tail = self.columns(model, varying, fixed or {})
        started = time.monotonic()
        n = self._write(model, fields, names, tail, rows)
        elapsed = time.monotonic() - started
        table = model._meta.db_table
        self.counts[table] = self.counts.get(table, 0) + n
        self.progress(f"  {table}: {n:,} rows in {elapsed:.1f} s ({n / max(elapsed, 1e-9):,.0f}/s)")
        return n

    def _write(self, model, fields, names, tail, rows) -> int:
        raise NotImplementedError


class CopySink(Sink):
    """PostgreSQL: binary COPY … FROM STDIN through psycopg 3 (the server parses no text)."""

    def _write(self, model, fields, names, tail, rows) -> int:
        from psycopg.types.json import Jsonb

        json_at = [i for i, n in enumerate(names) if isinstance(fields[n], models.JSONField)]
        types = [fields[n].db_type(connection).split("(")[0] for n in names]
        cols = ", ".join(connection.ops.quote_name(fields[n].column) for n in names)
        table = connection.ops.quote_name(model._meta.db_table)
        sql = f"COPY {table} ({cols}) FROM STDIN (FORMAT BINARY)"
        n = 0
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            copy.set_types(types)
            write = copy.write_row
            if json_at:
                for row in rows:
                    full = list(row + tail)
                    for i in json_at:
                        if full[i] is not None:
                            full[i] = Jsonb(full[i])
                    write(full)
                    n += 1
            else:
                for row in rows:
                    write(row + tail)
                    n += 1
        return n


class InsertSink(Sink):
    """SQLite (and anything else): batched executemany INSERTs with Django's value adaptation."""

    BATCH = 5_000

    def _write(self, model, fields, names, tail, rows) -> int:
        prep = [fields[n].get_db_prep_save for n in names]
        cols = ", ".join(connection.ops.quote_name(fields[n].column) for n in names)
        marks = ", ".join(["%s"] * len(names))
        sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({cols}) VALUES ({marks})"
        n = 0
        batch: list[list] = []
        with connection.cursor() as cursor:
            for row in rows:
                batch.append([p(v, connection) for p, v in zip(prep, row + tail, strict=True)])
                if len(batch) >= self.BATCH:
                    cursor.executemany(sql, batch)
                    n += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                n += len(batch)
        return n


# --- helpers -------------------------------------------------------------------------------------
def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1


def _place(rng: random.Random) -> str:
    return rng.choice(SYLLABLES) + rng.choice(SYLLABLES)


def _person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_TRACK_MOD = 31**12
_TRACK_MUL = 0x5DEECE66D  # odd and not a multiple of 31: a bijection modulo 31**12


def tracking_code(n: int, salt: int) -> str:
    """A unique 12-character tracking code for complaint `n` (bijective scramble of n)."""
    value = ((n + salt) * _TRACK_MUL) % _TRACK_MOD
    out = []
    for _ in range(12):
        value, digit = divmod(value, 31)
        out.append(TRACKING_ALPHABET[digit])
    return "".join(out)


def _largest_remainder(weights: list[float], total: int, minimum: int = 0) -> list[int]:
    base = [minimum] * len(weights)
    rest = total - minimum * len(weights)
    if rest <= 0:
        return [max(0, total // max(len(weights), 1))] * len(weights)
    s = sum(weights) or 1.0
    shares = [w * rest / s for w in weights]
    ints = [int(x) for x in shares]
    left = rest - sum(ints)
    order = sorted(range(len(weights)), key=lambda i: shares[i] - ints[i], reverse=True)
    for i in order[:left]:
        ints[i] += 1
    return [b + i for b, i in zip(base, ints, strict=True)]


# --- the organisation ----------------------------------------------------------------------------
@dataclass
class UnitRow:
    id: int
    name: str
    short: str
    code: str
    kind: str
    level: str
    parent: int | None
    path: str
    depth: int
    people_first: int = 0
    people_count: int = 0
    depts: list[int] = field(default_factory=list)  # department ids
    dept_names: list[str] = field(default_factory=list)


@dataclass
class Org:
    prefix: str
    units: list[UnitRow]
    root: UnitRow
    by_id: dict[int, UnitRow]
    dept_unit: dict[int, int]
    dept_head: dict[int, int]
    users: dict[str, int] = field(default_factory=dict)  # role → one username index


def _build_tree(n_units: int, rng: random.Random, first_id: int, prefix: str) -> list[UnitRow]:
    units: list[UnitRow] = []

    def add(name, short, kind, level, parent: UnitRow | None) -> UnitRow:
        uid = first_id + len(units)
        path = f"{parent.path if parent else '/'}{uid}/"
        row = UnitRow(
            id=uid,
            name=name,
            short=short,
            code=f"{prefix}{len(units):05d}",
            kind=kind,
            level=level,
            parent=parent.id if parent else None,
            path=path,
            depth=parent.depth + 1 if parent else 0,
        )
        units.append(row)
        return row

    province = n_units >= 300
    if province:
        pname = _place(rng)
        root = add(f"{pname}省卫生健康委员会", f"{pname}省卫健委", "bureau", "province", None)
        n_cities = max(1, round(n_units / 300))
        n_counties = max(n_cities, round(n_units / 45))
        cities = []
        for _ in range(n_cities):
            c = _place(rng)
            city = add(f"{c}市卫生健康委员会", f"{c}市卫健委", "bureau", "city", root)
            cities.append(city)
            if len(units) < n_units:
                add(f"{c}市人民医院", f"{c}市医院", "hospital", "city", city)
        counties = []
        for i in range(n_counties):
            c = _place(rng)
            counties.append(
                add(f"{c}县卫生健康局", f"{c}县卫健局", "bureau", "county", cities[i % n_cities])
            )
    else:
        c = _place(rng)
        root = add(f"{c}县卫生健康局", f"{c}县卫健局", "bureau", "county", None)
        counties = [root]
    institutions = [
        ("人民医院", "hospital"),
        ("中医院", "tcm_hospital"),
        ("妇幼保健院", "mch_hospital"),
        ("疾病预防控制中心", "cdc"),
        ("卫生健康综合监督执法局", "supervision"),
    ]
    for county in counties:
        cname = county.short[:2]
        for suffix, kind in institutions:
            if len(units) >= n_units:
                break
            add(f"{cname}县{suffix}", f"{cname}{suffix[:2]}", kind, "county", county)
    remaining = n_units - len(units)
    per_county = _largest_remainder([1.0] * len(counties), max(remaining, 0))
    for county, count in zip(counties, per_county, strict=True):
        if count <= 0:
            continue
        n_town = max(1, count // 3)
        towns = []
        for i in range(n_town):
            t = _place(rng)
            if i % 4 == 3:
                towns.append(
                    add(f"{t}社区卫生服务中心", f"{t}社区", "community", "township", county)
                )
            else:
                towns.append(add(f"{t}镇卫生院", f"{t}卫生院", "township", "township", county))
        for i in range(count - n_town):
            v = _place(rng)
            add(f"{v}村卫生室", f"{v}村", "village", "village", towns[i % n_town])
    return units[:n_units]


LEADERS = 3  # persons 0, 1, 2 of a unit: the principal and two deputies (no department)


def members_of(u: UnitRow, k: int) -> int:
    """How many members department k of unit u has (person m ≥ LEADERS is in department m % n)."""
    nd = len(u.depts)
    if u.people_count <= LEADERS:
        return 0
    first = k if k >= LEADERS else k + nd * -(-(LEADERS - k) // nd)
    return 0 if first >= u.people_count else (u.people_count - 1 - first) // nd + 1


def member(u: UnitRow, k: int, j: int) -> int:
    """The j-th member of department k (the unit's principal when the department is empty)."""
    nd = len(u.depts)
    if not members_of(u, k):
        return u.people_first
    first = k if k >= LEADERS else k + nd * -(-(LEADERS - k) // nd)
    return u.people_first + first + nd * j


def _dept_template(kind: str) -> list[tuple[str, str]]:
    if kind in ("hospital", "tcm_hospital", "mch_hospital"):
        return DEPARTMENTS["hospital"]
    if kind == "community":
        return DEPARTMENTS["township"]
    return DEPARTMENTS.get(kind, DEPARTMENTS["bureau"])


def generate_org(
    sink: Sink, *, n_units: int, n_staff: int, rng: random.Random, prefix: str, password: str
) -> Org:
    units = _build_tree(n_units, rng, _next_id(Unit), prefix)
    by_id = {u.id: u for u in units}
    # Departments.
    dept_id = _next_id(Department)
    dept_rows = []
    dept_unit: dict[int, int] = {}
    for u in units:
        for order, (name, kind) in enumerate(_dept_template(u.kind)):
            u.depts.append(dept_id)
            u.dept_names.append(name)
            dept_unit[dept_id] = u.id
            dept_rows.append((dept_id, u.id, name, kind, order))
            dept_id += 1
    # People: ids are contiguous per unit; person k of a unit belongs to department k % n.
    counts = _largest_remainder([PEOPLE_WEIGHT.get(u.kind, 20) for u in units], n_staff, 1)
    person_id = _next_id(Person)
    for u, count in zip(units, counts, strict=True):
        u.people_first, u.people_count = person_id, count
        person_id += count
    dept_head: dict[int, int | None] = {}
    leader_of: dict[int, int | None] = {}
    for u in units:
        for k, d in enumerate(u.depts):
            dept_head[d] = member(u, k, 0)
            deputies = min(2, max(u.people_count - 1, 0))
            leader_of[d] = u.people_first + 1 + (k % deputies) if deputies else None

    def unit_rows():
        for u in units:
            phone = f"0{rng.randint(300, 999)}-{rng.randint(2000000, 8999999)}"
            yield (
                u.id,
                u.name,
                u.short,
                u.code,
                u.kind,
                u.level,
                u.parent,
                u.path,
                u.depth,
                phone,
                u.people_first,
                u.kind in ("hospital", "tcm_hospital", "bureau"),
                u.id,
            )

    sink.write(
        Unit,
        [
            "id",
            "name",
            "short_name",
            "code",
            "kind",
            "level",
            "parent_id",
            "path",
            "depth",
            "phone",
            "principal_id",
            "is_window",
            "sort_order",
        ],
        unit_rows(),
        {"address": "", "is_active": True},
    )

    def dept_rows_full():
        for did, uid, name, kind, order in dept_rows:
            yield (did, uid, name, kind, order, dept_head[did], leader_of[did])

    sink.write(
        Department,
        ["id", "unit_id", "name", "kind", "sort_order", "head_id", "leader_in_charge_id"],
        dept_rows_full(),
        {"phone": "", "is_active": True},
    )

    def person_rows():
        for u in units:
            principal = (
                "局长" if u.kind == "bureau" else ("院长" if "hospital" in u.kind else "主任")
            )
            deputy = "副" + principal
            for k in range(u.people_count):
                position = principal if k == 0 else deputy if k in (1, 2) else ""
                pid = u.people_first + k
                yield (
                    pid,
                    _person_name(rng),
                    u.id,
                    f"{u.code}-{k:04d}",
                    "male" if rng.random() < 0.45 else "female",
                    f"13{rng.randint(100000000, 999999999)}",
                    position,
                    rng.choice(("", "主治医师", "副主任医师", "主管护师", "护师", "科员")),
                    rng.choice(("cpc", "masses", "masses", "league")),
                )

    sink.write(
        Person,
        [
            "id",
            "name",
            "unit_id",
            "employee_no",
            "gender",
            "phone",
            "position",
            "title",
            "political_status",
        ],
        person_rows(),
        {"is_active": True},
    )
    through = Person.departments.through

    first_membership = _next_id(through)  # (never query while a COPY is open)

    def membership_rows():
        mid = first_membership
        for u in units:
            nd = len(u.depts)
            if u.people_count <= LEADERS:
                continue
            for k in range(LEADERS, u.people_count):
                yield (mid, u.people_first + k, u.depts[k % nd])
                mid += 1

    sink.write(through, ["id", "person_id", "department_id"], membership_rows())
    org = Org(prefix, units, units[0], by_id, dept_unit, {d: h for d, h in dept_head.items() if h})
    generate_users(sink, org, prefix=prefix, password=password)
    return org


def generate_users(sink: Sink, org: Org, *, prefix: str, password: str) -> None:
    """sysadmin, office (5, in the root bureau), leader (2), a unit admin per unit, a department
    head user per department head, and a staff user per 100 people. Usernames:
    ``{prefix}-office1``, ``{prefix}-admin-{unit code}``, ``{prefix}-head-{department id}`` …"""
    roles = dict(Role.objects.values_list("code", "pk"))
    hashed = make_password(password)
    now = timezone.now()
    uid = _next_id(User)
    users: list[tuple] = []
    user_roles: list[tuple[int, int]] = []

    taken: set[int] = set()

    def add(username: str, person: int | None, role: str, superuser: bool = False):
        nonlocal uid
        if person in taken:
            person = None  # one user per person
        elif person is not None:
            taken.add(person)
        users.append((uid, username, person, superuser, superuser))
        if role in roles:
            user_roles.append((uid, roles[role]))
        uid += 1

    root = org.root
    add(f"{prefix}-sysadmin", None, "sysadmin")
    for i in range(1, 6):
        add(f"{prefix}-office{i}", root.people_first + min(3 + i, root.people_count - 1), "office")
    add(f"{prefix}-leader1", root.people_first, "leader")
    add(f"{prefix}-leader2", root.people_first + 1, "leader")
    for u in org.units:
        person = u.people_first + (2 if u.people_count > 2 else 0)
        add(f"{prefix}-admin-{u.code}", person, "unit_admin")
    for d, head in org.dept_head.items():
        if head not in taken:
            add(f"{prefix}-head-{d}", head, "dept_head")
    for u in org.units:
        for k in range(3, u.people_count, 100):
            person = u.people_first + k
            if person not in taken:
                add(f"{prefix}-staff-{person}", person, "staff")
    sink.write(
        User,
        ["id", "username", "person_id", "is_staff", "is_superuser"],
        users,
        {
            "password": hashed,
            "first_name": "",
            "last_name": "",
            "email": "",
            "is_active": True,
            "date_joined": now,
            "last_login": None,
            "must_change_password": False,
            "locked_until": None,
            "password_changed_at": now,
        },
    )
    through = User.roles.through
    first = _next_id(through)
    sink.write(
        through,
        ["id", "user_id", "role_id"],
        ((first + i, u, r) for i, (u, r) in enumerate(user_roles)),
    )


# --- complaints ----------------------------------------------------------------------------------
class _Policies:
    """SLA policy selection and deadlines, memoised (the calendar answers by local date)."""

    def __init__(self):
        from xiaoneng.complaints import sla
        from xiaoneng.complaints.models import SlaPolicy

        self.sla = sla
        self.policies = list(SlaPolicy.objects.filter(is_active=True).order_by("priority", "id"))
        self.cal = work_calendar.get_calendar()
        self._select: dict[tuple, Any] = {}
        self._due: dict[tuple, work_calendar.Deadline | None] = {}

    def select(self, probe) -> Any:
        key = (
            probe.channel,
            probe.type,
            probe.matter,
            probe.category.code,
            probe.price_related,
            probe.complex_matter,
            probe.multi_department,
            probe.anonymous,
        )
        if key not in self._select:
            self._select[key] = self.sla.select_policy(probe, self.policies)
        return self._select[key]

    def deadline(self, start: datetime, value, unit) -> work_calendar.Deadline | None:
        if value is None or not unit:
            return None
        # The calendar snapshot is used directly: a reload would query while a COPY is open.
        if unit == "working_hours":
            return self.cal.add_hours(start, value)
        key = (start.date(), value, unit)  # start is local time
        found = self._due.get(key)
        if found is None:
            method = {
                "working_days": self.cal.add_working_days,
                "natural_days": self.cal.add_natural_days,
                "months": self.cal.add_months,
            }[unit]
            found = self._due[key] = method(start, value)
        return found


@dataclass
class _Probe:
    channel: str
    type: str
    matter: str
    category: Any
    price_related: bool
    complex_matter: bool
    multi_department: bool
    anonymous: bool


OPEN_MIX = [  # status, weight (among open cases)
    ("registered", 3),
    ("accepted", 2),
    ("dispatched", 10),
    ("signed", 10),
    ("handling", 45),
    ("paused", 3),
    ("replied", 12),
    ("verified", 8),
    ("visited", 7),
]
PATHS = {
    "registered": ["register"],
    "rejected": ["register", "reject"],
    "accepted": ["register", "accept"],
    "dispatched": ["register", "accept", "dispatch"],
    "signed": ["register", "accept", "dispatch", "sign"],
    "handling": ["register", "accept", "dispatch", "sign", "assign"],
    "paused": ["register", "accept", "dispatch", "sign", "assign", "pause"],
    "replied": ["register", "accept", "dispatch", "sign", "assign", "reply"],
    "verified": ["register", "accept", "dispatch", "sign", "assign", "reply", "verify"],
    "visited": [
        "register",
        "accept",
        "dispatch",
        "sign",
        "assign",
        "reply",
        "verify",
        "return_visit",
    ],
    "closed": [
        "register",
        "accept",
        "dispatch",
        "sign",
        "assign",
        "reply",
        "verify",
        "return_visit",
        "close",
    ],
}
TARGET = {
    "register": "registered",
    "reject": "rejected",
    "accept": "accepted",
    "dispatch": "dispatched",
    "sign": "signed",
    "assign": "handling",
    "pause": "paused",
    "reply": "replied",
    "verify": "verified",
    "return_visit": "visited",
    "close": "closed",
}
PUBLIC_ACTIONS = {"register", "reject", "accept", "reply", "close"}
# Typical hours after the previous step.
STEP_HOURS = {
    "reject": (2, 30),
    "accept": (0.5, 20),
    "dispatch": (0.5, 20),
    "sign": (1, 20),
    "assign": (0.5, 30),
    "pause": (5, 80),
    "reply": (20, 150),
    "verify": (5, 48),
    "return_visit": (10, 72),
    "close": (1, 24),
}


def generate_complaints(
    sink: Sink,
    org: Org,
    *,
    n: int,
    rng: random.Random,
    now: datetime,
    progress: Callable[[str], None],
) -> dict[str, int]:
    from xiaoneng.complaints.models import (
        Category,
        ComplainantIdentity,
        Complaint,
        ComplaintEvent,
        ComplaintPause,
        ComplaintSequence,
        EscalationRule,
        EscalationStep,
    )
    from xiaoneng.complaints.sla import current_rules
    from xiaoneng.complaints.vocab import CLOCK_STATUSES, Channel, Type

    if n <= 0:
        return {}
    tz = timezone.get_current_timezone()
    now = timezone.localtime(now, tz)
    categories = list(Category.objects.filter(is_active=True).order_by("sort_order", "id"))
    policies = _Policies()
    cal = policies.cal
    ladder = list(EscalationRule.objects.filter(is_active=True).order_by("percent"))
    criticism_days = current_rules().criticism_after_working_days
    office_user = User.objects.filter(username=f"{org.prefix}-office1").first()
    office_id = office_user.pk if office_user else None
    office_name = office_user.person.name if office_user and office_user.person_id else "效能办"
    subject_units = [u for u in org.units if u.people_count]
    unit_weights = [COMPLAINT_WEIGHT.get(u.kind, 1) for u in subject_units]
    cum = []
    acc = 0.0
    for w in unit_weights:
        acc += w
        cum.append(acc)

    # 1. When each complaint was received (sorted: ids and numbers follow the order received).
    progress(f"  planning {n:,} complaints …")
    span_days = YEARS * 365
    plan: list[tuple[float, bool]] = []
    for _ in range(n):
        if rng.random() < OPEN_FRACTION:
            age = (rng.random() ** 1.5) * OPEN_WINDOW_DAYS
            plan.append((age, True))
        else:
            # growth over the years: more recent cases are more frequent
            age = 7 + (1 - rng.random() ** 0.8) * (span_days - 7)
            plan.append((age, False))
    plan.sort(key=lambda p: -p[0])

    first_id = _next_id(Complaint)
    first_event = _next_id(ComplaintEvent)
    first_identity = _next_id(ComplainantIdentity)
    first_pause = _next_id(ComplaintPause)
    first_step = _next_id(EscalationStep)
    first_audit = _next_id(AuditRecord)
    sequences = dict(ComplaintSequence.objects.values_list("year", "last"))
    salt = rng.randrange(1, 10**9)

    # Identities: a pool of encrypted values, reused (encryption is the slow part).
    pool = []
    for i in range(IDENTITY_POOL):
        phone = f"13{8000000000 + i * 7919:09d}"[:11]
        pool.append(
            (
                crypto.encrypt(_person_name(rng)),
                crypto.encrypt(phone),
                crypto.encrypt(f"4101{rng.randint(10**13, 10**14 - 1)}"),
                crypto.encrypt(f"{_place(rng)}路{rng.randint(1, 300)}号"),
                crypto.blind_index(phone),
                phone[-4:],
            )
        )
    channels = [c.value for c in Channel]
    channel_w = list(_cumulative([8, 30, 15, 15, 3, 6, 10, 3, 2, 2][: len(channels)] + [1] * 20))
    channel_w = channel_w[: len(channels)]
    types = [t.value for t in Type]
    type_w = list(_cumulative([55, 10, 15, 15, 5][: len(types)] + [1] * 20))[: len(types)]
    open_states = [s for s, _ in OPEN_MIX]
    open_w = list(_cumulative([w for _, w in OPEN_MIX]))
    events: list[tuple] = []
    identities: list[tuple] = []
    pauses: list[tuple] = []
    steps: list[tuple] = []
    audits: list[tuple] = []
    stats = {"open": 0, "running": 0, "overdue": 0}
    year_counter: dict[int, int] = {}

    def h(a: float, b: float) -> timedelta:
        return timedelta(hours=rng.uniform(a, b))

    def complaint_rows() -> Iterator[tuple]:
        event_id = first_event
        identity_id = first_identity
        pause_id = first_pause
        step_id = first_step
        audit_id = first_audit
        for index, (age, is_open) in enumerate(plan):
            cid = first_id + index
            received = now - timedelta(days=age)
            registered = min(now, received + h(0, 2))
            year = registered.year
            seq = year_counter.get(year, sequences.get(year, 0)) + 1
            year_counter[year] = seq
            number = f"TS{year}{seq:06d}"
            u = subject_units[_bisect(cum, rng.random() * acc)]
            nd = len(u.depts)
            k = rng.randrange(nd)
            dept = u.depts[k]
            dept_name = u.dept_names[k]
            category = categories[rng.randrange(len(categories))]
            channel = rng.choices(channels, cum_weights=channel_w)[0]
            ctype = rng.choices(types, cum_weights=type_w)[0]
            matter = "medical" if "hospital" in u.kind and rng.random() < 0.3 else "general"
            price = category.code == "improper_charges" and rng.random() < 0.8
            complex_ = rng.random() < 0.03
            anonymous = rng.random() < 0.3
            probe = _Probe(channel, ctype, matter, category, price, complex_, False, anonymous)
            policy = policies.select(probe)
            sign_by = feedback_by = resolve_by = None
            uncertain = False
            if policy is not None:
                parts = [
                    policies.deadline(received, policy.sign_value, policy.sign_unit),
                    policies.deadline(received, policy.feedback_value, policy.feedback_unit),
                    policies.deadline(received, policy.resolve_value, policy.resolve_unit),
                ]
                sign_by, feedback_by, resolve_by = (d.at if d else None for d in parts)
                uncertain = any(d.uncertain for d in parts if d)
            # The state and its path.
            if is_open:
                status = rng.choices(open_states, cum_weights=open_w)[0]
            else:
                status = "rejected" if rng.random() < 0.04 else "closed"
                if status == "closed" and rng.random() < 0.3:
                    status = "closed_short"  # closed after the reply, without verification
            path = PATHS["closed"] if status == "closed" else PATHS.get(status, [])
            if status == "closed_short":
                status = "closed"
                path = [*PATHS["replied"], "close"]
            times = [registered]
            t = registered
            late = rng.random() < 0.08
            for action in path[1:]:
                a, b = STEP_HOURS[action]
                if action == "reply" and resolve_by is not None:
                    # most replies arrive before the deadline; some are late
                    if late:
                        t = max(t, resolve_by) + h(1, 72)
                    else:
                        t = t + (resolve_by - t) * rng.uniform(0.2, 0.95) if resolve_by > t else t
                else:
                    t = t + h(a, b)
                times.append(t)
            if times[-1] > now:  # squeeze an open case's steps into the time it has had
                total = (times[-1] - registered).total_seconds() or 1.0
                room = max((now - registered).total_seconds() * 0.97, 0.0)
                times = [registered + (x - registered) * (room / total) for x in times]
            last = times[-1]
            dispatched = "dispatch" in path
            signed_at = times[path.index("sign")] if "sign" in path else None
            handler = None
            first_inquiry = None
            if "assign" in path:
                handler = member(u, k, rng.randrange(max(1, members_of(u, k))))
                first_inquiry = handler
            replied_at = times[path.index("reply")] if "reply" in path else None
            closed_at = last if status in ("closed", "rejected") else None
            subject_person = None
            if rng.random() < 0.2 and members_of(u, k):
                subject_person = member(u, k, rng.randrange(members_of(u, k)))
            paused_at = last if status == "paused" else None
            running = status in CLOCK_STATUSES and resolve_by is not None
            overdue_since = None
            escalation_level = 0
            case_steps: list[tuple] = []
            if running:
                stats["running"] += 1
                start = received
                span = (resolve_by - start).total_seconds()
                fraction = 1.0 if span <= 0 else (now - start).total_seconds() / span
                for rule in ladder:
                    if fraction * 100 >= rule.percent and rule.level > escalation_level:
                        escalation_level = rule.level
                        at = start + timedelta(seconds=span * rule.percent / 100)
                        case_steps.append(
                            ("ladder", f"ladder:r0:p{rule.percent}", rule.level, at, None)
                        )
                if status == "dispatched" and sign_by is not None and now > sign_by:
                    case_steps.append(("sign_reminder", "sign_reminder:r0", None, sign_by, None))
                    escalate_at = cal.add_hours(sign_by, 24).at
                    if now > escalate_at:
                        case_steps.append(
                            (
                                "sign_escalation",
                                "sign_escalation:r0",
                                3,
                                escalate_at,
                                u.people_first,
                            )
                        )
                if now > resolve_by:
                    stats["overdue"] += 1
                    overdue_since = resolve_by
                    due_day = resolve_by.astimezone(tz).date()
                    stamp = f"{due_day:%Y%m%d}"
                    remind_at = datetime.combine(
                        cal.nth_working_day_after(due_day, 1), datetime.min.time(), tzinfo=tz
                    )
                    if now >= remind_at:
                        case_steps.append(
                            ("overdue_reminder", f"overdue:r0:{stamp}", None, remind_at, handler)
                        )
                    criticise_at = cal.add_working_days(resolve_by, criticism_days).at
                    if now > criticise_at:
                        case_steps.append(
                            (
                                "written_criticism",
                                f"criticism:r0:{stamp}",
                                None,
                                criticise_at,
                                None,
                            )
                        )
            if is_open:
                stats["open"] += 1
            unit_name = u.short
            title = rng.choice(TITLES).format(unit=unit_name, dept=dept_name)
            content = rng.choice(CONTENTS).format(unit=u.name, dept=dept_name)
            verification = "true" if "verify" in path else ""
            satisfaction = (
                rng.choice(("satisfied", "satisfied", "basically_satisfied", "unsatisfied"))
                if "return_visit" in path
                else ""
            )
            yield (
                cid,
                number,
                tracking_code(cid, salt),
                channel,
                ctype,
                category.pk,
                matter,
                received,
                registered,
                office_id,
                u.id,
                dept,
                subject_person,
                title,
                content,
                price,
                complex_,
                anonymous,
                u.id if dispatched else None,
                dept if dispatched else None,
                first_inquiry,
                handler,
                escalation_level,
                status,
                "handling" if status == "paused" else "",
                policy.pk if policy else None,
                received,
                sign_by,
                feedback_by,
                resolve_by,
                uncertain,
                paused_at,
                signed_at,
                overdue_since,
                "不属于本部门受理范围，已告知投诉人向有关部门反映。"
                if status == "rejected"
                else "",
                REPLY if replied_at else "",
                replied_at,
                verification,
                satisfaction,
                closed_at,
                max(last, *(s[3] for s in case_steps)) if case_steps else last,
            )
            # Timeline.
            prev = ""
            for action, at in zip(path, times, strict=True):
                target = TARGET[action]
                system = action == "register" and office_id is None
                events.append(
                    (
                        event_id,
                        cid,
                        at,
                        None if system else office_id,
                        "系统" if system else office_name,
                        action,
                        prev,
                        target,
                        REPLY if action == "reply" else "",
                        {"policy": policy.code if policy else None} if action == "register" else {},
                        action in PUBLIC_ACTIONS,
                    )
                )
                event_id += 1
                prev = target
            for kind, key, level, at, person in case_steps:
                steps.append(
                    (
                        step_id,
                        cid,
                        kind,
                        key,
                        level,
                        person,
                        at,
                        "",
                        kind == "written_criticism" or level == 3,
                    )
                )
                step_id += 1
                events.append(
                    (
                        event_id,
                        cid,
                        at,
                        None,
                        "系统",
                        kind,
                        status,
                        status,
                        "",
                        {"key": key, "level": level, "person": person},
                        False,
                    )
                )
                event_id += 1
            if not anonymous:
                p = pool[cid % IDENTITY_POOL]
                identities.append((identity_id, cid, *p))
                identity_id += 1
            if paused_at is not None:
                pauses.append((pause_id, cid, paused_at, "等待投诉人补充材料"))
                pause_id += 1
            audits.append(
                (
                    audit_id,
                    registered,
                    office_id,
                    office_name,
                    "create",
                    "complaints.complaint",
                    str(cid),
                    f"{number} {title}"[:200],
                    {"number": number, "status": "registered", "unit": u.id},
                )
            )
            audit_id += 1
            if index and index % 200_000 == 0:
                progress(f"    … {index:,} complaints")

    # Complaints stream straight into the table; their dependants are collected and written after.
    chunk = 100_000
    rows = complaint_rows()
    while True:
        block = list(_take(rows, chunk))
        if not block:
            break
        sink.write(
            Complaint,
            [
                "id",
                "number",
                "tracking_code",
                "channel",
                "type",
                "category_id",
                "matter",
                "received_at",
                "registered_at",
                "registered_by_id",
                "subject_unit_id",
                "subject_department_id",
                "subject_person_id",
                "title",
                "content",
                "price_related",
                "complex_matter",
                "anonymous",
                "unit_id",
                "department_id",
                "first_inquiry_person_id",
                "handler_id",
                "escalation_level",
                "status",
                "status_before_pause",
                "sla_policy_id",
                "clock_started_at",
                "sign_by",
                "feedback_by",
                "resolve_by",
                "deadline_uncertain",
                "paused_at",
                "signed_at",
                "overdue_since",
                "reject_reason",
                "reply",
                "replied_at",
                "verification",
                "satisfaction",
                "closed_at",
                "updated_at",
            ],
            block,
            {
                "importance": "normal",
                "multi_department": False,
                "consent_publish": False,
                "external_ref": "",
                "subject_person_name": "",
                "sla_override_reason": "",
                "extension_count": 0,
                "redo_count": 0,
                "reported_to_supervisor": False,
                "express_reported_at": None,
            },
        )
        del block
        _flush_dependants(sink, events, identities, pauses, steps, audits)
    # Gap-free numbering continues from here.
    from xiaoneng.complaints.models import ComplaintSequence as Seq

    for year, last in year_counter.items():
        updated = Seq.objects.filter(year=year).update(last=last)
        if not updated:
            Seq.objects.create(year=year, last=last)
    return stats


def _flush_dependants(sink, events, identities, pauses, steps, audits) -> None:
    from xiaoneng.complaints.models import (
        ComplainantIdentity,
        ComplaintEvent,
        ComplaintPause,
        EscalationStep,
    )

    sink.write(
        ComplaintEvent,
        [
            "id",
            "complaint_id",
            "at",
            "actor_id",
            "actor_name",
            "action",
            "from_status",
            "to_status",
            "note",
            "data",
            "public",
        ],
        events,
    )
    events.clear()
    sink.write(
        ComplainantIdentity,
        [
            "id",
            "complaint_id",
            "name_enc",
            "phone_enc",
            "id_number_enc",
            "address_enc",
            "phone_index",
            "phone_last4",
        ],
        identities,
    )
    identities.clear()
    sink.write(
        ComplaintPause,
        ["id", "complaint_id", "started_at", "reason"],
        pauses,
        {"ended_at": None, "working_seconds": 0.0},
    )
    pauses.clear()
    sink.write(
        EscalationStep,
        [
            "id",
            "complaint_id",
            "kind",
            "key",
            "level",
            "person_id",
            "at",
            "reason",
            "office_notified",
        ],
        steps,
        {"resolved": False},
    )
    steps.clear()
    sink.write(
        AuditRecord,
        [
            "id",
            "at",
            "actor_id",
            "actor_name",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "after",
        ],
        audits,
        {"before": None, "reason": "", "request_id": "", "ip": None},
    )
    audits.clear()


def _cumulative(weights: list[float]) -> Iterator[float]:
    total = 0.0
    for w in weights:
        total += w
        yield total


def _bisect(cum: list[float], x: float) -> int:
    lo, hi = 0, len(cum) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if cum[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _take(it: Iterator, n: int) -> Iterator:
    for _ in range(n):
        try:
            yield next(it)
        except StopIteration:
            return


# --- rectification ledger (when the app's models exist) ------------------------------------------
ITEM_MIX = [  # status, weight
    ("pending", 10),
    ("in_progress", 30),
    ("close_requested", 8),
    ("closed", 48),
    ("reopened", 4),
]
ITEM_TYPES = [("immediate", 50), ("staged", 35), ("long_term", 15)]
MEASURES = "召开专题会议剖析原因，制定整改方案，明确责任人和完成时限，建立长效机制。"


def generate_items(
    sink: Sink, org: Org, *, n: int, rng: random.Random, now: datetime, progress
) -> dict[str, int]:
    """Issues (one per two items) and rectification items in every state; deadlines from the
    item-type rules and the calendar, ``yellow_at`` from the ledger's own rule."""
    if n <= 0:
        return {}
    try:
        from xiaoneng.rectification import deadlines as ledger_deadlines
        from xiaoneng.rectification.models import Issue, LedgerSequence, RectificationItem
    except ImportError:
        progress("  rectification ledger: not installed — skipped")
        return {}
    from xiaoneng.complaints.models import Category

    tz = timezone.get_current_timezone()
    now = timezone.localtime(now, tz)
    rules = ledger_deadlines.type_rules()
    cal = work_calendar.get_calendar()
    categories = list(Category.objects.filter(is_active=True).values_list("pk", flat=True))
    creator = User.objects.filter(username=f"{org.prefix}-office1").first()
    creator_id = creator.pk if creator else None
    units = [u for u in org.units if u.people_count]
    sources = ["self_inspection", "complaint", "inspection", "evaluation", "assigned", "other"]
    states = [s for s, _ in ITEM_MIX]
    state_w = list(_cumulative([w for _, w in ITEM_MIX]))
    types = [t for t, _ in ITEM_TYPES]
    type_w = list(_cumulative([w for _, w in ITEM_TYPES]))
    issue_id, item_id = _next_id(Issue), _next_id(RectificationItem)
    counters = {
        (k, y): last for k, y, last in LedgerSequence.objects.values_list("kind", "year", "last")
    }
    n_issues = (n + 1) // 2
    ages = sorted(((rng.random() ** 0.7) * YEARS * 365 for _ in range(n_issues)), reverse=True)
    stats = {"issues": 0, "items": 0, "open": 0}
    chunk = 50_000
    for base in range(0, n_issues, chunk):
        issues: list[tuple] = []
        items: list[tuple] = []
        for age in ages[base : base + chunk]:
            found = now - timedelta(days=age)
            year = found.year
            counters[("WT", year)] = counters.get(("WT", year), 0) + 1
            u = units[rng.randrange(len(units))]
            k = rng.randrange(len(u.depts))
            title = f"{u.short}{u.dept_names[k]}" + rng.choice(
                ("服务态度问题整改", "窗口排队时间长", "收费不规范", "制度落实不到位", "环境卫生差")
            )
            issues.append(
                (
                    issue_id,
                    f"WT{year}{counters[('WT', year)]:06d}",
                    rng.choice(sources),
                    u.id,
                    u.depts[k],
                    categories[rng.randrange(len(categories))] if categories else None,
                    rng.choice(("general", "general", "serious", "major", "typical")),
                    title,
                    f"{u.name}{u.dept_names[k]}存在{title[-6:]}的问题，需限期整改。",
                    found,
                    creator_id,
                    found,
                    found,
                )
            )
            for _ in range(2 if stats["items"] + 2 <= n else n - stats["items"]):
                kind = rng.choices(types, cum_weights=type_w)[0]
                value, unit = rules.get(kind, (5, "working_days"))
                started = found + timedelta(hours=rng.uniform(1, 48))
                if started > now:
                    started = now
                if unit == "working_days":
                    due = cal.add_working_days(started, value)
                elif unit == "natural_days":
                    due = cal.add_natural_days(started, value)
                else:
                    due = cal.add_months(started, value)
                status = rng.choices(states, cum_weights=state_w)[0]
                if age > 400 and status != "closed" and rng.random() < 0.9:
                    status = "closed"
                yellow = ledger_deadlines.yellow_at(started, due.at)
                closed_at = None
                close_requested = None
                percent = {"pending": 0, "in_progress": rng.randrange(10, 90)}.get(status, 100)
                if status in ("close_requested", "closed"):
                    end = min(now, started + (due.at - started) * rng.uniform(0.3, 1.1))
                    close_requested = end
                    if status == "closed":
                        closed_at = min(now, end + timedelta(hours=rng.uniform(2, 72)))
                counters[("ZG", year)] = counters.get(("ZG", year), 0) + 1
                member = u.people_first + LEADERS + k if members_of(u, k) else u.people_first
                items.append(
                    (
                        item_id,
                        issue_id,
                        f"ZG{year}{counters[('ZG', year)]:06d}",
                        kind,
                        MEASURES,
                        "问题整改到位，群众满意。",
                        started,
                        due.at,
                        due.uncertain,
                        yellow,
                        u.id,
                        u.depts[k],
                        member,
                        u.people_first + 1 if u.people_count > 1 else u.people_first,
                        status,
                        percent,
                        "已完成整改，制度已修订。" if percent == 100 else "",
                        close_requested,
                        closed_at,
                        creator_id if closed_at else None,
                        1 if status == "reopened" else 0,
                        creator_id,
                        started,
                        closed_at or close_requested or started,
                    )
                )
                item_id += 1
                stats["items"] += 1
                if status != "closed":
                    stats["open"] += 1
            issue_id += 1
            stats["issues"] += 1
        sink.write(
            Issue,
            [
                "id",
                "number",
                "source",
                "unit_id",
                "department_id",
                "category_id",
                "severity",
                "title",
                "description",
                "found_at",
                "created_by_id",
                "created_at",
                "updated_at",
            ],
            issues,
            {"is_public": False},
        )
        sink.write(
            RectificationItem,
            [
                "id",
                "issue_id",
                "number",
                "type",
                "measures",
                "target",
                "started_at",
                "deadline",
                "deadline_uncertain",
                "yellow_at",
                "responsible_unit_id",
                "responsible_department_id",
                "responsible_person_id",
                "responsible_leader_id",
                "status",
                "percent",
                "latest_progress",
                "close_requested_at",
                "closed_at",
                "closed_by_id",
                "reopen_count",
                "created_by_id",
                "created_at",
                "updated_at",
            ],
            items,
            {"flagged": False, "is_public": False},
        )
    for (kind, year), last in counters.items():
        if not LedgerSequence.objects.filter(kind=kind, year=year).update(last=last):
            LedgerSequence.objects.create(kind=kind, year=year, last=last)
    return stats


def load_org(prefix: str) -> Org:
    """The organisation an earlier run made (to append items to it)."""
    units: list[UnitRow] = []
    people = dict(
        (uid, (lo, n))
        for uid, lo, n in Person.objects.filter(unit__code__startswith=prefix)
        .values("unit_id")
        .annotate(lo=models.Min("pk"), n=models.Count("pk"))
        .values_list("unit_id", "lo", "n")
    )
    depts: dict[int, list[tuple[int, str]]] = {}
    for did, uid, name in (
        Department.objects.filter(unit__code__startswith=prefix)
        .order_by("sort_order", "pk")
        .values_list("pk", "unit_id", "name")
    ):
        depts.setdefault(uid, []).append((did, name))
    for u in Unit.objects.filter(code__startswith=prefix).order_by("pk"):
        lo, count = people.get(u.pk, (0, 0))
        row = UnitRow(
            u.pk, u.name, u.short_name, u.code, u.kind, u.level, u.parent_id, u.path, u.depth
        )
        row.people_first, row.people_count = lo, count
        row.depts = [d for d, _ in depts.get(u.pk, [])]
        row.dept_names = [name for _, name in depts.get(u.pk, [])]
        units.append(row)
    if not units:
        raise ValueError(f"No units with codes starting {prefix!r}.")
    heads = dict(
        Department.objects.filter(unit__code__startswith=prefix, head__isnull=False).values_list(
            "pk", "head_id"
        )
    )
    dept_unit = {d: u.id for u in units for d in u.depts}
    return Org(prefix, units, units[0], {u.id: u for u in units}, dept_unit, heads)


def _ledger_tables() -> list[str]:
    try:
        from xiaoneng.rectification.models import Issue, RectificationItem
    except ImportError:
        return []
    return [Issue._meta.db_table, RectificationItem._meta.db_table]


# --- entry point ---------------------------------------------------------------------------------
@dataclass
class Counts:
    units: int
    staff: int
    complaints: int
    items: int


def generate(
    counts: Counts,
    *,
    seed: int = 1,
    now: datetime | None = None,
    prefix: str | None = None,
    password: str = DEFAULT_PASSWORD,
    progress: Callable[[str], None] | None = None,
    items_only: bool = False,
) -> dict[str, Any]:
    """Fill the database; returns row counts, timings and the names of a few users.

    ``items_only``: add rectification items to the organisation an earlier run (same prefix) made.
    """
    progress = progress or (lambda line: print(line, file=sys.stderr, flush=True))
    from xiaoneng.core import clock

    now = now or clock.now().replace(microsecond=0)
    prefix = prefix or f"GS{seed}-"
    if not items_only and Unit.objects.filter(code__startswith=prefix).exists():
        raise ValueError(
            f"Units with codes starting {prefix!r} exist already: use another --prefix."
        )
    rng = random.Random(seed)
    sink: Sink = CopySink(progress) if connection.vendor == "postgresql" else InsertSink(progress)
    started = time.monotonic()
    timings: dict[str, float] = {}
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
                # Rows are consistent by construction: skip the per-row foreign-key triggers
                # (superuser only; without it the deferred checks run at commit).
                try:
                    with transaction.atomic():
                        cursor.execute("SET LOCAL session_replication_role = replica")
                except Exception:
                    progress("  (foreign keys checked at commit: not a superuser)")
        rebuild: list[str] = []
        if connection.vendor == "postgresql" and max(counts.complaints, counts.items) >= 100_000:
            tables = _ledger_tables() if items_only else list(BIG_TABLES) + _ledger_tables()
            rebuild = _drop_secondary_indexes(tables)
            progress(f"  dropped {len(rebuild)} secondary indexes (rebuilt after the load)")
        t = time.monotonic()
        if items_only:
            org = load_org(prefix.rstrip("-"))
            counts = Counts(len(org.units), 0, 0, counts.items)
        else:
            progress(f"organisation: {counts.units:,} units, {counts.staff:,} staff")
        org = (
            org
            if items_only
            else generate_org(
                sink,
                n_units=counts.units,
                n_staff=counts.staff,
                rng=random.Random(rng.random()),
                prefix=prefix.rstrip("-"),
                password=password,
            )
        )
        timings["organisation"] = time.monotonic() - t
        t = time.monotonic()
        progress(f"complaints: {counts.complaints:,}")
        stats = generate_complaints(
            sink,
            org,
            n=counts.complaints,
            rng=random.Random(rng.random()),
            now=now,
            progress=progress,
        )
        timings["complaints"] = time.monotonic() - t
        t = time.monotonic()
        progress(f"rectification items: {counts.items:,}")
        ledger = generate_items(
            sink, org, n=counts.items, rng=random.Random(rng.random()), now=now, progress=progress
        )
        timings["items"] = time.monotonic() - t
        if rebuild:
            t = time.monotonic()
            progress(f"rebuilding {len(rebuild)} indexes …")
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
                for definition in rebuild:
                    cursor.execute(definition)
            timings["indexes"] = time.monotonic() - t
        _reset_sequences()
    t = time.monotonic()
    if connection.vendor == "postgresql":
        # VACUUM as well (outside a transaction only): it sets the visibility map that lets
        # counts use index-only scans, the state autovacuum keeps a live database in.
        statement = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        progress(f"{statement} …")
        with connection.cursor() as cursor:
            cursor.execute(statement)
    timings["analyze"] = time.monotonic() - t
    work_calendar.invalidate()
    elapsed = time.monotonic() - started
    root = org.root
    return {
        "seed": seed,
        "now": now.isoformat(),
        "prefix": prefix.rstrip("-"),
        "seconds": round(elapsed, 1),
        "timings": {k: round(v, 1) for k, v in timings.items()},
        "rows": sink.counts,
        "complaints": stats,
        "ledger": ledger,
        "users": {
            "password": password,
            "office": f"{prefix.rstrip('-')}-office1",
            "root_unit": root.id,
        },
    }


BIG_TABLES = (
    "core_person",
    "core_person_departments",
    "core_auditrecord",
    "complaints_complaint",
    "complaints_complaintevent",
    "complaints_complainantidentity",
    "complaints_escalationstep",
)


def _drop_secondary_indexes(tables: Iterable[str]) -> list[str]:
    """PostgreSQL: drop the indexes that back no constraint (rebuilt after the load: one sorted
    build is far cheaper than millions of incremental inserts); returns their definitions."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = ANY(%s) AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            [list(tables)],
        )
        found = cursor.fetchall()
        for name, _definition in found:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return [definition for _name, definition in found]


def _reset_sequences() -> None:
    """Explicit ids were written: move the id sequences past them (PostgreSQL)."""
    from django.apps import apps

    models_ = [m for m in apps.get_models(include_auto_created=True)]
    sql = connection.ops.sequence_reset_sql(no_style(), models_)
    if sql:
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)
