"""The organisation workbook's layout: sheets, columns (Chinese headers, aliases, notes) and
the Chinese labels of the enumerations people type."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import Department, Person, Unit

SHEET_UNITS, SHEET_DEPARTMENTS, SHEET_PEOPLE = "单位", "科室", "人员"
SHEETS = (SHEET_UNITS, SHEET_DEPARTMENTS, SHEET_PEOPLE)

# Chinese data labels for the enumerations (the cells people type).
UNIT_KIND_LABELS: dict[str, str] = {
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
UNIT_LEVEL_LABELS: dict[str, str] = {
    Unit.Level.PROVINCE: "省级",
    Unit.Level.CITY: "市级",
    Unit.Level.COUNTY: "县级",
    Unit.Level.TOWNSHIP: "乡级",
    Unit.Level.VILLAGE: "村级",
}
DEPARTMENT_KIND_LABELS: dict[str, str] = {
    Department.Kind.CLINICAL: "临床",
    Department.Kind.MEDTECH: "医技",
    Department.Kind.ADMIN: "行政",
    Department.Kind.WINDOW: "窗口",
}
GENDER_LABELS: dict[str, str] = {Person.Gender.MALE: "男", Person.Gender.FEMALE: "女"}
POLITICAL_LABELS: dict[str, str] = {
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
KIND_DEFAULT_LEVEL: dict[str, str] = {
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
