"""Excel exchange: the submission matrix (export) and the target decomposition table (目标分解表,
export and import in the table's own layout — the column headings are the form's, as in the
seed 003 table, so they are data and stay Chinese in every UI language).

Import rules (ARCHITECTURE rule 5): the whole file is validated before anything is written; each
problem is reported with its row and column; the write is one transaction. Rows are matched to
existing targets by 序号; a file exported and imported again changes nothing.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.core.errors import ValidationFailed
from xiaoneng.core.spreadsheet import (
    ImportResult,
    Sheet,
    XlsxError,
    problem_text,
    read_xlsx,
    write_workbook,
)

from . import selectors, services
from .models import Campaign

METHOD_LABELS = {
    "material": "材料审核",
    "survey": "问卷调查",
    "site": "实地考察",
    "records": "查阅记录",
}
METHOD_ALIASES = {
    **{label: code for code, label in METHOD_LABELS.items()},
    "审核材料": "material",
    "实地考核": "site",
    "查阅资料": "records",
}

# (heading, target attribute or None for export-only columns)
TARGET_COLUMNS = [
    ("序号", "number"),
    ("项目", "item"),
    ("项目内容", "content"),
    ("测评标准", "standard"),
    ("测评方法", "methods"),
    ("分管领导", "leader_name"),
    ("责任单位", "responsible_unit"),
    ("责任股室", "responsible_office"),
    ("责任人", "responsible_person"),
    ("最新周期", None),
    ("最新测量值", None),
    ("是否达标", None),
]
REQUIRED = ("序号", "项目内容", "测评标准")


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f")


# --- submission matrix ----------------------------------------------------------------------------
def matrix_workbook(campaign: Campaign, user) -> bytes:
    matrix = selectors.submission_matrix(campaign, user)
    header = [_("Unit")] + [f"{r.name}（{r.due_on:%Y-%m-%d}）" for r in matrix.requirements]
    rows = []
    for unit, cells in matrix.rows:
        row = [unit.name]
        for cell in cells:
            if cell.submission is None:
                row.append("—")
            elif cell.total > 1:
                row.append(f"{cell.label}（{cell.done}/{cell.total}）")
            else:
                row.append(cell.label)
        rows.append(row)
    subs = (
        selectors.submissions_for(user)
        .filter(requirement__campaign=campaign)
        .order_by("unit__sort_order", "unit__code", "due_on", "requirement__sort_order")
    )
    detail = (
        [
            sub.unit.name,
            sub.requirement.name,
            sub.due_on,
            selectors.display_status(sub)[1],
            sub.submitted_at.strftime("%Y-%m-%d %H:%M") if sub.submitted_at else "",
            sub.return_reason,
        ]
        for sub in subs
    )
    sheets = [
        Sheet(
            _("Submissions"),
            header,
            rows,
            title=campaign.name,
            widths=[24] + [20] * (len(header) - 1),
        ),
        Sheet(
            _("Detail"),
            [
                _("Unit"),
                _("Deliverable"),
                _("Due date"),
                _("Status"),
                _("Submitted at"),
                _("Reason for return"),
            ],
            detail,
            widths=(24, 24, 12, 10, 17, 30),
        ),
    ]
    return write_workbook(sheets)[0]


# --- target table --------------------------------------------------------------------------------------
def targets_workbook(campaign: Campaign) -> bytes:
    rows = []
    for row in selectors.target_rows(campaign):
        t, latest = row.target, row.latest
        rows.append(
            [
                t.number,
                t.item,
                t.content,
                t.standard,
                "、".join(METHOD_LABELS[m] for m in t.methods if m in METHOD_LABELS),
                t.leader_name,
                t.responsible_unit.name if t.responsible_unit_id else "",
                t.responsible_office,
                t.responsible_person,
                latest.period if latest else "",
                _plain(latest.value) if latest else "",
                ("" if latest is None or latest.met is None else ("是" if latest.met else "否")),
            ]
        )
    sheet = Sheet(
        "目标分解表",
        [h for h, _a in TARGET_COLUMNS],
        rows,
        title=f"{campaign.name} 目标分解表",
        widths=(8, 24, 40, 14, 18, 10, 20, 14, 12, 10, 12, 10),
    )
    return write_workbook([sheet])[0]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read(data: bytes) -> list[tuple[int, tuple]]:
    try:
        rows = read_xlsx(data)
        return [(i, tuple(r)) for i, r in enumerate(rows, start=1)]
    except XlsxError as exc:
        msg = problem_text(exc, _("This is not an Excel (.xlsx) file."))
        raise ValidationFailed(msg, errors={"file": [msg]}) from exc


def _header(rows: list[tuple[int, tuple]], result: ImportResult) -> tuple[int, dict[str, int]]:
    """The heading row's number and each heading's position (errors when columns are missing)."""
    header_at = next((i for i, r in rows if r and _text(r[0]) == "序号"), None)
    if header_at is None:
        result.error(1, "序号", _("The heading row is missing."))
        return 0, {}
    headings = [_text(v) for v in dict(rows)[header_at]]
    index = {h: i for i, h in enumerate(headings) if h}
    for heading in REQUIRED:
        if heading not in index:
            result.error(header_at, heading, _("This column is missing."))
    return header_at, index


def _methods(text: str, error) -> list[str]:
    methods: list[str] = []
    for label in [p for p in re.split(r"[、,，;；/\s]+", text) if p]:
        code = METHOD_ALIASES.get(label)
        if code is None:
            error(
                "测评方法",
                _(
                    "Unknown evaluation method “%(m)s”; use 材料审核, 问卷调查, 实地考察 or 查阅记录."
                )
                % {"m": label},
            )
        elif code not in methods:
            methods.append(code)
    return methods


def _target_values(
    row: tuple, index: dict[str, int], units: dict, seen: dict[str, int], error
) -> dict[str, Any]:
    """One row's target fields, checked (problems reported through ``error``); ``seen`` holds
    the numbers of the rows before it."""

    def cell(heading: str) -> str:
        i = index.get(heading)
        return _text(row[i]) if i is not None and i < len(row) else ""

    values: dict[str, Any] = {attr: cell(h) for h, attr in TARGET_COLUMNS if attr is not None}
    for heading in REQUIRED:
        if not cell(heading):
            error(heading, _("This field is required."))
    if values["number"] in seen:
        error(
            "序号",
            _("Number %(n)s is repeated (row %(row)d).")
            % {"n": values["number"], "row": seen[values["number"]]},
        )
    values["methods"] = _methods(values["methods"], error)
    unit_name = values["responsible_unit"]
    values["responsible_unit"] = units.get(unit_name) if unit_name else None
    if unit_name and unit_name not in units:
        error("责任单位", _("“%(u)s” is not a unit of this campaign.") % {"u": unit_name})
    for attr, limit in (("number", 20), ("item", 200), ("standard", 200), ("leader_name", 50)):
        if len(values[attr]) > limit:
            heading = next(h for h, a in TARGET_COLUMNS if a == attr)
            error(heading, _("At most %(n)d characters.") % {"n": limit})
    return values


def _write_targets(*, actor, campaign: Campaign, planned: list[dict], result: ImportResult):
    existing = {t.number: t for t in campaign.targets.all()}
    with transaction.atomic():
        for values in planned:
            target = existing.get(values["number"])
            if target is None:
                services.target_create(actor=actor, campaign=campaign, **values)
                result.add("created")
            else:
                values.pop("number")
                if services.target_update(actor=actor, target=target, **values):
                    result.add("updated")
                else:
                    result.add("unchanged")


def targets_import(*, actor, campaign: Campaign, data: bytes) -> ImportResult:
    """Validate the whole sheet, then create or update the targets in one transaction."""
    services._manage(actor)
    result = ImportResult()
    rows = _read(data)
    header_at, index = _header(rows, result)
    if result.errors:
        return result
    units = {u.name: u for u in campaign.units.all()}
    seen: dict[str, int] = {}
    planned: list[dict[str, Any]] = []
    for number, row in rows:
        if number <= header_at or not any(_text(v) for v in row):
            continue

        def error(column: str, message: str, number=number) -> None:
            result.error(number, column, message)

        values = _target_values(row, index, units, seen, error)
        if values["number"]:
            seen[values["number"]] = number
        planned.append(values)
    if not result.errors:
        _write_targets(actor=actor, campaign=campaign, planned=planned, result=result)
    return result
