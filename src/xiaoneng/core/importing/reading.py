"""Reading an organisation workbook (pure: rows of the three sheets by header) and the one
database read the checks need (``load_existing``)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from ..models import Department, Person, Unit
from ..scope import scoped
from ..spreadsheet import RowError, XlsxError, open_workbook, problem_text
from .columns import COLUMNS, SHEETS, Column


@dataclass
class Row:
    sheet: str
    number: int
    values: dict[str, str]  # column key → stripped text ("" when blank)

    def error(self, column: Column | None, message: str) -> RowError:
        """A problem in this row (in ``column``, or the whole row)."""
        return RowError(self.number, column.header if column else "", message, self.sheet)


def _normalise_header(text: Any) -> str:
    return re.sub(r"[\s*＊:：（）()]", "", str(text or ""))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_workbook(data: bytes | io.IOBase) -> tuple[dict[str, list[Row]], list[RowError]]:
    """Rows of the three sheets by sheet name, and file-level errors (bad file, missing headers,
    a file over the size limits)."""
    raw = bytes(data) if isinstance(data, bytes | bytearray) else data.read()
    try:
        wb = open_workbook(raw)
    except XlsxError as exc:
        message = problem_text(exc, _("The file is not a readable .xlsx workbook."))
        return {}, [RowError(None, "", message)]
    sheets: dict[str, list[Row]] = {}
    errors: list[RowError] = []
    names = {name.strip(): name for name in wb.sheet_names}
    if not any(s in names for s in SHEETS):
        errors.append(
            RowError(
                None,
                "",
                _("The workbook has none of the sheets %(sheets)s.")
                % {"sheets": "、".join(SHEETS)},
            )
        )
    try:
        for sheet in SHEETS:
            if sheet not in names:
                continue
            rows = [tuple(r) for r in wb.rows(names[sheet])]
            parsed, sheet_errors = parse_rows(sheet, rows)
            sheets[sheet] = parsed
            errors += sheet_errors
    except XlsxError as exc:
        message = problem_text(exc, _("The file is not a readable .xlsx workbook."))
        return {}, [RowError(None, "", message)]
    finally:
        wb.close()
    return sheets, errors


def parse_rows(sheet: str, rows: list[tuple]) -> tuple[list[Row], list[RowError]]:
    """Match the header row to the sheet's columns and turn each non-blank row into a Row."""
    columns = COLUMNS[sheet]
    if not rows:
        return [], []
    positions: dict[str, int] = {}
    for index, text in enumerate(rows[0]):
        header = _normalise_header(text)
        for col in columns:
            names = {_normalise_header(col.header), *(_normalise_header(a) for a in col.aliases)}
            if header in names and col.key not in positions:
                positions[col.key] = index
                break
    errors = [
        RowError(1, col.header, _("Required column is missing."), sheet)
        for col in columns
        if col.required and col.key not in positions
    ]
    if errors:
        return [], errors
    parsed = []
    for number, raw in enumerate(rows[1:], start=2):
        values = {key: _cell_text(raw[i]) if i < len(raw) else "" for key, i in positions.items()}
        if any(values.values()):
            parsed.append(Row(sheet, number, values))
    return parsed, []


# --- what is in the database (one read) -----------------------------------------------------
@dataclass
class Existing:
    """A snapshot of the organisation as the importer may see it."""

    units: dict[str, int] = field(default_factory=dict)  # code → pk (in scope)
    unit_parent: dict[str, str] = field(default_factory=dict)  # code → parent code (all units)
    all_unit_codes: set[str] = field(default_factory=set)
    departments: dict[tuple[str, str], int] = field(default_factory=dict)  # (unit code, name) → pk
    people: dict[str, list[tuple[int, str]]] = field(
        default_factory=dict
    )  # emp no → [(pk, unit code)]
    all_employee_nos: set[str] = field(default_factory=set)


def load_existing(actor=None) -> Existing:
    """Units, departments and people the actor may see (everything when actor is None)."""

    def visible(model):
        return model.objects.all() if actor is None else scoped(actor, model)

    ex = Existing()
    for code, parent_code in Unit.objects.values_list("code", "parent__code"):
        ex.all_unit_codes.add(code)
        if parent_code:
            ex.unit_parent[code] = parent_code
    ex.units = dict(visible(Unit).values_list("code", "pk"))
    for pk, unit_code, name in visible(Department).values_list("pk", "unit__code", "name"):
        ex.departments[(unit_code, name)] = pk
    ex.all_employee_nos = set(
        Person.objects.exclude(employee_no="").values_list("employee_no", flat=True)
    )
    for pk, no, unit_code in (
        visible(Person).exclude(employee_no="").values_list("pk", "employee_no", "unit__code")
    ):
        ex.people.setdefault(no, []).append((pk, unit_code))
    return ex
