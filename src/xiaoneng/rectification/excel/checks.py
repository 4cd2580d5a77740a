"""Ledger import, first half: read and check the whole file (nothing is written), giving the
write plan or every row and column error."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import clock
from xiaoneng.core import spreadsheet as xlsx
from xiaoneng.core.models import Person, Unit, User
from xiaoneng.core.scope import scope_for, scoped
from xiaoneng.core.spreadsheet import RowError

from ..models import RectificationItem
from ..vocab import ItemStatus
from .layout import HEADERS, REQUIRED_HEADERS, SOURCE_CODES, STATUS_CODES, TYPE_CODES

PROGRESS_EVERY = 5000


@dataclass
class Plan:
    new_rows: list[dict] = field(default_factory=list)
    progress: list[tuple[int, str]] = field(default_factory=list)  # (item id, text)
    unchanged: int = 0


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def read_rows(data: bytes):
    """(header, row iterator) of the first sheet, streamed."""
    rows = xlsx.read_xlsx(data)
    header = next(rows, None)
    return header, rows


class Lookups:
    """Units by name and code (only those in the importer's scope), people by (unit, name)."""

    def __init__(self, actor: User):
        scope = scope_for(actor)
        self.units: dict[str, Unit] = {}
        self.out_of_scope: set[str] = set()
        units = Unit.objects.filter(is_active=True).only("pk", "name", "code", "short_name", "path")
        for unit in units:
            for key in (unit.name, unit.code, unit.short_name):
                if not key:
                    continue
                if scope.contains_unit(unit):
                    self.units.setdefault(key, unit)
                else:
                    self.out_of_scope.add(key)
        self._people: dict[tuple[int, str], int | None] | None = None

    def person(self, unit_id: int, name: str) -> int | None:
        if self._people is None:
            self._people = {}
            unit_ids = {u.pk for u in self.units.values()}
            for pk, uid, pname in Person.objects.filter(
                unit_id__in=unit_ids, is_active=True
            ).values_list("pk", "unit_id", "name"):
                key = (uid, pname)
                self._people[key] = None if key in self._people else pk  # ambiguous → text only
        return self._people.get((unit_id, name)) if name else None


def _header_error(header) -> RowError | None:
    header_text = [_text(h) for h in (header or ())]
    if header_text[:13] == REQUIRED_HEADERS:
        return None
    msg = _("The first row must be the standard ledger header: %(headers)s") % {
        "headers": ", ".join(REQUIRED_HEADERS)
    }
    return RowError(1, "", msg)


def _required(values: list, bad) -> None:
    for idx, column in ((1, "问题来源"), (2, "问题描述"), (3, "整改类型"), (4, "整改措施"),
                        (5, "整改目标"), (7, "责任单位")):  # fmt: skip
        if not values[idx]:
            bad(column, _("This field is required."))


def _lengths(values: list, bad) -> None:
    for idx, column in ((2, "问题描述"), (4, "整改措施"), (5, "整改目标"), (10, "进展情况")):
        if len(values[idx]) > 10000:
            bad(column, _("At most 10000 characters."))
    for idx, column in ((8, "责任人"), (9, "责任领导")):
        if len(values[idx]) > 50:
            bad(column, _("At most 50 characters."))


def _deadline(value: Any, today: date, bad) -> date | None:
    try:
        deadline = _date(value)
    except ValueError:
        bad("整改时限", _("Not a date: “%(value)s” (use YYYY-MM-DD).") % {"value": value})
        return None
    if deadline is not None and deadline < today:
        bad("整改时限", _("The deadline must be in the future."))
    return deadline


def _unit(value: str, lookups: Lookups, bad) -> Unit | None:
    unit = lookups.units.get(value)
    if value and unit is None:
        if value in lookups.out_of_scope:
            bad(
                "责任单位", _("The unit “%(value)s” is outside your data scope.") % {"value": value}
            )
        else:
            bad("责任单位", _("Unknown unit “%(value)s”.") % {"value": value})
    return unit


def _new_row(
    row_no: int, values: list, lookups: Lookups, today: date
) -> tuple[dict | None, list[RowError]]:
    """A row without an item number: a new issue and item (or the row's errors)."""
    row_errors: list[RowError] = []

    def bad(column: str, message: str) -> None:
        row_errors.append(RowError(row_no, column, message))

    _required(values, bad)
    source = SOURCE_CODES.get(values[1])
    if values[1] and source is None:
        bad("问题来源", _("Unknown source “%(value)s”.") % {"value": values[1]})
    type_ = TYPE_CODES.get(values[3])
    if values[3] and type_ is None:
        bad("整改类型", _("Unknown type “%(value)s”.") % {"value": values[3]})
    deadline = _deadline(values[6], today, bad)
    unit = _unit(values[7], lookups, bad)
    status_text = _text(values[11])
    status = STATUS_CODES.get(status_text) if status_text else ItemStatus.PENDING
    if status not in (ItemStatus.PENDING, ItemStatus.IN_PROGRESS):
        msg = _("A new item starts as pending or in progress, not “%(value)s”.")
        bad("状态", msg % {"value": status_text})
    _lengths(values, bad)
    if row_errors or unit is None:
        return None, row_errors
    progress = values[10]
    return {
        "row": row_no,
        "source": source,
        "description": values[2],
        "type": type_,
        "measures": values[4],
        "target": values[5],
        "deadline": deadline,
        "unit": unit,
        "person": values[8],
        "person_id": lookups.person(unit.pk, values[8]),
        "leader": values[9],
        "leader_id": lookups.person(unit.pk, values[9]),
        "progress": progress,
        "status": ItemStatus.IN_PROGRESS if progress else status,
    }, []


def _cells(raw: list) -> list:
    """The 14 cells of a row: text, except the two dates (整改时限, 销号日期) kept as read."""
    values = [_text(v) if i not in (6, 12) else v for i, v in enumerate(raw[:14])]
    return values + [""] * (14 - len(values))


def validate(actor: User, data: bytes, *, on_progress=None) -> tuple[Plan, list[RowError], int]:
    """Check every row; return the plan, the errors (row number as in Excel) and the row count."""
    errors: list[RowError] = []
    plan = Plan()
    try:
        header, rows = read_rows(data)
    except xlsx.XlsxError as exc:
        message = xlsx.problem_text(exc, _("The file is not an Excel workbook (.xlsx)."))
        return plan, [RowError(1, "", message)], 0
    problem = _header_error(header)
    if problem:
        return plan, [problem], 0
    has_number = len(header) > 13 and _text(header[13]) == HEADERS[13]
    lookups = Lookups(actor)
    today = timezone.localtime(clock.now()).date()
    numbered: dict[str, tuple[int, str]] = {}  # item number → (row, progress text)
    count = 0
    for row_no, raw in enumerate(rows, start=2):
        values = _cells(raw)
        if not any(_text(v) for v in values[1:14]):
            continue  # blank line
        count += 1
        if on_progress and count % PROGRESS_EVERY == 0:
            on_progress(count)
        number = values[13] if has_number else ""
        if number:
            if number in numbered:
                errors.append(RowError(row_no, "事项编号", _("This item number appears twice.")))
            numbered[number] = (row_no, values[10])
            continue
        new, row_errors = _new_row(row_no, values, lookups, today)
        errors.extend(row_errors)
        if new is not None:
            plan.new_rows.append(new)
    if numbered:
        _check_numbered(actor, numbered, plan, errors)
    errors.sort(key=lambda e: (e.row, HEADERS.index(e.column) if e.column in HEADERS else 99))
    return plan, errors, count


def _check_numbered(actor, numbered: dict[str, tuple[int, str]], plan: Plan, errors) -> None:
    """Rows with an item number: the item must be in scope; a changed 进展情况 is a progress
    update, allowed only while the item is open for progress."""
    found: dict[str, tuple[int, str, str]] = {}
    numbers = list(numbered)
    visible = scoped(actor, RectificationItem)
    for i in range(0, len(numbers), 900):
        chunk = numbers[i : i + 900]
        for pk, number, status, latest in visible.filter(number__in=chunk).values_list(
            "pk", "number", "status", "latest_progress"
        ):
            found[number] = (pk, status, latest)
    can_manage = actor.has_permission("rectification.manage")
    for number, (row_no, text) in numbered.items():
        if number not in found:
            errors.append(
                RowError(
                    row_no, "事项编号", _("Unknown item number “%(value)s”.") % {"value": number}
                )
            )
            continue
        pk, status, latest = found[number]
        if not text or text == (latest or "").strip():
            plan.unchanged += 1
            continue
        if not can_manage:
            errors.append(RowError(row_no, "进展情况", _("You may not report progress.")))
        elif status not in (ItemStatus.PENDING, ItemStatus.IN_PROGRESS, ItemStatus.REOPENED):
            errors.append(
                RowError(
                    row_no, "进展情况", _("Progress cannot be reported on an item in this state.")
                )
            )
        else:
            plan.progress.append((pk, text))
