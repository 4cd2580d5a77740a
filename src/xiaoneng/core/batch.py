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

**A counter taken late** (``late_counter``): a gap-free counter (the case number) is a row lock
held until commit, so every registration waits for the one holding it. Inside a batch the row
that needs it gets placeholders instead (an id, a digits token), and the counter's ``UPDATE`` is
part of the batch's statement on PostgreSQL: the lock is held for that statement and the commit
only, not while the request builds its rows and its response. The placeholders are replaced in
the rows' JSON by the database and in the Python objects after the write; ``resolve()`` does the
same for what the caller built from them (a response body). Elsewhere the counter is taken when
the batch is written and the rows are saved one by one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import functools
import ipaddress
import json
import secrets
import uuid
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connections, models

M = TypeVar("M", bound=models.Model)

_pending: ContextVar[list[models.Model] | None] = ContextVar("xiaoneng_batch", default=None)
_late: ContextVar[Late | None] = ContextVar("xiaoneng_batch_late", default=None)
# What the last write replaced: placeholder → value (for resolve(), also after the block ends).
_resolved: ContextVar[dict[str, str] | None] = ContextVar("xiaoneng_batch_resolved", default=None)

# Per process and unguessable, so that no text a request sends can contain them.
PLACEHOLDER_ID = -(10**17 + secrets.randbelow(8 * 10**17))
PLACEHOLDER_DIGITS = f"#{secrets.token_hex(8)}#"


@dataclass
class Late:
    """A counter taken when the batch is written (see the module docstring)."""

    # PostgreSQL: an UPDATE … RETURNING the counter's new value AS n and the new row's id AS id
    sql: str
    params: list
    width: int  # the digits, zero-padded to at least this width
    allocate: Callable[[], int]  # elsewhere (and for a missing counter row): the next value


def is_open() -> bool:
    return _pending.get() is not None


def insert(obj: M) -> M:
    """Insert `obj`: now, or with the open batch."""
    rows = _pending.get()
    if rows is None:
        obj.save(force_insert=True)
    else:
        # auto_now / auto_now_add now, as save() would: what is built from the object before
        # the write (a response) says what will be stored.
        for field in _auto_dates(type(obj)):
            field.pre_save(obj, True)
        rows.append(obj)
    return obj


@functools.cache
def _auto_dates(model: type[models.Model]) -> tuple[models.Field, ...]:
    return tuple(
        f
        for f in model._meta.local_concrete_fields
        if isinstance(f, models.DateField) and (f.auto_now or f.auto_now_add)
    )


@contextlib.contextmanager
def deferred(using: str = "default") -> Iterator[None]:
    """Collect ``insert()``s and write them at the end (joins a batch already open)."""
    if _pending.get() is not None:
        yield
        return
    token, late, resolved = _pending.set([]), _late.set(None), _resolved.set(None)
    try:
        yield
        flush(using)
    except BaseException:
        _resolved.reset(resolved)
        raise
    finally:
        _pending.reset(token)
        _late.reset(late)


def late_counter(*, sql: str, params: list, width: int, allocate: Callable[[], int]) -> tuple:
    """Inside ``deferred()``: (placeholder id, placeholder digits) for the row to be numbered;
    the counter is taken when the batch is written (one per write: a second one writes the
    rows of the first)."""
    if _pending.get() is None:
        raise RuntimeError("late_counter needs an open batch")
    if _late.get() is not None:
        flush()
    _late.set(Late(sql, params, width, allocate))
    return PLACEHOLDER_ID, PLACEHOLDER_DIGITS


def resolve(value: Any) -> Any:
    """`value` with the placeholders of the last write replaced (strings, ints, dicts, lists)."""
    found = _resolved.get()
    return _replace(value, found) if found else value


def _replace(value: Any, found: dict[str, str]) -> Any:
    if type(value) is int:
        return int(found[str(value)]) if str(value) in found else value
    if isinstance(value, str):
        for old, new in found.items():
            if old in value:
                value = value.replace(old, new)
        return value
    if isinstance(value, dict):
        return {k: _replace(v, found) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_replace(v, found) for v in value)
    return value


def _patch(objs: list[models.Model], found: dict[str, str]) -> None:
    for obj in objs:
        for field in type(obj)._meta.concrete_fields:
            value = getattr(obj, field.attname)
            new = _replace(value, found)
            if new is not value and new != value:
                setattr(obj, field.attname, new)


