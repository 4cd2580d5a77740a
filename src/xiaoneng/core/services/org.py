"""Organisation writes: units, departments, people. Every change is audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from .. import audit
from ..errors import ValidationFailed
from ..models import Department, Person, Unit
from .base import apply_changes, full_clean, require_permission

UNIT_FIELDS = {
    "name",
    "short_name",
    "code",
    "kind",
    "level",
    "parent",
    "phone",
    "address",
    "is_window",
    "principal",
    "sort_order",
    "is_active",
}
DEPARTMENT_FIELDS = {
    "unit",
    "name",
    "kind",
    "phone",
    "head",
    "leader_in_charge",
    "sort_order",
    "is_active",
}
PERSON_FIELDS = {
    "name",
    "unit",
    "employee_no",
    "gender",
    "phone",
    "position",
    "title",
    "political_status",
    "is_active",
}


def _set_path(unit: Unit) -> None:
    parent = unit.parent
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.depth = parent.depth + 1 if parent else 0


def _rebuild_subtree_paths(unit: Unit) -> None:
    for child in Unit.objects.filter(parent=unit):
        _set_path(child)
        child.save(update_fields=["path", "depth"])
        _rebuild_subtree_paths(child)


@transaction.atomic
def unit_create(*, actor, check: bool = True, **fields: Any) -> Unit:
    if check:
        require_permission(actor, "org.manage")
    unit = Unit()
    apply_changes(unit, fields, allowed=UNIT_FIELDS)
    full_clean(unit, exclude=["path"])
    unit.save()
    _set_path(unit)
    unit.save(update_fields=["path", "depth"])
    audit.record("create", unit, after=audit.snapshot(unit), actor=actor)
    return unit


@transaction.atomic
def unit_update(*, actor, unit: Unit, check: bool = True, **changes: Any) -> Unit:
    if check:
        require_permission(actor, "org.manage")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = audit.snapshot(unit)
    old_parent = unit.parent_id
    changed = apply_changes(unit, changes, allowed=UNIT_FIELDS)
    if not changed:
        return unit
    if unit.parent_id != old_parent and unit.parent_id is not None:
        ancestor = Unit.objects.get(pk=unit.parent_id)
        if ancestor.path.startswith(unit.path):
            raise ValidationFailed(
                _("A unit cannot be moved under itself."),
                errors={"parent": [_("A unit cannot be moved under itself.")]},
            )
    full_clean(unit)
    if unit.parent_id != old_parent:
        _set_path(unit)
    unit.save()
    if unit.parent_id != old_parent:
        _rebuild_subtree_paths(unit)
    audit.record("update", unit, before=before, after=audit.snapshot(unit), actor=actor)
    return unit


@transaction.atomic
def department_create(*, actor, check: bool = True, **fields: Any) -> Department:
    if check:
        require_permission(actor, "org.manage")
    dept = Department()
    apply_changes(dept, fields, allowed=DEPARTMENT_FIELDS)
    full_clean(dept)
    dept.save()
    audit.record("create", dept, after=audit.snapshot(dept), actor=actor)
    return dept


@transaction.atomic
def department_update(
    *, actor, department: Department, check: bool = True, **changes: Any
) -> Department:
    if check:
        require_permission(actor, "org.manage")
    dept = Department.objects.select_for_update().get(pk=department.pk)
    before = audit.snapshot(dept)
    if apply_changes(dept, changes, allowed=DEPARTMENT_FIELDS):
        full_clean(dept)
        dept.save()
        audit.record("update", dept, before=before, after=audit.snapshot(dept), actor=actor)
    return dept


@transaction.atomic
def person_create(*, actor, departments=(), check: bool = True, **fields: Any) -> Person:
    if check:
        require_permission(actor, "org.manage")
    person = Person()
    apply_changes(person, fields, allowed=PERSON_FIELDS)
    full_clean(person)
    person.save()
    if departments:
        _check_departments(person, departments)
        person.departments.set(departments)
    after = audit.snapshot(person) | {"departments": sorted(d.pk for d in person.departments.all())}
    audit.record("create", person, after=after, actor=actor)
    return person


@transaction.atomic
def person_update(
    *, actor, person: Person, departments=None, check: bool = True, **changes: Any
) -> Person:
    if check:
        require_permission(actor, "org.manage")
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = audit.snapshot(person) | {
        "departments": sorted(person.departments.values_list("pk", flat=True))
    }
    if apply_changes(person, changes, allowed=PERSON_FIELDS):
        full_clean(person)
        person.save()
    if departments is not None:
        _check_departments(person, departments)
        person.departments.set(departments)
    after = audit.snapshot(person) | {
        "departments": sorted(person.departments.values_list("pk", flat=True))
    }
    if before != after:
        audit.record("update", person, before=before, after=after, actor=actor)
    return person


def _check_departments(person: Person, departments) -> None:
    foreign = [d for d in departments if d.unit_id != person.unit_id]
    if foreign:
        raise ValidationFailed(
            _("Departments must belong to the person's unit."),
            errors={"departments": [_("Departments must belong to the person's unit.")]},
        )
