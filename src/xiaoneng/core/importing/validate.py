"""Checking an organisation workbook against itself and the database snapshot (pure): every
problem found at once, as ``RowError``s naming sheet, row and column; the write plan when there
are none."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from ..models import Unit
from ..spreadsheet import RowError
from .columns import (
    DEPARTMENT_COLUMNS,
    DEPARTMENT_KIND_LABELS,
    GENDER_LABELS,
    KIND_DEFAULT_LEVEL,
    LIST_SEPARATORS,
    NO,
    PERSON_COLUMNS,
    POLITICAL_LABELS,
    SHEET_DEPARTMENTS,
    SHEET_PEOPLE,
    SHEET_UNITS,
    SHEETS,
    UNIT_COLUMNS,
    UNIT_KIND_LABELS,
    UNIT_LEVEL_LABELS,
    YES,
    Column,
)
from .reading import Existing, Row

U = {c.key: c for c in UNIT_COLUMNS}
D = {c.key: c for c in DEPARTMENT_COLUMNS}
P = {c.key: c for c in PERSON_COLUMNS}

Planned = tuple[Row, dict[str, Any]]


@dataclass
class Plan:
    units: list[Planned] = field(default_factory=list)  # parents first
    departments: list[Planned] = field(default_factory=list)
    people: list[Planned] = field(default_factory=list)


def _outside_scope_person() -> str:
    return _("Employee number “%(no)s” belongs to a person outside your data scope.")


# --- cell checks ------------------------------------------------------------------------------
def _choice(
    value: str, mapping: dict, column: Column, row: Row, errors: list[RowError]
) -> str | None:
    if not value:
        return None
    lookup = {label: code for code, label in mapping.items()}
    lookup.update({str(code): code for code in mapping})
    lookup.update({str(code.label): code for code in mapping if hasattr(code, "label")})
    if value in lookup:
        return str(lookup[value])
    errors.append(
        row.error(
            column,
            _("“%(value)s” is not an allowed value; use one of: %(allowed)s.")
            % {"value": value, "allowed": "、".join(mapping.values())},
        )
    )
    return None


def _bool(value: str, column: Column, row: Row, errors: list[RowError]) -> bool | None:
    if not value:
        return None
    if value.upper() in YES:
        return True
    if value.upper() in NO:
        return False
    errors.append(row.error(column, _("Write 是 or 否.")))
    return None


def _int(value: str, column: Column, row: Row, errors: list[RowError]) -> int | None:
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        errors.append(row.error(column, _("Enter a whole number.")))
        return None


def _basic_checks(row: Row, columns: Iterable[Column], errors: list[RowError]) -> bool:
    ok = True
    for col in columns:
        value = row.values.get(col.key, "")
        if col.required and not value:
            errors.append(row.error(col, _("This cell is required.")))
            ok = False
        elif col.max_length and len(value) > col.max_length:
            errors.append(row.error(col, _("At most %(n)d characters.") % {"n": col.max_length}))
            ok = False
    return ok


def _copy(data: dict[str, Any], values: dict[str, str], keys: Iterable[str]) -> None:
    """Copy the non-blank texts of ``keys`` (blank cells leave existing values unchanged)."""
    for key in keys:
        if values.get(key):
            data[key] = values[key]


# --- the checks of one file ---------------------------------------------------------------------
class _Validation:
    def __init__(self, existing: Existing) -> None:
        self.existing = existing
        self.errors: list[RowError] = []
        self.units: dict[str, Planned] = {}
        self.departments: dict[tuple[str, str], Planned] = {}
        self.people: dict[str, Planned] = {}
        self.known_units: set[str] = set()

    # units
    def unit(self, row: Row) -> None:
        v, errors = row.values, self.errors
        if not _basic_checks(row, UNIT_COLUMNS, errors):
            return
        code = v["code"]
        if code in self.units:
            msg = _("Duplicate code “%(code)s” (first on row %(row)d).")
            errors.append(
                row.error(U["code"], msg % {"code": code, "row": self.units[code][0].number})
            )
            return
        if code in self.existing.all_unit_codes and code not in self.existing.units:
            msg = _("Code “%(code)s” belongs to a unit outside your data scope.")
            errors.append(row.error(U["code"], msg % {"code": code}))
            return
        data: dict[str, Any] = {"code": code, "name": v["name"]}
        _copy(data, v, ("short_name", "phone", "address"))
        data["kind"] = _choice(v.get("kind", ""), UNIT_KIND_LABELS, U["kind"], row, errors)
        level = _choice(v.get("level", ""), UNIT_LEVEL_LABELS, U["level"], row, errors)
        if level:
            data["level"] = level
        elif v.get("level", "") == "" and code not in self.existing.units and data["kind"]:
            data["level"] = str(KIND_DEFAULT_LEVEL.get(data["kind"], Unit.Level.COUNTY))
        window = _bool(v.get("is_window", ""), U["is_window"], row, errors)
        if window is not None:
            data["is_window"] = window
        order = _int(v.get("sort_order", ""), U["sort_order"], row, errors)
        if order is not None:
            data["sort_order"] = order
        if v.get("parent"):
            data["parent_code"] = v["parent"]
        if v.get("principal"):
            data["principal_no"] = v["principal"]
        self.units[code] = (row, data)

    def unit_tree(self) -> list[Planned]:
        """Parents must exist and no unit may end up under itself; returns the units in the
        order to write them: parents before children."""
        parent_of = dict(self.existing.unit_parent)
        for code, (row, data) in self.units.items():
            parent = data.get("parent_code")
            if parent is None:
                parent_of.pop(code, None)
                continue
            if parent not in self.known_units:
                msg = _("Unknown unit code “%(code)s”.") % {"code": parent}
                self.errors.append(row.error(U["parent"], msg))
                data["bad_parent"] = True
            parent_of[code] = parent
        depth: dict[str, int] = {}
        for code, (row, _data) in self.units.items():
            seen = [code]
            current = parent_of.get(code)
            while current is not None and current not in seen:
                seen.append(current)
                current = parent_of.get(current)
            if current is not None:
                msg = _("A unit cannot be placed under itself (%(chain)s).")
                chain = " → ".join([*seen, current])
                self.errors.append(row.error(U["parent"], msg % {"chain": chain}))
            depth[code] = len(seen)
        return sorted(self.units.values(), key=lambda item: depth[item[1]["code"]])

    # departments
    def department(self, row: Row) -> None:
        v, errors = row.values, self.errors
        if not _basic_checks(row, DEPARTMENT_COLUMNS, errors):
            return
        key = (v["unit"], v["name"])
        if v["unit"] not in self.known_units:
            msg = _("Unknown unit code “%(code)s”.") % {"code": v["unit"]}
            errors.append(row.error(D["unit"], msg))
            return
        if key in self.departments:
            msg = _("Duplicate department “%(name)s” in unit %(code)s (first on row %(row)d).")
            first = self.departments[key][0].number
            errors.append(
                row.error(D["name"], msg % {"name": v["name"], "code": v["unit"], "row": first})
            )
            return
        data: dict[str, Any] = {"unit_code": v["unit"], "name": v["name"]}
        kind = _choice(v.get("kind", ""), DEPARTMENT_KIND_LABELS, D["kind"], row, errors)
        if kind:
            data["kind"] = kind
        _copy(data, v, ("phone",))
        order = _int(v.get("sort_order", ""), D["sort_order"], row, errors)
        if order is not None:
            data["sort_order"] = order
        for key_ in ("head", "leader_in_charge"):
            if v.get(key_):
                data[f"{key_}_no"] = v[key_]
        self.departments[key] = (row, data)

    # people
    def _person_key_error(self, row: Row, no: str) -> str | None:
        """Why this row's employee number or unit cannot be imported (None when it can)."""
        matches = self.existing.people.get(no, [])
        if no in self.people:
            msg = _("Duplicate employee number “%(no)s” (first on row %(row)d).")
            return msg % {"no": no, "row": self.people[no][0].number}
        if no in self.existing.all_employee_nos and not matches:
            return _outside_scope_person() % {"no": no}
        if len(matches) > 1:
            msg = _("Employee number “%(no)s” is shared by several people in the system.")
            return msg % {"no": no}
        return None

    def person(self, row: Row, known_depts: set[tuple[str, str]]) -> None:
        v, errors = row.values, self.errors
        if not _basic_checks(row, PERSON_COLUMNS, errors):
            return
        no = v["employee_no"]
        problem = self._person_key_error(row, no)
        if problem:
            errors.append(row.error(P["employee_no"], problem))
            return
        if v["unit"] not in self.known_units:
            msg = _("Unknown unit code “%(code)s”.") % {"code": v["unit"]}
            errors.append(row.error(P["unit"], msg))
            return
        data: dict[str, Any] = {"employee_no": no, "name": v["name"], "unit_code": v["unit"]}
        _copy(data, v, ("position", "title", "phone"))
        gender = _choice(v.get("gender", ""), GENDER_LABELS, P["gender"], row, errors)
        if gender:
            data["gender"] = gender
        political = _choice(
            v.get("political_status", ""), POLITICAL_LABELS, P["political_status"], row, errors
        )
        if political:
            data["political_status"] = political
        matches = self.existing.people.get(no, [])
        if v.get("departments"):
            data["department_names"] = self._department_names(row, known_depts)
        elif matches and matches[0][1] != v["unit"]:
            data["department_names"] = []  # moved to another unit: old departments no longer fit
        self.people[no] = (row, data)

    def _department_names(self, row: Row, known_depts: set[tuple[str, str]]) -> list[str]:
        unit = row.values["unit"]
        names = [n.strip() for n in LIST_SEPARATORS.split(row.values["departments"]) if n.strip()]
        for name in names:
            if (unit, name) not in known_depts:
                msg = _("Department “%(name)s” is not in unit %(code)s.")
                self.errors.append(row.error(P["departments"], msg % {"name": name, "code": unit}))
        return list(dict.fromkeys(names))

    # leadership: by employee number, a person of the same unit (after this import)
    def _unit_of_person(self, no: str) -> str | None:
        if no in self.people:
            return self.people[no][1]["unit_code"]
        matches = self.existing.people.get(no, [])
        return matches[0][1] if len(matches) == 1 else None

    def leader(self, row: Row, column: Column, no: str, unit_code: str) -> None:
        ex = self.existing
        if no in ex.all_employee_nos and no not in self.people and not ex.people.get(no):
            msg = _outside_scope_person()
        elif self._unit_of_person(no) is None:
            msg = _("No person with employee number “%(no)s”.")
        elif self._unit_of_person(no) != unit_code:
            msg = _("Person “%(no)s” is not in unit %(code)s.")
        else:
            return
        self.errors.append(row.error(column, msg % {"no": no, "code": unit_code}))


