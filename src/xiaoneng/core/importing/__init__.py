"""Excel import of the organisation: units (单位), departments (科室) and people (人员).

One .xlsx with three sheets; row 1 holds Chinese headers (matched by name, any order;
``*`` marks a required column and is ignored when matching). The whole file is checked
first; any bad row rejects the file with errors naming sheet, row and column, and nothing
is written. A good file is imported atomically through the org services (so every change
is audited), creating or updating by key: unit code; (unit code, department name);
employee number. Blank cells leave an existing record's value unchanged.

By sub-domain: ``columns`` (the layout and labels), ``reading`` (``read_workbook``,
``parse_rows``: pure; ``load_existing``: the one database read), ``validate`` (pure checks and
the write plan), ``apply`` (``import_org``, the service), ``workbook`` (the template and the
export rows, pure). Reading and writing go through the spreadsheet layer (core.spreadsheet).
"""

from .apply import import_org
from .columns import (
    COLUMNS,
    DEPARTMENT_COLUMNS,
    DEPARTMENT_KIND_LABELS,
    GENDER_LABELS,
    PERSON_COLUMNS,
    POLITICAL_LABELS,
    SHEET_DEPARTMENTS,
    SHEET_PEOPLE,
    SHEET_UNITS,
    SHEETS,
    UNIT_COLUMNS,
    UNIT_KIND_LABELS,
    UNIT_LEVEL_LABELS,
    Column,
)
from .reading import Existing, Row, load_existing, parse_rows, read_workbook
from .validate import Plan, validate
from .workbook import (
    EXAMPLE_ROWS,
    build_template,
    department_row,
    org_sheets,
    person_row,
    unit_row,
)

__all__ = [
    "COLUMNS",
    "DEPARTMENT_COLUMNS",
    "DEPARTMENT_KIND_LABELS",
    "EXAMPLE_ROWS",
    "GENDER_LABELS",
    "PERSON_COLUMNS",
    "POLITICAL_LABELS",
    "SHEETS",
    "SHEET_DEPARTMENTS",
    "SHEET_PEOPLE",
    "SHEET_UNITS",
    "UNIT_COLUMNS",
    "UNIT_KIND_LABELS",
    "UNIT_LEVEL_LABELS",
    "Column",
    "Existing",
    "Plan",
    "Row",
    "build_template",
    "department_row",
    "import_org",
    "load_existing",
    "org_sheets",
    "parse_rows",
    "person_row",
    "read_workbook",
    "unit_row",
    "validate",
]
