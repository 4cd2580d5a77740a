"""Test helpers shared by every app: a small organisation with the matrix users."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Department, Person, Role, Unit, User
from .services import org as org_services

PASSWORD = "Test-pass-2026"


@dataclass
class OrgFixture:
    bureau: Unit
    unit_a: Unit
    unit_a_child: Unit
    unit_b: Unit
    dept_a1: Department
    dept_a2: Department
    dept_b1: Department
    alice: User  # office
    bob: User  # unit admin, unit A
    carol: User  # unit admin, unit B
    dave: User  # staff, unit A / dept A1
    erin: User  # department head of A1
    leader: User  # bureau leader (read-only, all)
    nobody: User  # logged in, no role


def make_user(username: str, person: Person | None, *role_codes: str, **extra) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, person=person, **extra)
    if role_codes:
        user.roles.set(Role.objects.filter(code__in=role_codes))
    return user


def build_org() -> OrgFixture:
    def unit(name, code, parent=None, **kw):
        return org_services.unit_create(
            actor=None, check=False, name=name, code=code, parent=parent, **kw
        )

    bureau = unit("测试县卫生健康局", "B0", kind=Unit.Kind.BUREAU)
    unit_a = unit("甲医院", "UA", bureau, kind=Unit.Kind.HOSPITAL)
    unit_a_child = unit(
        "甲医院分院", "UA1", unit_a, kind=Unit.Kind.TOWNSHIP, level=Unit.Level.TOWNSHIP
    )
    unit_b = unit("乙医院", "UB", bureau, kind=Unit.Kind.TCM_HOSPITAL)
    dept = org_services.department_create
    dept_a1 = dept(
        actor=None, check=False, unit=unit_a, name="急诊科", kind=Department.Kind.CLINICAL
    )
    dept_a2 = dept(actor=None, check=False, unit=unit_a, name="内科", kind=Department.Kind.CLINICAL)
    dept_b1 = dept(
        actor=None, check=False, unit=unit_b, name="急诊科", kind=Department.Kind.CLINICAL
    )

    def person(name, unit, *departments, **kw):
        return org_services.person_create(
            actor=None, check=False, name=name, unit=unit, departments=departments, **kw
        )

    p_alice = person("爱丽", bureau)
    p_bob = person("鲍勃", unit_a)
    p_carol = person("卡萝", unit_b)
    p_dave = person("大卫", unit_a, dept_a1)
    p_erin = person("艾琳", unit_a, dept_a1)
    p_leader = person("李局", bureau)
    p_principal_a = person("甲院长", unit_a, position="院长")
    p_deputy_a = person("甲副院长", unit_a, position="副院长")
    org_services.unit_update(actor=None, unit=unit_a, check=False, principal=p_principal_a)
    org_services.department_update(
        actor=None, department=dept_a1, check=False, head=p_erin, leader_in_charge=p_deputy_a
    )
    dept_a1.refresh_from_db()
    unit_a.refresh_from_db()

    return OrgFixture(
        bureau=bureau,
        unit_a=unit_a,
        unit_a_child=unit_a_child,
        unit_b=unit_b,
        dept_a1=dept_a1,
        dept_a2=dept_a2,
        dept_b1=dept_b1,
        alice=make_user("alice", p_alice, "office"),
        bob=make_user("bob", p_bob, "unit_admin"),
        carol=make_user("carol", p_carol, "unit_admin"),
        dave=make_user("dave", p_dave, "staff"),
        erin=make_user("erin", p_erin, "dept_head"),
        leader=make_user("leader", p_leader, "leader"),
        nobody=make_user("nobody", None),
    )


def reseed_reference_data() -> bool:
    """Put back what the data migrations seed (roles, calendar, rules, templates, channels…)
    after a transactional test flushed every table. Runs each xiaoneng seed migration (one made
    of RunPython operations only) again against the current models; a migration that also changes
    the schema transforms existing rows and is not replayed. Returns False (and does nothing)
    when nothing is missing.

    The sentinel is the roles table: every data migration's rows go with it in a flush.
    """
    from django.apps import apps as global_apps
    from django.db import connection
    from django.db.migrations import RunPython
    from django.db.migrations.loader import MigrationLoader

    from .models import Role

    if Role.objects.exists():
        return False
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    plan = loader.graph.leaf_nodes()
    ordered = []
    for leaf in plan:
        for key in loader.graph.forwards_plan(leaf):
            if key not in ordered:
                ordered.append(key)
    with connection.schema_editor(atomic=True) as editor:
        for app_label, name in ordered:
            migration = loader.graph.nodes[(app_label, name)]
            if not migration.__module__.startswith("xiaoneng."):
                continue
            if not all(isinstance(op, RunPython) for op in migration.operations):
                continue
            for operation in migration.operations:
                if isinstance(operation, RunPython):
                    # the seeds run against the live registry here (a test database built
                    # without migrations), not a migration state
                    operation.code(global_apps, editor)  # type: ignore[arg-type]
    return True
