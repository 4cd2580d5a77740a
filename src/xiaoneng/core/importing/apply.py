"""The org import service: a checked plan written through the org services (every change
audited), all or nothing, counting what was created, updated and left unchanged."""

from __future__ import annotations

import io
from typing import Any

from django.db import transaction

from ..errors import ValidationFailed
from ..models import Department, Person, Unit
from ..services import org as org_services
from ..services.base import require_permission
from ..spreadsheet import COUNT_KEYS, ImportResult
from .columns import SHEET_DEPARTMENTS, SHEET_PEOPLE, SHEET_UNITS, SHEETS
from .reading import Row, load_existing, read_workbook
from .validate import Plan, validate

UNIT_EXTRA = {"parent_code", "principal_no", "bad_parent"}
DEPARTMENT_FIELDS = {"name", "kind", "phone", "sort_order"}
PERSON_EXTRA = {"unit_code", "department_names"}


def _changes(obj, data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if getattr(obj, k) != v}


class _Writer:
    """Writes a plan, remembering the row being written (named in an unforeseen error) and the
    outcome per record: created, updated or unchanged."""

    def __init__(self, actor) -> None:
        self.actor = actor
        self.row: Row | None = None
        self.outcome: dict[str, dict[Any, str]] = {s: {} for s in SHEETS}
        self.units: dict[str, Unit] = {}
        self.depts: dict[tuple[str, str], Department] = {}
        self.people: dict[str, Person] = {}

    def tally(self, sheet: str, key: Any, created: bool, changed: bool) -> None:
        before = self.outcome[sheet].get(key)
        if created or before == "created":
            self.outcome[sheet][key] = "created"
        elif changed or before == "updated":
            self.outcome[sheet][key] = "updated"
        else:
            self.outcome[sheet][key] = "unchanged"

    def counts(self) -> dict[str, dict[str, int]]:
        return {
            sheet: {k: sum(1 for v in self.outcome[sheet].values() if v == k) for k in COUNT_KEYS}
            for sheet in SHEETS
        }

    # lookups (what this import wrote first, else the database)
    def unit(self, code: str) -> Unit:
        if code not in self.units:
            self.units[code] = Unit.objects.get(code=code)
        return self.units[code]

    def department(self, unit: Unit, name: str) -> Department:
        key = (unit.code, name)
        if key not in self.depts:
            self.depts[key] = Department.objects.get(unit=unit, name=name)
        return self.depts[key]

    def person(self, no: str) -> Person:
        if no not in self.people:
            self.people[no] = Person.objects.get(employee_no=no)
        return self.people[no]

    # writes
    def write_units(self, plan: Plan) -> None:
        codes = [d["code"] for _r, d in plan.units]
        existing = {u.code: u for u in Unit.objects.filter(code__in=codes)}
        for row, data in plan.units:
            self.row = row
            fields = {k: v for k, v in data.items() if k not in UNIT_EXTRA}
            parent_code = data.get("parent_code")
            parent = self.unit(parent_code) if parent_code else None
            unit = existing.get(data["code"])
            if unit is None:
                unit = org_services.unit_create(
                    actor=self.actor, check=False, parent=parent, **fields
                )
                self.tally(SHEET_UNITS, data["code"], True, False)
            else:
                changes = _changes(unit, fields)
                if unit.parent_id != (parent.pk if parent else None):
                    changes["parent"] = parent
                if changes:
                    unit = org_services.unit_update(
                        actor=self.actor, unit=unit, check=False, **changes
                    )
                self.tally(SHEET_UNITS, data["code"], False, bool(changes))
            self.units[unit.code] = unit

    def write_departments(self, plan: Plan) -> None:
        for row, data in plan.departments:
            self.row = row
            unit = self.unit(data["unit_code"])
            fields = {k: v for k, v in data.items() if k in DEPARTMENT_FIELDS}
            key = (data["unit_code"], data["name"])
            dept = Department.objects.filter(unit=unit, name=data["name"]).first()
            if dept is None:
                dept = org_services.department_create(
                    actor=self.actor, check=False, unit=unit, **fields
                )
                self.tally(SHEET_DEPARTMENTS, key, True, False)
            else:
                changes = _changes(dept, fields)
                if changes:
                    dept = org_services.department_update(
                        actor=self.actor, department=dept, check=False, **changes
                    )
                self.tally(SHEET_DEPARTMENTS, key, False, bool(changes))
            self.depts[(unit.code, dept.name)] = dept

    def write_people(self, plan: Plan) -> None:
        for row, data in plan.people:
            self.row = row
            unit = self.unit(data["unit_code"])
            fields = {k: v for k, v in data.items() if k not in PERSON_EXTRA} | {"unit": unit}
            names = data.get("department_names")
            departments = None if names is None else [self.department(unit, n) for n in names]
            person = Person.objects.filter(employee_no=data["employee_no"]).first()
            if person is None:
                person = org_services.person_create(
                    actor=self.actor, check=False, departments=departments or (), **fields
                )
                self.tally(SHEET_PEOPLE, data["employee_no"], True, False)
            else:
                changes = _changes(person, fields)
                same_depts = departments is None or {d.pk for d in departments} == set(
                    person.departments.values_list("pk", flat=True)
                )
                if changes or not same_depts:
                    person = org_services.person_update(
                        actor=self.actor,
                        person=person,
                        check=False,
                        departments=departments,
                        **changes,
                    )
                self.tally(
                    SHEET_PEOPLE, data["employee_no"], False, bool(changes) or not same_depts
                )
            self.people[person.employee_no] = person

    def write_leaders(self, plan: Plan) -> None:
        """Leadership last: the people may be new in this file."""
        for row, data in plan.units:
            self.row = row
            if "principal_no" not in data:
                continue
            unit = self.unit(data["code"])
            principal = self.person(data["principal_no"])
            if unit.principal_id != principal.pk:
                unit = org_services.unit_update(
                    actor=self.actor, unit=unit, check=False, principal=principal
                )
                self.units[unit.code] = unit
                self.tally(SHEET_UNITS, unit.code, False, True)
        for row, data in plan.departments:
            self.row = row
            dept = self.depts[(data["unit_code"], data["name"])]
            changes = {}
            for key_ in ("head", "leader_in_charge"):
                if f"{key_}_no" in data:
                    leader = self.person(data[f"{key_}_no"])
                    if getattr(dept, f"{key_}_id") != leader.pk:
                        changes[key_] = leader
            if changes:
                org_services.department_update(
                    actor=self.actor, department=dept, check=False, **changes
                )
                self.tally(SHEET_DEPARTMENTS, (data["unit_code"], data["name"]), False, True)

    def failed(self, exc: ValidationFailed) -> ImportResult:
        """Something the checks did not foresee: the whole file is rejected, naming the row."""
        row = self.row
        messages = [f"{k}: {m}" for k, ms in (exc.errors or {}).items() for m in ms] or [
            str(exc.detail)
        ]
        result = ImportResult()
        for message in messages:
            if row is None:
                result.error(None, "", message)
            else:
                result.errors.append(row.error(None, message))
        return result


@transaction.atomic
def import_org(*, actor, data: bytes | io.IOBase, check: bool = True) -> ImportResult:
    """Import a whole organisation workbook or nothing (ARCHITECTURE rule 5: validated whole)."""
    if check:
        require_permission(actor, "org.import")
    sheets, errors = read_workbook(data)
    if errors:
        return ImportResult(errors=errors)
    plan, errors = validate(sheets, load_existing(actor if check else None))
    if errors:
        return ImportResult(errors=errors)
    writer = _Writer(actor)
    try:
        writer.write_units(plan)
        writer.write_departments(plan)
        writer.write_people(plan)
        writer.write_leaders(plan)
    except ValidationFailed as exc:
        transaction.set_rollback(True)
        return writer.failed(exc)
    return ImportResult(counts=writer.counts())
