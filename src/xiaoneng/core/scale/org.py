"""Scale data: the organisation (unit tree with materialised paths, departments, people with
leadership roles, users for a few roles)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import models
from django.utils import timezone

from ..models import Department, Person, Role, Unit, User
from .sink import Sink, largest_remainder, next_id, person_name, place

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
        pname = place(rng)
        root = add(f"{pname}省卫生健康委员会", f"{pname}省卫健委", "bureau", "province", None)
        n_cities = max(1, round(n_units / 300))
        n_counties = max(n_cities, round(n_units / 45))
        cities = []
        for _ in range(n_cities):
            c = place(rng)
            city = add(f"{c}市卫生健康委员会", f"{c}市卫健委", "bureau", "city", root)
            cities.append(city)
            if len(units) < n_units:
                add(f"{c}市人民医院", f"{c}市医院", "hospital", "city", city)
        counties = []
        for i in range(n_counties):
            c = place(rng)
            counties.append(
                add(f"{c}县卫生健康局", f"{c}县卫健局", "bureau", "county", cities[i % n_cities])
            )
    else:
        c = place(rng)
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
    per_county = largest_remainder([1.0] * len(counties), max(remaining, 0))
    for county, count in zip(counties, per_county, strict=True):
        if count <= 0:
            continue
        n_town = max(1, count // 3)
        towns = []
        for i in range(n_town):
            t = place(rng)
            if i % 4 == 3:
                towns.append(
                    add(f"{t}社区卫生服务中心", f"{t}社区", "community", "township", county)
                )
            else:
                towns.append(add(f"{t}镇卫生院", f"{t}卫生院", "township", "township", county))
        for i in range(count - n_town):
            v = place(rng)
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
    units = _build_tree(n_units, rng, next_id(Unit), prefix)
    by_id = {u.id: u for u in units}
    # Departments.
    dept_id = next_id(Department)
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
    counts = largest_remainder([PEOPLE_WEIGHT.get(u.kind, 20) for u in units], n_staff, 1)
    person_id = next_id(Person)
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
                    person_name(rng),
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

    first_membership = next_id(through)  # (never query while a COPY is open)

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
    uid = next_id(User)
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
    first = next_id(through)
    sink.write(
        through,
        ["id", "user_id", "role_id"],
        ((first + i, u, r) for i, (u, r) in enumerate(user_roles)),
    )


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
