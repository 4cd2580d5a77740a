"""The shared sink of the scale generator: rows (tuples in a fixed column order) written with
COPY on PostgreSQL or batched INSERTs elsewhere, plus the small helpers every generator uses."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import connection, models

SYLLABLES = "青河山东西南北安平阳城新兴丰宁泰华昌林石永福康乐清源宝金长明临川德庆"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力宁斌鹏飞云霞雪梅琳晨"


# --- sinks ---------------------------------------------------------------------------------------
class Sink:
    """Writes rows (tuples in a fixed column order) into one model's table."""

    def __init__(self, progress: Callable[[str], None]):
        self.progress = progress
        self.counts: dict[str, int] = {}

    def columns(self, model: type[models.Model], varying: list[str], fixed: dict[str, Any]):
        fields = {f.attname: f for f in model._meta.concrete_fields}
        missing = [
            a for a in fields if a not in varying and a not in fixed and not fields[a].primary_key
        ]
        constants = dict(fixed)
        for attname in missing:
            f = fields[attname]
            if f.has_default() or f.null or isinstance(f, models.CharField | models.TextField):
                constants[attname] = f.get_default()
            else:
                raise ValueError(f"{model.__name__}.{attname} needs a value")
        names = list(varying) + list(constants)
        return fields, names, tuple(constants.values())

    def write(
        self,
        model: type[models.Model],
        varying: list[str],
        rows: Iterable[tuple],
        fixed: dict[str, Any] | None = None,
    ) -> int:
        fields, names, tail = self.columns(model, varying, fixed or {})
        started = time.monotonic()
        n = self._write(model, fields, names, tail, rows)
        elapsed = time.monotonic() - started
        table = model._meta.db_table
        self.counts[table] = self.counts.get(table, 0) + n
        self.progress(f"  {table}: {n:,} rows in {elapsed:.1f} s ({n / max(elapsed, 1e-9):,.0f}/s)")
        return n

    def _write(self, model, fields, names, tail, rows) -> int:
        raise NotImplementedError


class CopySink(Sink):
    """PostgreSQL: binary COPY … FROM STDIN through psycopg 3 (the server parses no text)."""

    def _write(self, model, fields, names, tail, rows) -> int:
        from psycopg.types.json import Jsonb

        json_at = [i for i, n in enumerate(names) if isinstance(fields[n], models.JSONField)]
        types = [fields[n].db_type(connection).split("(")[0] for n in names]
        cols = ", ".join(connection.ops.quote_name(fields[n].column) for n in names)
        table = connection.ops.quote_name(model._meta.db_table)
        sql = f"COPY {table} ({cols}) FROM STDIN (FORMAT BINARY)"
        n = 0
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            copy.set_types(types)
            write = copy.write_row
            if json_at:
                for row in rows:
                    full = list(row + tail)
                    for i in json_at:
                        if full[i] is not None:
                            full[i] = Jsonb(full[i])
                    write(full)
                    n += 1
            else:
                for row in rows:
                    write(row + tail)
                    n += 1
        return n


class InsertSink(Sink):
    """SQLite (and anything else): batched executemany INSERTs with Django's value adaptation."""

    BATCH = 5_000

    def _write(self, model, fields, names, tail, rows) -> int:
        prep = [fields[n].get_db_prep_save for n in names]
        cols = ", ".join(connection.ops.quote_name(fields[n].column) for n in names)
        marks = ", ".join(["%s"] * len(names))
        sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({cols}) VALUES ({marks})"
        n = 0
        batch: list[list] = []
        with connection.cursor() as cursor:
            for row in rows:
                batch.append([p(v, connection) for p, v in zip(prep, row + tail, strict=True)])
                if len(batch) >= self.BATCH:
                    cursor.executemany(sql, batch)
                    n += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                n += len(batch)
        return n


# --- helpers -------------------------------------------------------------------------------------
def next_id(model: type[models.Model]) -> int:
    return (model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0) + 1


def place(rng: random.Random) -> str:
    return rng.choice(SYLLABLES) + rng.choice(SYLLABLES)


def person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def largest_remainder(weights: list[float], total: int, minimum: int = 0) -> list[int]:
    base = [minimum] * len(weights)
    rest = total - minimum * len(weights)
    if rest <= 0:
        return [max(0, total // max(len(weights), 1))] * len(weights)
    s = sum(weights) or 1.0
    shares = [w * rest / s for w in weights]
    ints = [int(x) for x in shares]
    left = rest - sum(ints)
    order = sorted(range(len(weights)), key=lambda i: shares[i] - ints[i], reverse=True)
    for i in order[:left]:
        ints[i] += 1
    return [b + i for b, i in zip(base, ints, strict=True)]


def cumulative(weights: list[float]) -> Iterator[float]:
    total = 0.0
    for w in weights:
        total += w
        yield total


def bisect(cum: list[float], x: float) -> int:
    lo, hi = 0, len(cum) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if cum[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def take(it: Iterator, n: int) -> Iterator:
    for _ in range(n):
        try:
            yield next(it)
        except StopIteration:
            return
