"""Ledger import, second half: write a checked plan in one transaction — new issues and items
with numbers reserved in one block, progress updates — with ``executemany`` / COPY inserts."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime

from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.utils import timezone

from xiaoneng.core import audit, clock, numbering
from xiaoneng.core.models import Job, User

from .. import deadlines, services
from ..models import Issue, ItemEvent, ProgressUpdate, RectificationItem
from ..vocab import ItemStatus, ItemType
from .checks import Plan

BATCH = 2000


def _issue_key(r: dict) -> tuple:
    """Rows with the same source, description and unit share one issue."""
    return (r["source"], r["description"], r["unit"].pk)


def _write_issues(plan: Plan, *, now: datetime, year: int, actor_id) -> dict[tuple, int]:
    """Insert the new issues (numbers reserved in one block); returns issue key → issue id."""
    keys: dict[tuple, int] = {}
    for r in plan.new_rows:
        keys.setdefault(_issue_key(r), len(keys))
    if not keys:
        return {}
    first = numbering.allocate(services.ISSUE_KEY, year, len(keys))
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
        for i, (source, description, unit_id) in enumerate(keys)
    ]
    _insert(Issue, issues)
    by_number = _ids_by_number(Issue, issues[0]["number"], issues[-1]["number"])
    return {key: by_number[issues[i]["number"]] for key, i in keys.items()}


def _item_rows(plan: Plan, issue_ids: dict[tuple, int], *, now: datetime, year: int, actor_id):
    """The new items as rows to insert (numbers reserved in one block)."""
    if not plan.new_rows:
        return []
    defaults = {t: deadlines.default_deadline(t, now) for t in ItemType.values}
    yellow_cache: dict[datetime, datetime] = {}
    first = numbering.allocate(services.ITEM_KEY, year, len(plan.new_rows))
    items: list[dict] = []
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
                "issue_id": issue_ids[_issue_key(r)],
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
    return items


def _write_items(items: list[dict], job: Job | None) -> None:
    """Insert the items in batches (progress shown outside the transaction); sets their ids."""
    with _progress_outside(job) as bump:
        for start in range(0, len(items), BATCH):
            _insert(RectificationItem, items[start : start + BATCH])
            bump(start + BATCH, len(items))
    if items:
        by_number = _ids_by_number(RectificationItem, items[0]["number"], items[-1]["number"])
        for it in items:
            it["id"] = by_number[it["number"]]


def _current(pks: list[int]) -> dict[int, tuple[int, str]]:
    """Percent and status of the items updated by progress, by id."""
    found: dict[int, tuple[int, str]] = {}
    for start in range(0, len(pks), 900):
        for pk, percent, status in RectificationItem.objects.filter(
            pk__in=pks[start : start + 900]
        ).values_list("pk", "percent", "status"):
            found[pk] = (percent, status)
    return found


def _write_progress(plan: Plan, items: list[dict], *, now: datetime, actor_id, name: str) -> None:
    """The timeline events and progress updates: new items with a 进展情况, and numbered rows
    whose text changed (those items also move to in progress)."""
    event = {"at": now, "actor_id": actor_id, "actor_name": name}
    events = [
        {**event, "item_id": it["id"], "action": "import", "to_status": it["status"]}
        for it in items
    ]
    progress_rows = [(it["id"], it["latest_progress"], 0) for it in items if it["latest_progress"]]
    current = _current([pk for pk, _t in plan.progress])
    progress_rows += [(pk, text, current.get(pk, (0, ""))[0]) for pk, text in plan.progress]
    _insert(
        ProgressUpdate,
        [
            {"item_id": pk, "text": text, "percent": percent, "at": now,
             "author_id": actor_id, "author_name": name}
            for pk, text, percent in progress_rows
        ],
    )  # fmt: skip
    events += [
        {**event, "item_id": pk, "action": "progress", "note": text} for pk, text in plan.progress
    ]
    _insert(ItemEvent, events)
    if not plan.progress:
        return
    objs = []
    for pk, text in plan.progress:
        status = current[pk][1]
        if status in (ItemStatus.PENDING, ItemStatus.REOPENED):
            status = ItemStatus.IN_PROGRESS
        objs.append(RectificationItem(pk=pk, latest_progress=text, updated_at=now, status=status))
    RectificationItem.objects.bulk_update(
        objs, ["latest_progress", "updated_at", "status"], batch_size=500
    )


def apply_plan(actor: User, plan: Plan, *, job: Job | None = None) -> dict[str, int]:
    """Write a validated plan in one transaction; returns counts."""
    now = clock.now()
    year = timezone.localtime(now).year
    actor_id = actor.pk if actor is not None else None
    with transaction.atomic():
        issue_ids = _write_issues(plan, now=now, year=year, actor_id=actor_id)
        items = _item_rows(plan, issue_ids, now=now, year=year, actor_id=actor_id)
        _write_items(items, job)
        _write_progress(plan, items, now=now, actor_id=actor_id, name=services.actor_name(actor))
        result = {
            "issues_created": len(issue_ids),
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
