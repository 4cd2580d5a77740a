"""Organisation writes: units, departments, people. Every change is audited.

Who may change what (issue #21), checked here and nowhere else so every path (API, pages,
future callers) obeys the same rule:

- writing needs ``org.manage`` and a writable role;
- the unit, department or person written, and every unit it is attached to before and after
  the change, must lie inside the writer's data scope (a unit admin's own unit and below);
- the *structure* — a unit's parent, activation, code, type and level, and creating a unit
  outside the writer's subtree (a top-level unit) — needs ``org.structure`` (the office and
  system administrators). A unit admin edits the descriptive fields of units in their scope.

``check=False`` is for trusted callers only (the office's Excel import after its own checks,
the demo and test builders, the Django admin for superusers).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from .. import audit
from ..errors import Forbidden, ValidationFailed
from ..models import Department, Person, Unit
from ..scope import scope_for
from .base import apply_changes, full_clean, require_permission, require_writable

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
# Fields that shape the organisation (what the public form lists, how units nest and are
# matched on import): changing them needs ``org.structure``.
UNIT_STRUCTURE_FIELDS = frozenset({"parent", "is_active", "code", "kind", "level"})
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


# --- the rule ---------------------------------------------------------------------------------
def may_change_structure(actor) -> bool:
    return actor is not None and actor.has_permission("org.structure")


def _require_writer(actor) -> None:
    require_permission(actor, "org.manage")
    require_writable(actor)


def _require_unit_in_scope(actor, unit: Unit | None, field: str) -> None:
    """Out of scope is refused the same way whatever the unit (no probing of other units)."""
    if unit is None:
        return
    if not scope_for(actor).contains_unit(unit):
        msg = _("That unit is outside your data scope.")
        raise Forbidden(msg, errors={field: [msg]})


def _require_person_in_scope(actor, person: Person | None, field: str) -> None:
    if person is not None:
        _require_unit_in_scope(actor, Unit.objects.get(pk=person.unit_id), field)


def _require_structure(actor, fields) -> None:
    fields = sorted(fields)
    if fields and not may_change_structure(actor):
        msg = _("Only the efficiency office can change this.")
        raise Forbidden(
            _("Only the efficiency office can change the structure of the organisation."),
            errors={name: [msg] for name in fields},
        )


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
    """A new unit. Inside the writer's subtree with ``org.manage``; a top-level unit or one
    under a unit outside the subtree needs ``org.structure``."""
    if check:
        _require_writer(actor)
        parent = fields.get("parent")
        if not may_change_structure(actor):
            if parent is None:
                _require_structure(actor, ["parent"])
            _require_unit_in_scope(actor, parent, "parent")
        _require_person_in_scope(actor, fields.get("principal"), "principal")
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
    """Edit a unit in the writer's scope; structural fields need ``org.structure``."""
    if check:
        _require_writer(actor)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if check:
        _require_unit_in_scope(actor, unit, "unit")
    before = audit.snapshot(unit)
    old_parent = unit.parent_id
    changed = apply_changes(unit, changes, allowed=UNIT_FIELDS)
    if not changed:
        return unit
    if check:
        _require_structure(actor, UNIT_STRUCTURE_FIELDS.intersection(changed))
        if "parent" in changed:
            _require_unit_in_scope(actor, unit.parent, "parent")
        if "principal" in changed:
            _require_person_in_scope(actor, unit.principal, "principal")
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
        _require_writer(actor)
    dept = Department()
    apply_changes(dept, fields, allowed=DEPARTMENT_FIELDS)
    if check:
        _check_department_scope(actor, dept, ["unit", "head", "leader_in_charge"])
    full_clean(dept)
    dept.save()
    audit.record("create", dept, after=audit.snapshot(dept), actor=actor)
    return dept


@transaction.atomic
def department_update(
    *, actor, department: Department, check: bool = True, **changes: Any
) -> Department:
    if check:
        _require_writer(actor)
    dept = Department.objects.select_for_update().get(pk=department.pk)
    if check:
        _require_unit_in_scope(actor, dept.unit, "unit")  # where it is now
    before = audit.snapshot(dept)
    changed = apply_changes(dept, changes, allowed=DEPARTMENT_FIELDS)
    if changed:
        if check:
            _check_department_scope(actor, dept, changed)  # where it goes
        full_clean(dept)
        dept.save()
        audit.record("update", dept, before=before, after=audit.snapshot(dept), actor=actor)
    return dept


@transaction.atomic
def person_create(*, actor, departments=(), check: bool = True, **fields: Any) -> Person:
    if check:
        _require_writer(actor)
    person = Person()
    apply_changes(person, fields, allowed=PERSON_FIELDS)
    if check:
        _require_unit_in_scope(actor, _unit_of(person), "unit")
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
        _require_writer(actor)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if check:
        _require_unit_in_scope(actor, _unit_of(person), "unit")  # where they are now
    before = audit.snapshot(person) | {
        "departments": sorted(person.departments.values_list("pk", flat=True))
    }
    if apply_changes(person, changes, allowed=PERSON_FIELDS):
        if check:
            _require_unit_in_scope(actor, _unit_of(person), "unit")  # where they go
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


def _unit_of(obj) -> Unit | None:
    return Unit.objects.filter(pk=obj.unit_id).first() if obj.unit_id else None


def _check_department_scope(actor, dept: Department, fields) -> None:
    if "unit" in fields:
        _require_unit_in_scope(actor, _unit_of(dept), "unit")
    for name in ("head", "leader_in_charge"):
        if name in fields:
            _require_person_in_scope(actor, getattr(dept, name), name)
