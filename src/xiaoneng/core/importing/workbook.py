"""Writing organisation workbooks (pure): the import template with its 说明 sheet, and the
export rows of units, departments and people in the import layout."""

from __future__ import annotations

from typing import Any

from ..models import Department, Person, Unit
from ..spreadsheet import Sheet, write_workbook
from .columns import (
    COLUMNS,
    DEPARTMENT_KIND_LABELS,
    GENDER_LABELS,
    POLITICAL_LABELS,
    SHEET_DEPARTMENTS,
    SHEET_PEOPLE,
    SHEET_UNITS,
    SHEETS,
    UNIT_KIND_LABELS,
    UNIT_LEVEL_LABELS,
    Column,
)

EXAMPLE_ROWS: dict[str, list[list[Any]]] = {
    SHEET_UNITS: [
        [
            "X0",
            "某县卫生健康局",
            "县卫健局",
            "",
            "卫生健康局",
            "县级",
            "0000-1234567",
            "",
            "否",
            0,
            "",
        ],
        ["X01", "某县人民医院", "县医院", "X0", "综合医院", "县级", "", "", "是", 1, "1001"],
        ["X0101", "某镇卫生院", "", "X0", "乡镇卫生院", "乡级", "", "", "是", 2, ""],
    ],
    SHEET_DEPARTMENTS: [
        ["X01", "急诊科", "临床", "", 1, "1002", "1003"],
        ["X01", "医务科", "行政", "", 2, "", "1003"],
    ],
    SHEET_PEOPLE: [
        ["1001", "张院长", "X01", "", "男", "院长", "主任医师", "中共党员", ""],
        ["1002", "李主任", "X01", "急诊科", "女", "科主任", "副主任医师", "群众", ""],
        ["1003", "王副院长", "X01", "医务科", "男", "副院长", "主任医师", "中共党员", ""],
    ],
}


def org_sheets(
    rows_by_sheet: dict[str, list[list[Any]]], *, instructions: bool = False
) -> list[Sheet]:
    """The sheets of an organisation workbook (the import layout): required headers are marked
    with ``*`` and highlighted; codes and employee numbers are text cells (leading zeros kept)."""
    sheets = []
    for name in SHEETS:
        if name not in rows_by_sheet:
            continue
        columns = COLUMNS[name]
        sheets.append(
            Sheet(
                name,
                header=[f"{c.header}*" if c.required else c.header for c in columns],
                rows=(
                    [_text_cell(v, c) for v, c in zip(row, columns, strict=False)]
                    for row in rows_by_sheet[name]
                ),
                widths=[max(12, len(c.header) * 2 + 4) for c in columns],
                required=[i for i, c in enumerate(columns) if c.required],
                freeze=True,
            )
        )
    if instructions:
        rows: list[list[Any]] = [
            [sheet, col.header, "是" if col.required else "", col.note]
            for sheet in SHEETS
            for col in COLUMNS[sheet]
        ]
        rows += [
            [],
            ["", "整个文件先校验；任何一行有误则整个文件不导入，并列出工作表、行号和列。"],
            ["", "已有记录按编码 / (单位编码, 科室名称) / 工号更新；空白单元格不修改已有值。"],
        ]
        sheets.append(Sheet("说明", ["工作表", "列", "必填", "说明"], rows, widths=(10, 16, 8, 60)))
    return sheets


TEXT_KEYS = {
    "code",
    "parent",
    "unit",
    "employee_no",
    "principal",
    "head",
    "leader_in_charge",
    "phone",
}


def _text_cell(value: Any, column: Column) -> Any:
    """Codes, employee numbers and phone numbers are text, never numbers."""
    if column.key in TEXT_KEYS and value is not None and not isinstance(value, str):
        return str(value)
    return value


def build_template() -> bytes:
    """The downloadable template: the three sheets with headers, example rows and a 说明 sheet."""
    return write_workbook(org_sheets(EXAMPLE_ROWS, instructions=True))[0]


def unit_row(unit: Unit) -> list[Any]:
    return [
        unit.code,
        unit.name,
        unit.short_name,
        unit.parent.code if unit.parent else "",
        UNIT_KIND_LABELS.get(unit.kind, unit.kind),
        UNIT_LEVEL_LABELS.get(unit.level, unit.level),
        unit.phone,
        unit.address,
        "是" if unit.is_window else "否",
        unit.sort_order,
        unit.principal.employee_no if unit.principal else "",
    ]


def department_row(dept: Department) -> list[Any]:
    return [
        dept.unit.code,
        dept.name,
        DEPARTMENT_KIND_LABELS.get(dept.kind, dept.kind),
        dept.phone,
        dept.sort_order,
        dept.head.employee_no if dept.head else "",
        dept.leader_in_charge.employee_no if dept.leader_in_charge else "",
    ]


def person_row(person: Person) -> list[Any]:
    return [
        person.employee_no,
        person.name,
        person.unit.code,
        "、".join(d.name for d in person.departments.all()),
        GENDER_LABELS.get(person.gender, ""),
        person.position,
        person.title,
        POLITICAL_LABELS.get(person.political_status, ""),
        person.phone,
    ]
