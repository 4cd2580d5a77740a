"""Gap-free per-year numbers (案件号, 台账号, 督办单号 …): one counter row per key and year.

``next_value(key, year)`` runs inside the caller's transaction. In the steady state it is one
statement, ``UPDATE … SET last = last + 1 … RETURNING last``, which row-locks the counter until
the creating transaction ends: concurrent creators queue up, and a rolled-back one gives its
number back, so the numbers of a year run 1, 2, 3 … without gaps. The first number of a year
creates the row; losing that race (IntegrityError inside a savepoint) falls back to the UPDATE.

Keys are namespaced by the app that owns them (``"rectification.issue"``); formats differ by
document, the common one is ``format_number(prefix, year, n)`` → ``WT2026000001``.
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction

from .models import NumberSequence

__all__ = ["NumberSequence", "allocate", "format_number", "next_number", "next_value"]


def _update_sql() -> str:
    q = connection.ops.quote_name
    return (
        f"UPDATE {q(NumberSequence._meta.db_table)} SET {q('last')} = {q('last')} + %s"
        f" WHERE {q('key')} = %s AND {q('year')} = %s RETURNING {q('last')}"
    )


def allocate(key: str, year: int, count: int = 1) -> int:
    """Reserve ``count`` consecutive numbers of ``key``/``year``; returns the first of them."""
    if count < 1:
        raise ValueError("count must be at least 1")
    sql = _update_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, [count, key, year])
        row = cursor.fetchone()
        if row is None:
            try:
                with transaction.atomic():
                    NumberSequence.objects.create(key=key, year=year, last=count)
                return 1
            except IntegrityError:  # another transaction created it first: queue behind it
                cursor.execute(sql, [count, key, year])
                row = cursor.fetchone()
    return int(row[0]) - count + 1


def next_value(key: str, year: int) -> int:
    """The next gap-free number of ``key`` in ``year`` (1, 2, 3 …), inside the caller's
    transaction."""
    return allocate(key, year)


def format_number(prefix: str, year: int, n: int) -> str:
    """The common shape ``PREFIX + year + 6 digits``: ``format_number("WT", 2026, 1)`` →
    ``WT2026000001``."""
    return f"{prefix}{year}{n:06d}"


def next_number(key: str, prefix: str, year: int) -> str:
    """``format_number(prefix, year, next_value(key, year))``: the next ``WT2026000001``."""
    return format_number(prefix, year, next_value(key, year))
