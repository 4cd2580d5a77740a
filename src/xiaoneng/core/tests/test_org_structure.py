"""Issue #21 item 2: a unit admin edits the descriptive fields of units inside their scope only;
activation, parent changes, codes and units outside their subtree are the office's.

The rule lives in ``services.org``: these tests call it through the API and directly, so a
future caller (a page, a command) cannot get around it.
"""

import pytest
from django.urls import reverse

from xiaoneng.core import audit
from xiaoneng.core.errors import Forbidden
from xiaoneng.core.models import AuditRecord, Unit
from xiaoneng.core.services import org as org_services

pytestmark = pytest.mark.django_db


def unit_url(unit) -> str:
    return reverse("api-unit", args=[unit.pk])


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return response.json()


# --- the reported defect ---------------------------------------------------------------------
def test_a_unit_admin_cannot_deactivate_or_detach_their_own_unit(api_as, org):
    bob = api_as(org.bob)
    before = AuditRecord.objects.count()
    body = problem(bob.patch(unit_url(org.unit_a), {"is_active": False, "parent": None}), 403)
    assert set(body["errors"]) == {"is_active", "parent"}
    for changes in ({"is_active": False}, {"parent": None}, {"code": "X1"}, {"level": "city"}):
        problem(bob.patch(unit_url(org.unit_a), changes), 403)
    org.unit_a.refresh_from_db()
    assert org.unit_a.is_active and org.unit_a.parent_id == org.bureau.pk
    assert AuditRecord.objects.count() == before


def test_a_unit_admin_cannot_create_a_top_level_unit(api_as, org):
    bob = api_as(org.bob)
    body = problem(bob.post(reverse("api-units"), {"name": "诱饵医院", "code": "DECOY"}), 403)
    assert "parent" in body["errors"]
    assert not Unit.objects.filter(code="DECOY").exists()


def test_a_unit_admin_still_edits_descriptive_fields_and_keeps_unchanged_structure(api_as, org):
    bob = api_as(org.bob)
    response = bob.patch(
        unit_url(org.unit_a),
        {"phone": "0571-1", "name": "甲医院（新）", "is_active": True, "code": org.unit_a.code},
    )
    assert response.status_code == 200, response.content
    record = audit.history(org.unit_a).first()
    assert record.actor == org.bob and set(record.after) == {"phone", "name"}


def test_a_unit_admin_creates_a_unit_inside_their_subtree_and_it_is_audited(api_as, org):
    response = api_as(org.bob).post(
        reverse("api-units"), {"name": "甲医院二分院", "code": "A3", "parent": org.unit_a.pk}
    )
    assert response.status_code == 201, response.content
    unit = Unit.objects.get(code="A3")
    assert unit.path.startswith(org.unit_a.path)
    assert audit.history(unit).get().action == "create"


def test_the_office_changes_the_structure_and_every_change_is_audited(api_as, org):
    alice = api_as(org.alice)
    assert alice.patch(unit_url(org.unit_a), {"is_active": False}).status_code == 200
    assert alice.patch(unit_url(org.unit_a_child), {"parent": org.unit_b.pk}).status_code == 200
    created = alice.post(reverse("api-units"), {"name": "新局", "code": "TOP2"})
    assert created.status_code == 201
    org.unit_a_child.refresh_from_db()
    assert org.unit_a_child.path.startswith(org.unit_b.path)
    assert audit.history(org.unit_a).first().after == {"is_active": False}
    assert audit.history(org.unit_a_child).first().after["parent"] == org.unit_b.pk
    assert audit.history(Unit.objects.get(code="TOP2")).get().actor == org.alice


def test_only_the_office_and_sysadmin_roles_hold_the_structure_permission(org):
    assert org.alice.has_permission("org.structure")
    for user in (org.bob, org.carol, org.dave, org.erin, org.leader, org.nobody):
        assert not user.has_permission("org.structure"), user


# --- the same kind of hole, straight at the services ------------------------------------------
def test_the_services_refuse_units_outside_the_writers_scope(org):
    with pytest.raises(Forbidden):
        org_services.unit_update(actor=org.bob, unit=org.unit_b, phone="1")
    with pytest.raises(Forbidden):
        org_services.unit_create(actor=org.bob, name="x", code="X9", parent=org.unit_b)
    with pytest.raises(Forbidden):
        org_services.unit_create(actor=org.bob, name="x", code="X9", parent=None)
    with pytest.raises(Forbidden):  # the principal must be someone in scope
        org_services.unit_update(actor=org.bob, unit=org.unit_a, principal=org.carol.person)
    assert not Unit.objects.filter(code="X9").exists()


def test_departments_cannot_be_moved_or_created_outside_the_scope(org):
    with pytest.raises(Forbidden):
        org_services.department_update(actor=org.bob, department=org.dept_a1, unit=org.unit_b)
    with pytest.raises(Forbidden):
        org_services.department_update(actor=org.bob, department=org.dept_b1, name="x")
    with pytest.raises(Forbidden):
        org_services.department_create(actor=org.bob, unit=org.unit_b, name="x", kind="clinical")
    with pytest.raises(Forbidden):
        org_services.department_update(actor=org.bob, department=org.dept_a1, head=org.carol.person)
    org.dept_a1.refresh_from_db()
    assert org.dept_a1.unit_id == org.unit_a.pk


def test_people_cannot_be_moved_or_created_outside_the_scope(org):
    dave = org.dave.person
    with pytest.raises(Forbidden):
        org_services.person_update(actor=org.bob, person=dave, unit=org.unit_b, departments=[])
    with pytest.raises(Forbidden):
        org_services.person_update(actor=org.bob, person=org.carol.person, name="x")
    with pytest.raises(Forbidden):
        org_services.person_create(actor=org.bob, unit=org.unit_b, name="外人")
    dave.refresh_from_db()
    assert dave.unit_id == org.unit_a.pk
    # Inside the subtree a unit admin moves people freely.
    org_services.person_update(actor=org.bob, person=dave, unit=org.unit_a_child, departments=[])
    dave.refresh_from_db()
    assert dave.unit_id == org.unit_a_child.pk


def test_the_api_refuses_moving_people_and_departments_out_of_scope(api_as, org):
    bob = api_as(org.bob)
    dept = reverse("api-department", args=[org.dept_a1.pk])
    assert bob.patch(dept, {"unit": org.unit_b.pk}).status_code in {400, 403}
    person = reverse("api-person", args=[org.dave.person.pk])
    assert bob.patch(person, {"unit": org.unit_b.pk, "departments": []}).status_code in {400, 403}
    org.dept_a1.refresh_from_db()
    org.dave.person.refresh_from_db()
    assert org.dept_a1.unit_id == org.unit_a.pk and org.dave.person.unit_id == org.unit_a.pk
