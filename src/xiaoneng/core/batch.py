"""Deferred INSERTs: the rows of one unit of work written together (issue #18).

A busy write (the public intake) makes a case, its identity, timeline event, audit record and
idempotency record: five INSERTs, five round trips. Inside ``deferred()`` the writers that go
through ``insert()`` (``audit.record``, the complaint timeline, the identity) hand their row
to the batch instead, and the batch is written when the block ends — on PostgreSQL as one
statement (``WITH a AS (INSERT …), b AS (INSERT …) INSERT …``: one round trip, all or
nothing, foreign keys checked at commit as Django declares them), elsewhere row by row.

Rules for code inside the block: a deferred row has no primary key until it is written (give it
one first if others must point at it), and a query does not see it — call ``flush()`` before
reading back. The block must sit inside the transaction (``transaction.atomic()`` outside it)
so that the rows commit, or roll back, with the rest; an exception discards the batch.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import functools
import ipaddress
import json
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from typing import TypeVar

from django.db import connections, models

M = TypeVar("M", bound=models.Model)

_pending: ContextVar[list[models.Model] | None] = ContextVar("xiaoneng_batch", default=None)


def is_open() -> bool:
    return _pending.get() is not None


def insert(obj: M) -> M:
    """Insert `obj`: now, or with the open batch."""
    rows = _pending.get()
    if rows is None:
        obj.save(force_insert=True)
    else:
        rows.append(obj)
    return obj


@contextlib.contextmanager
def deferred(using: str = "default") -> Iterator[None]:
    """Collect ``insert()``s and write them at the end (joins a batch already open)."""
    if _pending.get() is not None:
        yield
        return
    token = _pending.set([])
    try:
        yield
        flush(using)
    finally:
        _pending.reset(token)


def flush(using: str = "default") -> None:
    """Write what the open batch holds so far (before reading it back); the batch stays open."""
    rows = _pending.get()
    if not rows:
        return
    taken = list(rows)
    rows.clear()
    connection = connections[using]
    if connection.vendor != "postgresql" or len(taken) == 1:
        for obj in taken:
            obj.save(force_insert=True, using=using)
        return
    statements = [_insert_sql(type(obj), obj.pk is None) for obj in taken]
    *first, last = statements
    ctes = ", ".join(f"b{i} AS ({sql})" for i, sql in enumerate(first))
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {ctes} {last}", [_row_json(obj) for obj in taken])
    for obj in taken:
        obj._state.adding, obj._state.db = False, using


# Each row is one JSON parameter read by jsonb_populate_record: the statement's text is the
# same for every batch of the same tables, so psycopg keeps it parsed (a case has ~45 columns,
# and a statement with more than 50 parameters is converted anew on every execution).
@functools.cache  # by model only: a connection object is per thread
def _insert_sql(model: type[models.Model], without_pk: bool) -> str:
    names = ", ".join(f'"{f.column}"' for f in _fields(model, without_pk))
    table = f'"{model._meta.db_table}"'  # PostgreSQL quoting
    return (
        f"INSERT INTO {table} ({names}) SELECT {names} "
        f"FROM jsonb_populate_record(NULL::{table}, %s::jsonb)"
    )


@functools.cache
def _fields(model: type[models.Model], without_pk: bool) -> tuple[models.Field, ...]:
    meta = model._meta
    fields = [f for f in meta.local_concrete_fields if not f.generated]
    if without_pk:  # the database numbers it
        fields = [f for f in fields if f is not meta.auto_field]
    return tuple(fields)


def _row_json(obj: models.Model) -> str:
    # As save() does: a foreign key to an object given its pk after the assignment.
    obj._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
    row = {}
    for field, attname, column, pre_save, is_json in _plan(type(obj), obj.pk is None):
        value = field.pre_save(obj, True) if pre_save else getattr(obj, attname)
        if not is_json and not isinstance(value, _PLAIN):
            if hasattr(value, "resolve_expression"):
                raise TypeError(f"core.batch cannot defer an expression ({field.name})")
            value = field.get_prep_value(value)  # dates, decimals, lazy text…
        row[column] = value
    return json.dumps(row, default=_json_default, ensure_ascii=False)


# Values JSON writes as they are; anything else goes through the field's get_prep_value.
_PLAIN = (str, int, float, type(None))


@functools.cache
def _plan(model: type[models.Model], without_pk: bool) -> tuple:
    return tuple(
        (f, f.attname, f.column, _needs_pre_save(f), isinstance(f, models.JSONField))
        for f in _fields(model, without_pk)
    )


def _needs_pre_save(field: models.Field) -> bool:
    """auto_now / auto_now_add, and any field type with a pre_save of its own (files)."""
    if isinstance(field, models.DateField):  # DateTimeField included
        return bool(field.auto_now or field.auto_now_add)
    return type(field).pre_save is not models.Field.pre_save


def _json_default(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()  # full precision (DjangoJSONEncoder cuts microseconds)
    if isinstance(
        value, decimal.Decimal | uuid.UUID | ipaddress.IPv4Address | ipaddress.IPv6Address
    ):
        return str(value)
    if isinstance(value, bytes | memoryview):
        raise TypeError("core.batch does not defer binary columns")
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
