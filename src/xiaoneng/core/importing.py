"""Excel import of the organisation: units (单位), departments (科室) and people (人员).

One .xlsx with three sheets; row 1 holds Chinese headers (matched by name, any order;
``*`` marks a required column and is ignored when matching). The whole file is checked
first; any bad row rejects the file with errors naming sheet, row and column, and nothing
is written. A good file is imported atomically through the org services (so every change
is audited), creating or updating by key: unit code; (unit code, department name);
employee number. Blank cells leave an existing record's value unchanged.

Pure functions (``read_workbook``, ``validate``, ``build_template``, ``*_row``) do not
touch the database; ``load_existing`` reads it once; ``import_org`` is the service.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from .errors import ValidationFailed
from .models import Department, Person, Unit
from .scope import scoped
from .services import org as org_services
from .services.base import require_permission
from .spreadsheet import (
    COUNT_KEYS,
    ImportResult,
    RowError,
    Sheet,
    XlsxError,
    open_workbook,
    problem_text,
    write_workbook,
)

SHEET_UNITS, SHEET_DEPARTMENTS, SHEET_PEOPLE = "单位", "科室", "人员"
SHEETS = (SHEET_UNITS, SHEET_DEPARTMENTS, SHEET_PEOPLE)

# Chinese data labels for the enumerations (the cells people type).
UNIT_KIND_LABELS = {
    Unit.Kind.BUREAU: "卫生健康局",
    Unit.Kind.HOSPITAL: "综合医院",
    Unit.Kind.TCM_HOSPITAL: "中医医院",
    Unit.Kind.MCH_HOSPITAL: "妇幼保健院",
    Unit.Kind.CDC: "疾病预防控制中心",
    Unit.Kind.SUPERVISION: "卫生监督所",
    Unit.Kind.EMERGENCY: "急救中心",
    Unit.Kind.TOWNSHIP: "乡镇卫生院",
    Unit.Kind.COMMUNITY: "社区卫生服务中心",
    Unit.Kind.VILLAGE: "村卫生室",
    Unit.Kind.OTHER: "其他",
}
UNIT_LEVEL_LABELS = {
    Unit.Level.PROVINCE: "省级",
    Unit.Level.CITY: "市级",
    Unit.Level.COUNTY: "县级",
    Unit.Level.TOWNSHIP: "乡级",
    Unit.Level.VILLAGE: "村级",
}
DEPARTMENT_KIND_LABELS = {
    Department.Kind.CLINICAL: "临床",
    Department.Kind.MEDTECH: "医技",
    Department.Kind.ADMIN: "行政",
    Department.Kind.WINDOW: "窗口",
}
GENDER_LABELS = {Person.Gender.MALE: "男", Person.Gender.FEMALE: "女"}
POLITICAL_LABELS = {
    Person.Political.CPC: "中共党员",
    Person.Political.PROBATIONARY: "中共预备党员",
    Person.Political.LEAGUE: "共青团员",
    Person.Political.OTHER_PARTY: "民主党派",
    Person.Political.MASSES: "群众",
}
YES = ("是", "Y", "YES", "TRUE", "1", "√")
NO = ("否", "N", "NO", "FALSE", "0", "×")
LIST_SEPARATORS = re.compile(r"[、,，;；/\n]+")

# Default level for a new unit when the 级别 cell is blank.
KIND_DEFAULT_LEVEL = {
    Unit.Kind.TOWNSHIP: Unit.Level.TOWNSHIP,
    Unit.Kind.COMMUNITY: Unit.Level.TOWNSHIP,
    Unit.Kind.VILLAGE: Unit.Level.VILLAGE,
}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    note: str = ""  # shown in the template's 说明 sheet and on the import page
    max_length: int | None = None


def _len(model, name: str) -> int | None:
    return model._meta.get_field(name).max_length


def _labels(mapping: dict) -> str:
    return "、".join(mapping.values())


UNIT_COLUMNS = (
    Column(
        "code", "单位编码", True, ("编码", "单位代码"), "唯一；按编码新增或更新", _len(Unit, "code")
    ),
    Column("name", "单位名称", True, ("名称",), "", _len(Unit, "name")),
    Column("short_name", "简称", False, ("单位简称",), "", _len(Unit, "short_name")),
    Column(
        "parent",
        "上级单位编码",
        False,
        ("上级单位", "上级编码"),
        "空白为顶级单位；可引用本文件或系统中已有的单位",
    ),
    Column("kind", "单位类型", True, ("类型",), _labels(UNIT_KIND_LABELS)),
    Column("level", "级别", False, ("单位级别",), _labels(UNIT_LEVEL_LABELS)),
    Column("phone", "联系电话", False, ("电话",), "", _len(Unit, "phone")),
    Column("address", "地址", False, ("单位地址",), "", _len(Unit, "address")),
    Column("is_window", "窗口单位", False, ("是否窗口单位",), "是 / 否"),
    Column("sort_order", "排序", False, ("排序号",), "整数"),
    Column("principal", "主要领导工号", False, ("主要领导",), "须为本单位人员"),
)
DEPARTMENT_COLUMNS = (
    Column("unit", "单位编码", True, ("所属单位编码", "编码"), "本文件或系统中已有的单位"),
    Column(
        "name",
        "科室名称",
        True,
        ("名称", "股室名称", "部门名称"),
        "同一单位内唯一",
        _len(Department, "name"),
    ),
    Column("kind", "科室类型", False, ("类型",), _labels(DEPARTMENT_KIND_LABELS)),
    Column("phone", "联系电话", False, ("电话",), "", _len(Department, "phone")),
    Column("sort_order", "排序", False, ("排序号",), "整数"),
    Column("head", "部门负责人工号", False, ("部门负责人", "负责人工号"), "须为本单位人员"),
    Column("leader_in_charge", "分管领导工号", False, ("分管领导",), "须为本单位人员"),
)
PERSON_COLUMNS = (
    Column(
        "employee_no",
        "工号",
        True,
        ("人员编号", "职工编号"),
        "唯一；按工号新增或更新",
        _len(Person, "employee_no"),
    ),
    Column("name", "姓名", True, (), "", _len(Person, "name")),
    Column("unit", "单位编码", True, ("所属单位编码", "编码"), "本文件或系统中已有的单位"),
    Column("departments", "所属科室", False, ("科室",), "科室名称，多个用顿号分隔；须属于本人单位"),
    Column("gender", "性别", False, (), _labels(GENDER_LABELS)),
    Column("position", "职务", False, (), "", _len(Person, "position")),
    Column("title", "职称", False, ("专业技术职称",), "", _len(Person, "title")),
    Column("political_status", "政治面貌", False, (), _labels(POLITICAL_LABELS)),
    Column("phone", "联系电话", False, ("电话", "手机"), "", _len(Person, "phone")),
)
COLUMNS = {
    SHEET_UNITS: UNIT_COLUMNS,
    SHEET_DEPARTMENTS: DEPARTMENT_COLUMNS,
    SHEET_PEOPLE: PERSON_COLUMNS,
}


# --- results (the shared types of core.spreadsheet) ----------------------------------------
def _row_error(sheet: str, row: int | None, column: str, message: str) -> RowError:
    return RowError(row, column, message, sheet)


# --- reading (pure) -----------------------------------------------------------------------
@dataclass
class Row:
    sheet: str
    number: int
    values: dict[str, str]  # column key → stripped text ("" when blank)


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
        _row_error(sheet, 1, col.header, _("Required column is missing."))
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


# --- what is in the database (one read) ---------------------------------------------------------
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


# --- validation (pure) ------------------------------------------------------------------------
@dataclass
class Plan:
    units: list[tuple[Row, dict[str, Any]]] = field(default_factory=list)  # parents first
    departments: list[tuple[Row, dict[str, Any]]] = field(default_factory=list)
    people: list[tuple[Row, dict[str, Any]]] = field(default_factory=list)


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
        _row_error(
            row.sheet,
            row.number,
            column.header,
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
    errors.append(_row_error(row.sheet, row.number, column.header, _("Write 是 or 否.")))
    return None


def _int(value: str, column: Column, row: Row, errors: list[RowError]) -> int | None:
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        errors.append(_row_error(row.sheet, row.number, column.header, _("Enter a whole number.")))
        return None


def _basic_checks(row: Row, columns: Iterable[Column], errors: list[RowError]) -> bool:
    ok = True
    for col in columns:
        value = row.values.get(col.key, "")
        if col.required and not value:
            errors.append(
                _row_error(row.sheet, row.number, col.header, _("This cell is required."))
            )
            ok = False
        elif col.max_length and len(value) > col.max_length:
            errors.append(
                _row_error(
                    row.sheet,
                    row.number,
                    col.header,
                    _("At most %(n)d characters.") % {"n": col.max_length},
                )
            )
            ok = False
    return ok


def _col(columns: tuple[Column, ...], key: str) -> Column:
    return next(c for c in columns if c.key == key)


def validate(sheets: dict[str, list[Row]], existing: Existing) -> tuple[Plan, list[RowError]]:
    """Check every row against the file and the database snapshot; build the write plan."""
    errors: list[RowError] = []
    plan = Plan()
    U = {c.key: c for c in UNIT_COLUMNS}
    D = {c.key: c for c in DEPARTMENT_COLUMNS}
    P = {c.key: c for c in PERSON_COLUMNS}

    # Units --------------------------------------------------------------------------------
    file_units: dict[str, tuple[Row, dict]] = {}
    for row in sheets.get(SHEET_UNITS, []):
        v = row.values
        if not _basic_checks(row, UNIT_COLUMNS, errors):
            continue
        code = v["code"]
        if code in file_units:
            errors.append(
                _row_error(
                    row.sheet,
                    row.number,
                    U["code"].header,
                    _("Duplicate code “%(code)s” (first on row %(row)d).")
                    % {"code": code, "row": file_units[code][0].number},
                )
            )
            continue
        if code in existing.all_unit_codes and code not in existing.units:
            errors.append(
                _row_error(
                    row.sheet,
                    row.number,
                    U["code"].header,
                    _("Code “%(code)s” belongs to a unit outside your data scope.")
                    % {"code": code},
                )
            )
            continue
        data: dict[str, Any] = {"code": code, "name": v["name"]}
        for key in ("short_name", "phone", "address"):
            if v.get(key):
                data[key] = v[key]
        data["kind"] = _choice(v.get("kind", ""), UNIT_KIND_LABELS, U["kind"], row, errors)
        level = _choice(v.get("level", ""), UNIT_LEVEL_LABELS, U["level"], row, errors)
        if level:
            data["level"] = level
        elif v.get("level", "") == "" and code not in existing.units and data["kind"]:
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
        file_units[code] = (row, data)

    known_units = set(existing.units) | set(file_units)
    parent_of = dict(existing.unit_parent)
    for code, (row, data) in file_units.items():
        parent = data.get("parent_code")
        if parent is None:
            parent_of.pop(code, None)
            continue
        if parent not in known_units:
            errors.append(
                _row_error(
                    row.sheet,
                    row.number,
                    U["parent"].header,
                    _("Unknown unit code “%(code)s”.") % {"code": parent},
                )
            )
            data["bad_parent"] = True
        parent_of[code] = parent
    # Cycles (a unit under itself), and the order to write: parents before children.
    depth: dict[str, int] = {}
    for code, (row, _data) in file_units.items():
        seen = [code]
        current = parent_of.get(code)
        while current is not None and current not in seen:
            seen.append(current)
            current = parent_of.get(current)
        if current is not None:
            errors.append(
                _row_error(
                    row.sheet,
                    row.number,
                    U["parent"].header,
                    _("A unit cannot be placed under itself (%(chain)s).")
                    % {"chain": " → ".join([*seen, current])},
                )
            )
        depth[code] = len(seen)
    plan.units = sorted(file_units.values(), key=lambda item: depth[item[1]["code"]])

    # Departments ----------------------------------------------------------------------------
    file_depts: dict[tuple[str, str], tuple[Row, dict]] = {}
    for row in sheets.get(SHEET_DEPARTMENTS, []):
        v = row.values
        if not _basic_checks(row, DEPARTMENT_COLUMNS, errors):
            continue
        key = (v["unit"], v["name"])
        if v["unit"] not in known_units:
            errors.append(
                _row_error(
                    row.sheet,
                    row.number,
                    D["unit"].header,
                    _("Unknown unit code “%(code)s”.") % {"code": v["unit"]},
                )
            )
            continue
        if key in file_depts:
            errors.append(
                _row_error(
                    row.sheet,
                    row.number,
                    D["name"].header,
                    _("Duplicate department “%(name)s” in unit %(code)s (first on row %(row)d).")
                    % {"name": v["name"], "code": v["unit"], "row": file_depts[key][0].number},
                )
            )
            continue
        data = {"unit_code": v["unit"], "name": v["name"]}
        kind = _choice(v.get("kind", ""), DEPARTMENT_KIND_LABELS, D["kind"], row, errors)
        if kind:
            data["kind"] = kind
        if v.get("phone"):
            data["phone"] = v["phone"]
        order = _int(v.get("sort_order", ""), D["sort_order"], row, errors)
        if order is not None:
            data["sort_order"] = order
        for key_ in ("head", "leader_in_charge"):
            if v.get(key_):
                data[f"{key_}_no"] = v[key_]
        file_depts[key] = (row, data)
    plan.departments = list(file_depts.values())
    known_depts = set(existing.departments) | set(file_depts)

    # People ----------------------------------------------------------------------------------
    file_people: dict[str, tuple[Row, dict]] = {}
    for row in sheets.get(SHEET_PEOPLE, []):
        v = row.values
        if not _basic_checks(row, PERSON_COLUMNS, errors):
            continue
        no = v["employee_no"]
        if no in file_people:
            errors.append(
                _row_error(
                    row.sheet,
                    row.number,
                    P["employee_no"].header,
                    _("Duplicate employee number “%(no)s” (first on row %(row)d).")
                    % {"no": no, "row": file_people[no][0].number},
                )
            )
            continue
        matches = existing.people.get(no, [])
        if no in existing.all_employee_nos and not matches:
            errors.append(
                _row_error(
                    row.sheet,
                    row.number,
                    P["employee_no"].header,
                    _("Employee number “%(no)s” belongs to a person outside your data scope.")
                    % {"no": no},
                )
            )
            continue
        if len(matches) > 1:
            errors.append(
                _row_error(
                    row.sheet,
                    row.number,
                    P["employee_no"].header,
                    _("Employee number “%(no)s” is shared by several people in the system.")
                    % {"no": no},
                )
            )
            continue
        if v["unit"] not in known_units:
            errors.append(
                _row_error(
                    row.sheet,
                    row.number,
                    P["unit"].header,
                    _("Unknown unit code “%(code)s”.") % {"code": v["unit"]},
                )
            )
            continue
        data = {"employee_no": no, "name": v["name"], "unit_code": v["unit"]}
        for key_ in ("position", "title", "phone"):
            if v.get(key_):
                data[key_] = v[key_]
        gender = _choice(v.get("gender", ""), GENDER_LABELS, P["gender"], row, errors)
        if gender:
            data["gender"] = gender
        political = _choice(
            v.get("political_status", ""), POLITICAL_LABELS, P["political_status"], row, errors
        )
        if political:
            data["political_status"] = political
        if v.get("departments"):
            names = [n.strip() for n in LIST_SEPARATORS.split(v["departments"]) if n.strip()]
            for name in names:
                if (v["unit"], name) not in known_depts:
                    errors.append(
                        _row_error(
                            row.sheet,
                            row.number,
                            P["departments"].header,
                            _("Department “%(name)s” is not in unit %(code)s.")
                            % {"name": name, "code": v["unit"]},
                        )
                    )
            data["department_names"] = list(dict.fromkeys(names))
        elif matches and matches[0][1] != v["unit"]:
            data["department_names"] = []  # moved to another unit: old departments no longer fit
        file_people[no] = (row, data)
    plan.people = list(file_people.values())

    # Leadership: by employee number, a person of the same unit (after this import). -----------
    def unit_of_person(no: str) -> str | None:
        if no in file_people:
            return file_people[no][1]["unit_code"]
        matches = existing.people.get(no, [])
        return matches[0][1] if len(matches) == 1 else None

    def check_leader(row: Row, column: Column, no: str, unit_code: str) -> None:
        if (
            no in existing.all_employee_nos
            and no not in file_people
            and not existing.people.get(no)
        ):
            msg = _("Employee number “%(no)s” belongs to a person outside your data scope.")
        elif unit_of_person(no) is None:
            msg = _("No person with employee number “%(no)s”.")
        elif unit_of_person(no) != unit_code:
            msg = _("Person “%(no)s” is not in unit %(code)s.")
        else:
            return
        errors.append(
            _row_error(row.sheet, row.number, column.header, msg % {"no": no, "code": unit_code})
        )

    for row, data in plan.units:
        if "principal_no" in data:
            check_leader(row, U["principal"], data["principal_no"], data["code"])
    for row, data in plan.departments:
        for key_ in ("head", "leader_in_charge"):
            if f"{key_}_no" in data:
                check_leader(row, D[key_], data[f"{key_}_no"], data["unit_code"])

    # New units need a type (existing ones keep theirs when the cell is blank).
    for _row, data in plan.units:
        if data["kind"] is None:
            data.pop("kind")
    errors.sort(key=lambda e: (SHEETS.index(e.sheet) if e.sheet in SHEETS else -1, e.row or 0))
    return plan, errors


# --- the service ----------------------------------------------------------------------------
def _changes(obj, data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if getattr(obj, k) != v}


@transaction.atomic
def import_org(*, actor, data: bytes | io.IOBase, check: bool = True) -> ImportResult:
    """Import a whole organisation workbook or nothing (ARCHITECTURE rule 5: validated whole)."""
    if check:
        require_permission(actor, "org.import")
    sheets, errors = read_workbook(data)
    if errors:
        return ImportResult(errors=errors)
    existing = load_existing(actor if check else None)
    plan, errors = validate(sheets, existing)
    if errors:
        return ImportResult(errors=errors)
    outcome: dict[str, dict[Any, str]] = {s: {} for s in SHEETS}  # key → created/updated/unchanged
    current_row: Row | None = None

    def tally(sheet: str, key: Any, created: bool, changed: bool) -> None:
        before = outcome[sheet].get(key)
        if created or before == "created":
            outcome[sheet][key] = "created"
        elif changed or before == "updated":
            outcome[sheet][key] = "updated"
        else:
            outcome[sheet][key] = "unchanged"

    try:
        units: dict[str, Unit] = {}
        existing_units = {
            u.code: u for u in Unit.objects.filter(code__in=[d["code"] for _r, d in plan.units])
        }
        for row, data in plan.units:
            current_row = row
            fields = {
                k: v
                for k, v in data.items()
                if k not in {"parent_code", "principal_no", "bad_parent"}
            }
            parent_code = data.get("parent_code")
            parent = (
                (units.get(parent_code) or Unit.objects.get(code=parent_code))
                if parent_code
                else None
            )
            unit = existing_units.get(data["code"])
            if unit is None:
                unit = org_services.unit_create(actor=actor, check=False, parent=parent, **fields)
                tally(SHEET_UNITS, data["code"], True, False)
            else:
                changes = _changes(unit, fields)
                if unit.parent_id != (parent.pk if parent else None):
                    changes["parent"] = parent
                if changes:
                    unit = org_services.unit_update(actor=actor, unit=unit, check=False, **changes)
                tally(SHEET_UNITS, data["code"], False, bool(changes))
            units[unit.code] = unit

        def unit_by_code(code: str) -> Unit:
            if code not in units:
                units[code] = Unit.objects.get(code=code)
            return units[code]

        depts: dict[tuple[str, str], Department] = {}
        for row, data in plan.departments:
            current_row = row
            unit = unit_by_code(data["unit_code"])
            fields = {k: v for k, v in data.items() if k in {"name", "kind", "phone", "sort_order"}}
            dept = Department.objects.filter(unit=unit, name=data["name"]).first()
            if dept is None:
                dept = org_services.department_create(actor=actor, check=False, unit=unit, **fields)
                tally(SHEET_DEPARTMENTS, (data["unit_code"], data["name"]), True, False)
            else:
                changes = _changes(dept, fields)
                if changes:
                    dept = org_services.department_update(
                        actor=actor, department=dept, check=False, **changes
                    )
                tally(SHEET_DEPARTMENTS, (data["unit_code"], data["name"]), False, bool(changes))
            depts[(unit.code, dept.name)] = dept

        def dept_by_key(unit: Unit, name: str) -> Department:
            key = (unit.code, name)
            if key not in depts:
                depts[key] = Department.objects.get(unit=unit, name=name)
            return depts[key]

        people: dict[str, Person] = {}
        for row, data in plan.people:
            current_row = row
            unit = unit_by_code(data["unit_code"])
            fields = {
                k: v for k, v in data.items() if k not in {"unit_code", "department_names"}
            } | {"unit": unit}
            names = data.get("department_names")
            departments = None if names is None else [dept_by_key(unit, n) for n in names]
            person = Person.objects.filter(employee_no=data["employee_no"]).first()
            if person is None:
                person = org_services.person_create(
                    actor=actor, check=False, departments=departments or (), **fields
                )
                tally(SHEET_PEOPLE, data["employee_no"], True, False)
            else:
                changes = _changes(person, fields)
                same_depts = departments is None or {d.pk for d in departments} == set(
                    person.departments.values_list("pk", flat=True)
                )
                if changes or not same_depts:
                    person = org_services.person_update(
                        actor=actor, person=person, check=False, departments=departments, **changes
                    )
                tally(SHEET_PEOPLE, data["employee_no"], False, bool(changes) or not same_depts)
            people[person.employee_no] = person

        def person_by_no(no: str) -> Person:
            if no not in people:
                people[no] = Person.objects.get(employee_no=no)
            return people[no]

        # Leadership last: the people may be new in this file.
        for row, data in plan.units:
            current_row = row
            if "principal_no" in data:
                unit = unit_by_code(data["code"])
                principal = person_by_no(data["principal_no"])
                if unit.principal_id != principal.pk:
                    unit = org_services.unit_update(
                        actor=actor, unit=unit, check=False, principal=principal
                    )
                    units[unit.code] = unit
                    tally(SHEET_UNITS, unit.code, False, True)
        for row, data in plan.departments:
            current_row = row
            changes = {}
            dept = depts[(data["unit_code"], data["name"])]
            for key_ in ("head", "leader_in_charge"):
                if f"{key_}_no" in data:
                    leader = person_by_no(data[f"{key_}_no"])
                    if getattr(dept, f"{key_}_id") != leader.pk:
                        changes[key_] = leader
            if changes:
                org_services.department_update(actor=actor, department=dept, check=False, **changes)
                tally(SHEET_DEPARTMENTS, (data["unit_code"], data["name"]), False, True)
    except ValidationFailed as exc:
        # Something the checks above did not foresee: reject the whole file, naming the row.
        transaction.set_rollback(True)
        row = current_row
        messages = [f"{k}: {m}" for k, ms in (exc.errors or {}).items() for m in ms] or [exc.detail]
        return ImportResult(
            errors=[
                _row_error(row.sheet if row else "", row.number if row else None, "", m)
                for m in messages
            ]
        )
    counts = {
        sheet: {k: sum(1 for v in outcome[sheet].values() if v == k) for k in COUNT_KEYS}
        for sheet in SHEETS
    }
    return ImportResult(counts=counts)


# --- template and export rows (pure) ----------------------------------------------------------
EXAMPLE_ROWS = {
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
        unit.parent.code if unit.parent_id else "",
        UNIT_KIND_LABELS.get(unit.kind, unit.kind),
        UNIT_LEVEL_LABELS.get(unit.level, unit.level),
        unit.phone,
        unit.address,
        "是" if unit.is_window else "否",
        unit.sort_order,
        unit.principal.employee_no if unit.principal_id else "",
    ]


def department_row(dept: Department) -> list[Any]:
    return [
        dept.unit.code,
        dept.name,
        DEPARTMENT_KIND_LABELS.get(dept.kind, dept.kind),
        dept.phone,
        dept.sort_order,
        dept.head.employee_no if dept.head_id else "",
        dept.leader_in_charge.employee_no if dept.leader_in_charge_id else "",
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
