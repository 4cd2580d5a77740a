"""The demo county (青山县): its organisation, the demo accounts, and loading it only once."""

import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat
from django.test import override_settings
from django.urls import reverse

from xiaoneng.core.demo import BUREAU_CODE, DEMO_ACCOUNTS, load_demo_county
from xiaoneng.core.models import AuditRecord, Department, Message, Person, Unit, User

EXPECTED_ROLES = {
    "admin": {"sysadmin"},
    "office": {"office"},
    "leader": {"leader"},
    "hosp1": {"unit_admin"},
    "hosp2": {"unit_admin"},
    "dept1": {"dept_head"},
    "staff1": {"staff"},
    "supervisor1": {"supervisor"},
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the county once for this module, inside a transaction rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        assert load_demo_county() is True
        yield
        transaction.set_rollback(True)


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Unit, Department, Person, User, Message, AuditRecord)
    }


def test_it_builds_a_county_with_its_people(demo, db):
    assert Person.objects.count() >= 300
    assert Unit.objects.filter(kind=Unit.Kind.TOWNSHIP).count() >= 8
    assert Unit.objects.filter(kind=Unit.Kind.COMMUNITY).count() >= 2
    assert Unit.objects.filter(kind=Unit.Kind.VILLAGE, parent__kind=Unit.Kind.TOWNSHIP).exists()
    for kind in (
        Unit.Kind.BUREAU,
        Unit.Kind.HOSPITAL,
        Unit.Kind.TCM_HOSPITAL,
        Unit.Kind.MCH_HOSPITAL,
        Unit.Kind.CDC,
        Unit.Kind.SUPERVISION,
        Unit.Kind.EMERGENCY,
    ):
        assert Unit.objects.filter(kind=kind).exists(), kind
    bureau = Unit.objects.get(code=BUREAU_CODE)
    assert set(bureau.departments.values_list("name", flat=True)) >= {
        "办公室",
        "医政医管股",
        "基层卫生股",
        "公共卫生股",
        "规划财务股",
        "纪检监察室",
        "效能办",
    }
    hospital = Unit.objects.get(name="青山县人民医院")
    assert set(hospital.departments.values_list("name", flat=True)) >= {
        "急诊科",
        "内科",
        "外科",
        "妇产科",
        "儿科",
        "检验科",
        "放射科",
        "超声科",
        "药剂科",
        "挂号收费处",
        "医务科",
        "护理部",
        "院办",
    }
    assert set(Department.objects.values_list("kind", flat=True)) == set(Department.Kind.values)
    assert Unit.objects.filter(is_window=True).exists()
    # The unit tree: every unit but the bureau hangs under it.
    assert all(u.path.startswith(bureau.path) for u in Unit.objects.all())


def test_every_unit_has_a_principal_and_every_department_a_head(demo, db):
    assert not Unit.objects.filter(principal__isnull=True).exists()
    assert not Department.objects.filter(head__isnull=True).exists()
    assert not Department.objects.filter(leader_in_charge__isnull=True).exists()
    for unit in Unit.objects.select_related("principal"):
        assert unit.principal.unit_id == unit.pk
    for dept in Department.objects.select_related("head", "leader_in_charge"):
        assert dept.head.unit_id == dept.unit_id
        assert dept.head.departments.filter(pk=dept.pk).exists()
        assert dept.leader_in_charge.unit_id == dept.unit_id
    hospital = Unit.objects.get(name="青山县人民医院")
    assert hospital.principal.position == "院长"
    deputies = set(hospital.people.filter(position="副院长"))
    assert {d.leader_in_charge for d in hospital.departments.all()} <= deputies


def test_people_have_invented_but_complete_records(demo, db):
    people = list(Person.objects.all())
    assert len({p.name for p in people}) == len(people)  # no two people share a name
    assert all(re.fullmatch(r"1390000\d{4}", p.phone) for p in people)
    assert len({p.phone for p in people}) == len(people)
    assert all(p.employee_no and p.position and p.gender for p in people)
    assert len({p.employee_no for p in people}) == len(people)
    titles = {p.title for p in people}
    assert titles >= {"主任医师", "副主任医师", "主治医师", "医师", "主管护师", "护师", "药师"}
    statuses = {p.political_status for p in people}
    assert {Person.Political.CPC, Person.Political.MASSES} <= statuses