def validate(sheets: dict[str, list[Row]], existing: Existing) -> tuple[Plan, list[RowError]]:
    """Check every row against the file and the database snapshot; build the write plan."""
    check = _Validation(existing)
    plan = Plan()
    for row in sheets.get(SHEET_UNITS, []):
        check.unit(row)
    check.known_units = set(existing.units) | set(check.units)
    plan.units = check.unit_tree()
    for row in sheets.get(SHEET_DEPARTMENTS, []):
        check.department(row)
    plan.departments = list(check.departments.values())
    known_depts = set(existing.departments) | set(check.departments)
    for row in sheets.get(SHEET_PEOPLE, []):
        check.person(row, known_depts)
    plan.people = list(check.people.values())
    for row, data in plan.units:
        if "principal_no" in data:
            check.leader(row, U["principal"], data["principal_no"], data["code"])
    for row, data in plan.departments:
        for key_ in ("head", "leader_in_charge"):
            if f"{key_}_no" in data:
                check.leader(row, D[key_], data[f"{key_}_no"], data["unit_code"])
    # New units need a type (existing ones keep theirs when the cell is blank).
    for _row, data in plan.units:
        if data["kind"] is None:
            data.pop("kind")
    errors = check.errors
    errors.sort(key=lambda e: (SHEETS.index(e.sheet) if e.sheet in SHEETS else -1, e.row or 0))
    return plan, errors
