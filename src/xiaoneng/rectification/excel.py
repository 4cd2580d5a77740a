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
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit, clock, numbering
from xiaoneng.core import spreadsheet as xlsx
from xiaoneng.core.files import store_bytes
from xiaoneng.core.models import Job, Person, StoredFile, Unit, User
from xiaoneng.core.scope import scope_for, scoped
from xiaoneng.core.spreadsheet import RowError

from . import deadlines, selectors, services
from .models import Issue, ItemEvent, ProgressUpdate, RectificationItem
from .vocab import IssueSource, ItemStatus, ItemType

HEADERS = [
    "序号",
    "问题来源",
    "问题描述",
    "整改类型",
    "整改措施",
    "整改目标",
    "整改时限",
    "责任单位",
    "责任人",
    "责任领导",
    "进展情况",
    "状态",
    "销号日期",
    "事项编号",
]
REQUIRED_HEADERS = HEADERS[:13]
SHEET_TITLE = "整改台账"
BATCH = 2000
PROGRESS_EVERY = 5000
XLSX = xlsx.CONTENT_TYPE
EXPORT_KIND = "rectification.export"
IMPORT_KIND = "rectification.import"

# The labels in the file are the Chinese vocabulary (data, like seeded names); codes work too.
SOURCE_LABELS = {
    "self_inspection": "自查自纠",
    "complaint": "投诉举报",
    "inspection": "明查暗访",
    "evaluation": "评议考评",
    "service_time": "限时服务",
    "assigned": "上级交办",
    "other": "其他",
}
TYPE_LABELS = {"immediate": "即时整改", "staged": "阶段整改", "long_term": "长期整改"}
STATUS_LABELS = {
    "pending": "待整改",
    "in_progress": "整改中",
    "close_requested": "申请销号",
    "closed": "已销号",
    "reopened": "重新打开",
}


def _reverse(mapping: dict[str, str], choices) -> dict[str, str]:
    out = {v: k for k, v in mapping.items()}
    out.update({code: code for code in choices})
    out.update({str(label): code for code, label in choices.choices})
    return out


SOURCE_CODES = _reverse(SOURCE_LABELS, IssueSource)
TYPE_CODES = _reverse(TYPE_LABELS, ItemType)
STATUS_CODES = _reverse(STATUS_LABELS, ItemStatus)


# --- export ------------------------------------------------------------------------------------
EXPORT_FIELDS = (
    "number",
    "issue__source",
    "issue__description",
    "type",
    "measures",
    "target",
    "deadline",
    "responsible_unit__name",
    "responsible_person__name",
    "responsible_person_name",
    "responsible_leader__name",
    "responsible_leader_name",
    "latest_progress",
    "status",
    "closed_at",
)


def _local_date(value: datetime | None) -> date | None:
    return timezone.localtime(value).date() if value else None


UNIT_CHUNK = 50


def _rows_by_unit(qs):
    """The rows in unit-tree order, a chunk of units per query: the database sorts one chunk's
    items, not the whole ledger, before the first row goes out (a province has 1,000,000)."""
    ordered = qs.order_by("responsible_unit__path", "issue_id", "id").values_list(*EXPORT_FIELDS)
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
            _local_date(deadline),
            unit,
            person_fk or person_text,
            leader_fk or leader_text,
            progress,
            STATUS_LABELS.get(status, status),
            _local_date(closed_at),
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


# --- import ------------------------------------------------------------------------------------
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