def flush(using: str = "default") -> None:
    """Write what the open batch holds so far (before reading it back); the batch stays open."""
    rows = _pending.get()
    if not rows:
        return
    taken = list(rows)
    rows.clear()
    late = _late.get()
    _late.set(None)
    connection = connections[using]
    if connection.vendor != "postgresql" or (len(taken) == 1 and late is None):
        _save_each(taken, late, using)
        return
    statements = [_insert_sql(type(obj), obj.pk is None, late is not None) for obj in taken]
    params = [_row_json(obj) for obj in taken]
    if late is None:
        *first, last = statements
        ctes = ", ".join(f"b{i} AS ({sql})" for i, sql in enumerate(first))
        with connection.cursor() as cursor:
            cursor.execute(f"WITH {ctes} {last}" if ctes else last, params)
    else:
        # The counter's UPDATE joins the statement: its row lock is held from here to commit.
        ctes = ", ".join(f"b{i} AS ({sql})" for i, sql in enumerate(statements))
        sql = f"WITH n AS ({late.sql}), {ctes} SELECT n.n, n.id FROM n"
        # The id placeholder as text: a negative number bound as -1::text is -(1::text).
        fill: list[Any] = [str(PLACEHOLDER_ID), PLACEHOLDER_DIGITS, late.width]
        values: list[Any] = [*late.params]
        for row in params:
            values += [row, *fill]
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            got = cursor.fetchone()
        if got is None:  # no counter row yet (the first of a year): the slow way, once
            for obj in taken:
                obj._state.adding = True
            _save_each(taken, late, using)
            return
        _patch(taken, _found(late, *got))
    for obj in taken:
        obj._state.adding, obj._state.db = False, using


def _found(late: Late, n: int, pk: int | None) -> dict[str, str]:
    found = {PLACEHOLDER_DIGITS: f"{n:0{late.width}d}"}
    if pk is not None:
        found[str(PLACEHOLDER_ID)] = str(pk)
    _resolved.set(found)
    return found


def _save_each(taken: list[models.Model], late: Late | None, using: str) -> None:
    if late is not None:
        found = _found(late, late.allocate(), None)
        _patch(taken, found)
        for obj in taken:  # the numbered row first: the others point at it
            if obj.pk == PLACEHOLDER_ID:
                obj.pk = None
                _save(obj, using)
                found = _found(late, int(found[PLACEHOLDER_DIGITS]), obj.pk)
        _patch(taken, found)
        taken = [obj for obj in taken if obj._state.adding]
    for obj in taken:
        _save(obj, using)


def _save(obj: models.Model, using: str) -> None:
    """save(force_insert=True), without taking the auto_now dates again (insert() did)."""
    obj._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
    for field, _attname, _column, pre_save, _is_json in _plan(type(obj), obj.pk is None):
        if pre_save:
            field.pre_save(obj, True)
    obj.save_base(raw=True, force_insert=True, using=using)


# Each row is one JSON parameter read by jsonb_populate_record: the statement's text is the
# same for every batch of the same tables, so psycopg keeps it parsed (a case has ~45 columns,
# and a statement with more than 50 parameters is converted anew on every execution).
@functools.cache  # by model only: a connection object is per thread
def _insert_sql(model: type[models.Model], without_pk: bool, late: bool = False) -> str:
    names = ", ".join(f'"{f.column}"' for f in _fields(model, without_pk))
    table = f'"{model._meta.db_table}"'  # PostgreSQL quoting
    if not late:
        return (
            f"INSERT INTO {table} ({names}) SELECT {names} "
            f"FROM jsonb_populate_record(NULL::{table}, %s::jsonb)"
        )
    # The placeholders replaced in the row's JSON text by the counter's values (CTE n).
    row = (
        "replace(replace(%s::text, %s::text, n.id::text), %s::text, "
        "lpad(n.n::text, greatest(%s, length(n.n::text)), '0'))::jsonb"
    )
    return (
        f"INSERT INTO {table} ({names}) SELECT r.{names.replace(', ', ', r.')} "
        f"FROM n, jsonb_populate_record(NULL::{table}, {row}) r"
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
    """Any field type with a pre_save of its own (files); auto_now dates are set by insert()."""
    if isinstance(field, models.DateField):  # DateTimeField included
        return False
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
