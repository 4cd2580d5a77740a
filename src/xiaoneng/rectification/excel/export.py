"""Ledger export: the standard layout plus 事项编号, streamed unit by unit in tree order."""

from __future__ import annotations

from django.db.models.functions import TruncDate

from xiaoneng.core import spreadsheet as xlsx
from xiaoneng.core.models import Unit, User
from xiaoneng.core.scope import scoped

from .. import selectors
from ..models import RectificationItem
from .layout import HEADERS, SHEET_TITLE, SOURCE_LABELS, STATUS_LABELS, TYPE_LABELS

EXPORT_FIELDS = (
    "number",
    "issue__source",
    "issue__description",
    "type",
    "measures",
    "target",
    "deadline_day",
    "responsible_unit__name",
    "responsible_person__name",
    "responsible_person_name",
    "responsible_leader__name",
    "responsible_leader_name",
    "latest_progress",
    "status",
    "closed_day",
)


UNIT_CHUNK = 50


def _rows_by_unit(qs):
    """The rows in unit-tree order, a chunk of units per query: the database sorts one chunk's
    items, not the whole ledger, before the first row goes out (a province has 1,000,000)."""
    # Deadline and closing as local dates, converted by the database (TruncDate in the current
    # time zone, as timezone.localtime(value).date() would in Python, row by row).
    ordered = (
        qs.annotate(deadline_day=TruncDate("deadline"), closed_day=TruncDate("closed_at"))
        .order_by("responsible_unit__path", "issue_id", "id")
        .values_list(*EXPORT_FIELDS)
    )
    units = list(Unit.objects.order_by("path").values_list("pk", flat=True))
    for start in range(0, len(units), UNIT_CHUNK):
        chunk = ordered.filter(responsible_unit_id__in=units[start : start + UNIT_CHUNK])
        yield from chunk.iterator(chunk_size=5000)


def export_rows(qs):
    """The ledger rows of an item queryset, in the export layout (a generator)."""
    for i, r in enumerate(_rows_by_unit(qs), start=1):
        (number, source, description, type_, measures, target, deadline, unit, person_fk,
         person_text, leader_fk, leader_text, progress, status, closed_at) = r  # fmt: skip
        yield [
            i,
            SOURCE_LABELS.get(source, source),
            description,
            TYPE_LABELS.get(type_, type_),
            measures,
            target,
            deadline,
            unit,
            person_fk or person_text,
            leader_fk or leader_text,
            progress,
            STATUS_LABELS.get(status, status),
            closed_at,
            number,
        ]


WIDTHS = (6, 10, 40, 10, 30, 24, 12, 20, 10, 10, 30, 10, 12, 16)


def build_workbook_bytes(rows, *, on_progress=None) -> tuple[bytes, int]:
    """The ledger workbook (streamed; see core/spreadsheet.py for why not openpyxl's writer)."""
    sheet = xlsx.Sheet(SHEET_TITLE, HEADERS, rows, widths=WIDTHS, freeze=True)
    return xlsx.write_workbook([sheet], on_row=on_progress)


def export_items(*, actor: User, params: dict | None = None) -> tuple[bytes, int]:
    qs = selectors.filter_items(scoped(actor, RectificationItem), params or {})
    return build_workbook_bytes(export_rows(qs))