def validate(actor: User, data: bytes, *, on_progress=None) -> tuple[Plan, list[RowError], int]:
    """Check every row; return the plan, the errors (row number as in Excel) and the row count."""
    errors: list[RowError] = []
    plan = Plan()
    try:
        header, rows = read_rows(data)
    except xlsx.XlsxError as exc:
        message = xlsx.problem_text(exc, _("The file is not an Excel workbook (.xlsx)."))
        return plan, [RowError(1, "", message)], 0
    header_text = [_text(h) for h in (header or ())]
    if header_text[:13] != REQUIRED_HEADERS:
        msg = _("The first row must be the standard ledger header: %(headers)s") % {
            "headers": ", ".join(REQUIRED_HEADERS)
        }
        return plan, [RowError(1, "", msg)], 0
    has_number = len(header_text) > 13 and header_text[13] == HEADERS[13]
    lookups = Lookups(actor)
    today = timezone.localtime(clock.now()).date()
    numbered: dict[str, tuple[int, str]] = {}  # item number → (row, progress text)
    count = 0
    for row_no, raw in enumerate(rows, start=2):
        values = [_text(v) if i not in (6, 12) else v for i, v in enumerate(raw[:14])]
        values += [""] * (14 - len(values))
        if not any(_text(v) for v in values[1:14]):
            continue  # blank line
        count += 1
        if on_progress and count % PROGRESS_EVERY == 0:
            on_progress(count)
        number = values[13] if has_number else ""
        progress = values[10]
        if number:
            if number in numbered:
                errors.append(RowError(row_no, "事项编号", _("This item number appears twice.")))
            numbered[number] = (row_no, progress)
            continue
        row_errors: list[RowError] = []

        def bad(column: str, message: str):
            row_errors.append(RowError(row_no, column, message))  # noqa: B023

        source = SOURCE_CODES.get(values[1])
        if not values[1]:
            bad("问题来源", _("This field is required."))
        elif source is None:
            bad("问题来源", _("Unknown source “%(value)s”.") % {"value": values[1]})
        if not values[2]:
            bad("问题描述", _("This field is required."))
        type_ = TYPE_CODES.get(values[3])
        if not values[3]:
            bad("整改类型", _("This field is required."))
        elif type_ is None:
            bad("整改类型", _("Unknown type “%(value)s”.") % {"value": values[3]})
        for idx, column in ((4, "整改措施"), (5, "整改目标")):
            if not values[idx]:
                bad(column, _("This field is required."))
        deadline = None
        try:
            deadline = _date(values[6])
        except ValueError:
            bad("整改时限", _("Not a date: “%(value)s” (use YYYY-MM-DD).") % {"value": values[6]})
        else:
            if deadline is not None and deadline < today:
                bad("整改时限", _("The deadline must be in the future."))
        unit = lookups.units.get(values[7])
        if not values[7]:
            bad("责任单位", _("This field is required."))
        elif unit is None:
            if values[7] in lookups.out_of_scope:
                bad(
                    "责任单位",
                    _("The unit “%(value)s” is outside your data scope.") % {"value": values[7]},
                )
            else:
                bad("责任单位", _("Unknown unit “%(value)s”.") % {"value": values[7]})
        status = STATUS_CODES.get(_text(values[11])) if _text(values[11]) else ItemStatus.PENDING
        if status not in (ItemStatus.PENDING, ItemStatus.IN_PROGRESS):
            bad(
                "状态",
                _("A new item starts as pending or in progress, not “%(value)s”.")
                % {"value": _text(values[11])},
            )
        for idx, column in ((2, "问题描述"), (4, "整改措施"), (5, "整改目标"), (10, "进展情况")):
            if len(values[idx]) > 10000:
                bad(column, _("At most 10000 characters."))
        for idx, column in ((8, "责任人"), (9, "责任领导")):
            if len(values[idx]) > 50:
                bad(column, _("At most 50 characters."))
        if row_errors:
            errors.extend(row_errors)
            continue
        plan.new_rows.append(
            {
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
            }
        )
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