def test_the_organisation_is_audited_as_system(demo, db):
    for model in (Unit, Department, Person):
        object_type = f"core.{model._meta.model_name}"
        audited = set(
            AuditRecord.objects.filter(object_type=object_type, action="create").values_list(
                "object_id", flat=True
            )
        )
        assert audited == {str(pk) for pk in model.objects.values_list("pk", flat=True)}
    org_types = ["core.unit", "core.department", "core.person"]
    org_records = AuditRecord.objects.filter(object_type__in=org_types)
    assert set(org_records.values_list("actor_name", flat=True)) == {"system"}


def test_the_demo_accounts_exist_with_their_roles(demo, db):
    assert set(DEMO_ACCOUNTS) == set(EXPECTED_ROLES)
    users = {u.username: u for u in User.objects.filter(username__in=DEMO_ACCOUNTS)}
    assert set(users) == set(EXPECTED_ROLES)
    for username, user in users.items():
        assert set(user.roles.values_list("code", flat=True)) == EXPECTED_ROLES[username]
        assert user.check_password(settings.DEMO_PASSWORD)
        assert not user.must_change_password
        assert user.person is not None
    assert users["admin"].is_superuser
    assert not any(u.is_superuser for name, u in users.items() if name != "admin")
    bureau = Unit.objects.get(code=BUREAU_CODE)
    hospital = Unit.objects.get(name="青山县人民医院")
    emergency = hospital.departments.get(name="急诊科")
    assert users["admin"].person.departments.filter(unit=bureau, name="办公室").exists()
    assert users["office"].person.departments.filter(unit=bureau, name="效能办").exists()
    assert users["leader"].person.unit == bureau
    assert users["leader"].person.position == "副局长"
    assert users["hosp1"].person.unit == hospital
    assert users["hosp2"].person.unit.name == "青山县中医医院"
    assert emergency.head == users["dept1"].person
    assert users["staff1"].person.departments.filter(pk=emergency.pk).exists()
    assert users["staff1"].person != emergency.head
    assert users["supervisor1"].person.unit == bureau
    assert users["supervisor1"].person.position == "行风社会监督员"
    for user in users.values():
        assert Message.objects.filter(recipient=user, kind="welcome").count() == 1


def test_loading_twice_changes_nothing(demo, db):
    before = _counts()
    assert load_demo_county() is False
    assert _counts() == before


def test_accounts_that_already_exist_are_left_alone(demo, db):
    # Hide the loaded county (its codes) so a second one loads beside the existing accounts.
    Unit.objects.update(code=Concat(Value("old-"), "code"))
    admin_person = User.objects.get(username="admin").person_id
    users, messages = User.objects.count(), Message.objects.count()
    out = StringIO()
    assert load_demo_county(stdout=out) is True
    assert "already existed" in out.getvalue()
    assert User.objects.count() == users
    assert Message.objects.count() == messages
    assert User.objects.get(username="admin").person_id == admin_person


@override_settings(DEMO=True)
@pytest.mark.parametrize("username", DEMO_ACCOUNTS)
def test_each_demo_account_logs_in_and_sees_its_name_and_unit(demo, db, client, username):
    response = client.post(
        reverse("login"), {"username": username, "password": settings.DEMO_PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    page = client.get(reverse("home"))
    assert page.status_code == 200
    user = User.objects.select_related("person__unit").get(username=username)
    html = page.content.decode()
    assert f'data-testid="home-name">{user.person.name}<' in html
    assert f'data-testid="home-unit">{user.person.unit.name}<' in html
    assert 'data-testid="inbox-unread">2<' in html


@override_settings(DEMO=False)
def test_the_demo_password_is_refused_outside_demo_mode(demo, db, client):
    response = client.post(
        reverse("login"), {"username": "office", "password": settings.DEMO_PASSWORD}
    )
    assert response.status_code == 200  # the form again, with the reason
    assert "_auth_user_id" not in client.session


def test_the_demo_command_reports_an_existing_county(demo, db):
    out = StringIO()
    with override_settings(DEMO=True):
        call_command("demo", stdout=out)
    assert "already loaded" in out.getvalue()


def test_the_demo_command_needs_demo_mode(db):
    from django.core.management.base import CommandError

    with override_settings(DEMO=False), pytest.raises(CommandError):
        call_command("demo")
