"""Excel exchange: the submission matrix (export) and the target decomposition table (目标分解表,
export and import in the table's own layout — the column headings are the form's, as in the
seed 003 table, so they are data and stay Chinese in every UI language).

Import rules (ARCHITECTURE rule 5): the whole file is validated before anything is written; each
problem is reported with its row and column; the write is one transaction. Rows are matched to
existing targets by 序号; a file exported and imported again changes nothing.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from xiaoneng.core.errors import ValidationFailed

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
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _style_header(ws, row: int, width: int) -> None:
    for col in range(1, width + 1):
        cell = ws.cell(row=row, column=col)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f")


# --- submission matrix ----------------------------------------------------------------------------
def matrix_workbook(campaign: Campaign, user) -> bytes:
    matrix = selectors.submission_matrix(campaign, user)
    wb = Workbook()
    ws = wb.active
    ws.title = _("Submissions")[:31]
    ws.append([campaign.name])
    ws["A1"].font = Font(bold=True, size=13)
    header = [_("Unit")] + [f"{r.name}（{r.due_on:%Y-%m-%d}）" for r in matrix.requirements]
    ws.append(header)
    _style_header(ws, 2, len(header))
    for unit, cells in matrix.rows:
        row = [unit.name]
        for cell in cells:
            if cell.submission is None:
                row.append("—")
            elif cell.total > 1:
                row.append(f"{cell.label}（{cell.done}/{cell.total}）")
            else:
                row.append(cell.label)
        ws.append(row)
    ws.column_dimensions["A"].width = 24
    for col in range(2, len(header) + 1):
        ws.column_dimensions[get_column_letter(col)].width = 20
    detail = wb.create_sheet(_("Detail")[:31])
    detail.append(
        [
            _("Unit"),
            _("Deliverable"),
            _("Due date"),
            _("Status"),
            _("Submitted at"),
            _("Reason for return"),
        ]
    )
    _style_header(detail, 1, 6)
    subs = (
        selectors.submissions_for(user)
        .filter(requirement__campaign=campaign)
        .order_by("unit__sort_order", "unit__code", "due_on", "requirement__sort_order")
    )
    for sub in subs:
        detail.append(
            [
                sub.unit.name,
                sub.requirement.name,
                sub.due_on,
                selectors.display_status(sub)[1],
                sub.submitted_at.strftime("%Y-%m-%d %H:%M") if sub.submitted_at else "",
                sub.return_reason,
            ]
        )
    return _bytes(wb)


# --- target table --------------------------------------------------------------------------------------
def targets_workbook(campaign: Campaign) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "目标分解表"
    ws.append([f"{campaign.name} 目标分解表"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([h for h, _a in TARGET_COLUMNS])
    _style_header(ws, 2, len(TARGET_COLUMNS))
    for row in selectors.target_rows(campaign):
        t, latest = row.target, row.latest
        ws.append(
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
    for col, width in enumerate([8, 24, 40, 14, 18, 10, 20, 14, 12, 10, 12, 10], start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    return _bytes(wb)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read(data: bytes) -> list[tuple[int, tuple]]:
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        msg = _("This is not an Excel (.xlsx) file.")
        raise ValidationFailed(msg, errors={"file": [msg]}) from exc
    ws = wb.worksheets[0]
    rows = [(i, tuple(r)) for i, r in enumerate(ws.iter_rows(values_only=True), start=1)]
    wb.close()
    return rows


def targets_import(*, actor, campaign: Campaign, data: bytes) -> ImportResult:
    """Validate the whole sheet, then create or update the targets in one transaction."""
    services._manage(actor)
    result = ImportResult()
    rows = _read(data)
    header_at = next(
        (i for i, r in rows if r and _text(r[0]) == "序号"),
        None,
    )
    if header_at is None:
        result.errors.append(
            {"row": 1, "column": "序号", "message": _("The heading row is missing.")}
        )
        return result
    headings = [_text(v) for v in dict(rows)[header_at]]
    index = {h: i for i, h in enumerate(headings) if h}
    for heading in REQUIRED:
        if heading not in index:
            result.errors.append(
                {"row": header_at, "column": heading, "message": _("This column is missing.")}
            )
    if result.errors:
        return result
    units = {u.name: u for u in campaign.units.all()}
    seen: dict[str, int] = {}
    planned: list[dict[str, Any]] = []

    def cell(row: tuple, heading: str) -> str:
        i = index.get(heading)
        return _text(row[i]) if i is not None and i < len(row) else ""

    for number, row in rows:
        if number <= header_at or not any(_text(v) for v in row):
            continue

        def error(column: str, message: str, number=number) -> None:
            result.errors.append({"row": number, "column": column, "message": message})

        values: dict[str, Any] = {}
        for heading, attr in TARGET_COLUMNS:
            if attr is not None:
                values[attr] = cell(row, heading)
        for heading in REQUIRED:
            if not cell(row, heading):
                error(heading, _("This field is required."))
        if values["number"]:
            if values["number"] in seen:
                error(
                    "序号",
                    _("Number %(n)s is repeated (row %(row)d).")
                    % {"n": values["number"], "row": seen[values["number"]]},
                )
            seen[values["number"]] = number
        methods = []
        for label in [p for p in re.split(r"[、,，;；/\s]+", values["methods"]) if p]:
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
        values["methods"] = methods
        unit_name = values["responsible_unit"]
        values["responsible_unit"] = None
        if unit_name:
            if unit_name not in units:
                error("责任单位", _("“%(u)s” is not a unit of this campaign.") % {"u": unit_name})
            else:
                values["responsible_unit"] = units[unit_name]
        for attr, limit in (("number", 20), ("item", 200), ("standard", 200), ("leader_name", 50)):
            if len(values[attr]) > limit:
                heading = next(h for h, a in TARGET_COLUMNS if a == attr)
                error(heading, _("At most %(n)d characters.") % {"n": limit})
        planned.append(values)
    if result.errors:
        return result
    existing = {t.number: t for t in campaign.targets.all()}
    with transaction.atomic():
        for values in planned:
            target = existing.get(values["number"])
            if target is None:
                services.target_create(actor=actor, campaign=campaign, **values)
                result.created += 1
            else:
                values.pop("number")
                if services.target_update(actor=actor, target=target, **values):
                    result.updated += 1
                else:
                    result.unchanged += 1
    return result