def apply_plan(actor: User, plan: Plan, *, job: Job | None = None) -> dict[str, int]:
    """Write a validated plan in one transaction; returns counts."""
    now = clock.now()
    year = timezone.localtime(now).year
    name = services.actor_name(actor)
    actor_id = actor.pk if actor is not None else None
    with transaction.atomic():
        # Issues: rows with the same source, description and unit share one.
        issue_keys: dict[tuple, int] = {}
        for r in plan.new_rows:
            issue_keys.setdefault((r["source"], r["description"], r["unit"].pk), len(issue_keys))
        issue_ids: list[int] = []
        if issue_keys:
            first = numbering.allocate(services.ISSUE_KEY, year, len(issue_keys))
            issues = [
                {
                    "number": numbering.format_number(services.ISSUE_PREFIX, year, first + i),
                    "source": source,
                    "unit_id": unit_id,
                    "title": description.splitlines()[0][:200],
                    "description": description,
                    "found_at": now,
                    "found_by_id": actor_id,
                    "created_by_id": actor_id,
                    "created_at": now,
                    "updated_at": now,
                }
                for i, (source, description, unit_id) in enumerate(issue_keys)
            ]
            _insert(Issue, issues)
            by_number = _ids_by_number(Issue, issues[0]["number"], issues[-1]["number"])
            issue_ids = [by_number[i["number"]] for i in issues]
        defaults = {t: deadlines.default_deadline(t, now) for t in ItemType.values}
        yellow_cache: dict[datetime, datetime] = {}
        items: list[dict] = []
        if plan.new_rows:
            first = numbering.allocate(services.ITEM_KEY, year, len(plan.new_rows))
        for i, r in enumerate(plan.new_rows):
            if r["deadline"] is not None:
                deadline, uncertain = deadlines.end_of_day(r["deadline"]), False
            else:
                d = defaults[r["type"]]
                deadline, uncertain = d.at, d.uncertain
            if deadline not in yellow_cache:
                yellow_cache[deadline] = deadlines.yellow_at(now, deadline)
            items.append(
                {
                    "number": numbering.format_number(services.ITEM_PREFIX, year, first + i),
                    "issue_id": issue_ids[
                        issue_keys[(r["source"], r["description"], r["unit"].pk)]
                    ],
                    "type": r["type"],
                    "measures": r["measures"],
                    "target": r["target"],
                    "started_at": now,
                    "deadline": deadline,
                    "deadline_uncertain": uncertain,
                    "yellow_at": yellow_cache[deadline],
                    "responsible_unit_id": r["unit"].pk,
                    "responsible_person_id": r["person_id"],
                    "responsible_person_name": r["person"],
                    "responsible_leader_id": r["leader_id"],
                    "responsible_leader_name": r["leader"],
                    "status": r["status"],
                    "latest_progress": r["progress"],
                    "created_by_id": actor_id,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        with _progress_outside(job) as bump:
            for start in range(0, len(items), BATCH):
                _insert(RectificationItem, items[start : start + BATCH])
                bump(start + BATCH, len(items))
        if items:
            by_number = _ids_by_number(RectificationItem, items[0]["number"], items[-1]["number"])
            for it in items:
                it["id"] = by_number[it["number"]]
        event = {"at": now, "actor_id": actor_id, "actor_name": name}
        events = [
            {**event, "item_id": it["id"], "action": "import", "to_status": it["status"]}
            for it in items
        ]
        # Progress: new items with a 进展情况, and numbered rows whose text changed.
        progress_rows = [
            (it["id"], it["latest_progress"], 0) for it in items if it["latest_progress"]
        ]
        percents: dict[int, int] = {}
        statuses: dict[int, str] = {}
        progressed = [pk for pk, _t in plan.progress]
        for start in range(0, len(progressed), 900):
            for pk, percent, status in RectificationItem.objects.filter(
                pk__in=progressed[start : start + 900]
            ).values_list("pk", "percent", "status"):
                percents[pk], statuses[pk] = percent, status
        progress_rows += [(pk, text, percents.get(pk, 0)) for pk, text in plan.progress]
        _insert(
            ProgressUpdate,
            [
                {"item_id": pk, "text": text, "percent": percent, "at": now,
                 "author_id": actor_id, "author_name": name}
                for pk, text, percent in progress_rows
            ],
        )  # fmt: skip
        events += [
            {**event, "item_id": pk, "action": "progress", "note": text}
            for pk, text in plan.progress
        ]
        _insert(ItemEvent, events)
        if plan.progress:
            objs = []
            for pk, text in plan.progress:
                status = statuses[pk]
                if status in (ItemStatus.PENDING, ItemStatus.REOPENED):
                    status = ItemStatus.IN_PROGRESS
                objs.append(
                    RectificationItem(pk=pk, latest_progress=text, updated_at=now, status=status)
                )
            RectificationItem.objects.bulk_update(
                objs, ["latest_progress", "updated_at", "status"], batch_size=500
            )
        result = {
            "issues_created": len(issue_keys),
            "items_created": len(items),
            "progress_updated": len(plan.progress),
            "unchanged": plan.unchanged,
        }
        if job is not None:
            audit.record("import", job, after=result, actor=actor)
    return result


def _insert(model, rows: list[dict], *, batch: int = BATCH) -> None:
    """INSERT rows given as {attname: value} with ``executemany``: no model instances and no
    per-row SQL compilation (at 100,000 rows ``bulk_create`` spends most of its time on both).
    Missing fields take their defaults; datetimes go through the backend's adapter (cached)."""
    if not rows:
        return
    ops = connection.ops
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    if connection.vendor == "postgresql":
        _copy(model, fields, rows)
        return
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        ops.quote_name(model._meta.db_table),
        ", ".join(ops.quote_name(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    attnames = [f.attname for f in fields]
    defaults = {f.attname: f.get_default() for f in fields}  # "" for blank text fields
    stamps = [i for i, f in enumerate(fields) if isinstance(f, models.DateTimeField)]
    cache: dict = {}
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            values = []
            for data in rows[start : start + batch]:
                row = [data[a] if a in data else defaults[a] for a in attnames]
                for i in stamps:
                    value = row[i]
                    if value is not None:
                        adapted = cache.get(value)
                        if adapted is None:
                            adapted = cache[value] = ops.adapt_datetimefield_value(value)
                        row[i] = adapted
                values.append(row)
            cursor.executemany(sql, values)


def _copy(model, fields, rows: list[dict]) -> None:
    """PostgreSQL: COPY … FROM STDIN (several times faster than INSERTs at this size)."""
    from psycopg.types.json import Jsonb

    ops = connection.ops
    attnames = [f.attname for f in fields]
    defaults = {f.attname: f.get_default() for f in fields}
    json_at = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
    sql = "COPY {} ({}) FROM STDIN".format(
        ops.quote_name(model._meta.db_table), ", ".join(ops.quote_name(f.column) for f in fields)
    )
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for data in rows:
            row = [data[a] if a in data else defaults[a] for a in attnames]
            for i in json_at:
                if row[i] is not None:
                    row[i] = Jsonb(row[i])
            copy.write_row(row)


def _ids_by_number(model, first: str, last: str) -> dict[str, int]:
    """Numbers reserved in one block are contiguous: one range query finds their ids."""
    return dict(
        model.objects.filter(number__gte=first, number__lte=last).values_list("number", "pk")
    )


def _bump(job: Job, done: int) -> None:
    Job.objects.filter(pk=job.pk).update(done=done)
    job.done = done


@contextmanager
def _progress_outside(job: Job | None):
    """Progress of a write that is one open transaction, visible to the page polling the job.

    On PostgreSQL it goes through a second connection in autocommit (the import's own
    connection must not touch the job row: the second one would then wait for it). SQLite has one
    writer at a time, so there the page sees the jump at commit.
    """
    if job is None or connection.vendor != "postgresql":
        yield lambda written, of: None
        return
    side = connections.create_connection(DEFAULT_DB_ALIAS)
    table = connection.ops.quote_name(Job._meta.db_table)

    def bump(written: int, of: int) -> None:
        """The second half of the bar: `written` of `of` rows (validation was the first)."""
        done = job.total // 2 + written * job.total // (2 * of)
        with side.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET done = %s WHERE id = %s", [done, job.pk])
        job.done = done

    try:
        yield bump
    finally:
        side.close()


# --- jobs --------------------------------------------------------------------------------------
def start_export(*, actor: User, params: dict) -> Job:
    """Queue an export of the items in the actor's scope matching the (JSON-safe) filters."""
    job = Job.objects.create(
        kind=EXPORT_KIND, params=params, created_by=actor, created_at=clock.now()
    )
    _enqueue(job)
    return job


def start_import(*, actor: User, upload: StoredFile) -> Job:
    services._require(actor, "rectification.manage")
    job = Job.objects.create(
        kind=IMPORT_KIND, input_file=upload, created_by=actor, created_at=clock.now()
    )
    _enqueue(job)
    return job


def _enqueue(job: Job) -> None:
    from .tasks import run_ledger_job

    transaction.on_commit(lambda: run_ledger_job(job.pk))


def _params_from_json(params: dict) -> dict:
    out = dict(params)
    if out.get("unit"):
        out["unit"] = Unit.objects.filter(pk=out["unit"]).first()
    for key in ("deadline_after", "deadline_before"):
        if out.get(key):
            out[key] = date.fromisoformat(out[key])
    return out


def run_job(job_id: int) -> dict:
    """Run a queued export or import job (called by the task worker)."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING
    )
    if not claimed:
        return {"skipped": True}
    job = Job.objects.select_related("created_by", "input_file").get(pk=job_id)
    actor = job.created_by
    try:
        run = _run_export if job.kind == EXPORT_KIND else _run_import
        result = run(job, actor)
    except Exception as exc:  # the job records the failure; the worker keeps running
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED,
            errors=[{"row": 0, "column": "", "message": str(exc)[:500]}],
            finished_at=clock.now(),
        )
        raise
    return result


def _run_export(job: Job, actor: User) -> dict:
    qs = selectors.filter_items(scoped(actor, RectificationItem), _params_from_json(job.params))
    total = qs.count()
    Job.objects.filter(pk=job.pk).update(total=total)
    data, count = build_workbook_bytes(export_rows(qs), on_progress=lambda n: _bump(job, n))
    stamp = timezone.localtime(clock.now()).strftime("%Y%m%d-%H%M")
    stored = store_bytes(data=data, name=f"整改台账-{stamp}.xlsx", actor=actor)
    result = {"rows": count}
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.DONE,
        done=count,
        output_file=stored,
        result=result,
        finished_at=clock.now(),
    )
    return result


def _run_import(job: Job, actor: User) -> dict:
    with job.input_file.file.open("rb") as fh:
        data = fh.read()
    plan, errors, count = validate(actor, data, on_progress=lambda n: _bump(job, n // 2))
    Job.objects.filter(pk=job.pk).update(total=count)
    job.total = count
    if errors:
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED,
            errors=[e.as_dict() for e in errors[:1000]],
            result={"rows": count, "error_count": len(errors)},
            finished_at=clock.now(),
        )
        return {"errors": len(errors)}
    result = apply_plan(actor, plan, job=job) | {"rows": count}
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.DONE, done=count, result=result, finished_at=clock.now()
    )
    return result


def import_bytes(*, actor: User, data: bytes) -> tuple[dict, list[RowError]]:
    """Validate and import synchronously (CLI, tests); nothing is written when there are errors."""
    services._require(actor, "rectification.manage")
    plan, errors, count = validate(actor, data)
    if errors:
        return {"rows": count}, errors
    return apply_plan(actor, plan) | {"rows": count}, []
