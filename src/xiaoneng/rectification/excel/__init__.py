"""The ledger as Excel, both ways (issue #5).

Export writes the standard ledger layout — 序号, 问题来源, 问题描述, 整改类型, 整改措施, 整改目标,
整改时限, 责任单位, 责任人, 责任领导, 进展情况, 状态, 销号日期 — plus 事项编号 (the item
number) so the same file comes back for bulk progress updates.

Import reads the same layout. The whole file is validated first: any bad row (unknown unit, bad
date, missing field…) rejects the file with a list of row and column errors and nothing is
written. A good file is written in one transaction:
- a row with an item number updates that item's progress when 进展情况 changed (bulk progress);
  an exported ledger therefore re-imports unchanged;
- a row without one creates an issue (rows with the same source, description and unit share one)
  and its item.

Both run as a ``core.models.Job`` in the task queue. For 100,000 rows: a streaming xlsx reader
and writer (core/spreadsheet.py), lookups preloaded into dicts, ``executemany`` inserts in batches, numbers
reserved in one UPDATE (measured by bench/rectification/measure.py).

By sub-domain: ``layout`` (headers, labels), ``export`` (the rows and the workbook), ``checks``
(read and check a file: the plan or the errors), ``write`` (apply a plan), ``jobs`` (the queued
export and import, and the synchronous import).
"""

from .checks import Lookups, Plan, read_rows, validate
from .export import EXPORT_FIELDS, build_workbook_bytes, export_items, export_rows
from .jobs import import_bytes, run_job, start_export, start_import
from .layout import (
    EXPORT_KIND,
    HEADERS,
    IMPORT_KIND,
    REQUIRED_HEADERS,
    SHEET_TITLE,
    SOURCE_CODES,
    SOURCE_LABELS,
    STATUS_CODES,
    STATUS_LABELS,
    TYPE_CODES,
    TYPE_LABELS,
    XLSX,
)
from .write import apply_plan

__all__ = [
    "EXPORT_FIELDS",
    "EXPORT_KIND",
    "HEADERS",
    "IMPORT_KIND",
    "REQUIRED_HEADERS",
    "SHEET_TITLE",
    "SOURCE_CODES",
    "SOURCE_LABELS",
    "STATUS_CODES",
    "STATUS_LABELS",
    "TYPE_CODES",
    "TYPE_LABELS",
    "XLSX",
    "Lookups",
    "Plan",
    "apply_plan",
    "build_workbook_bytes",
    "export_items",
    "export_rows",
    "import_bytes",
    "read_rows",
    "run_job",
    "start_export",
    "start_import",
    "validate",
]
