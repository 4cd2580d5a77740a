"""Scale data: a realistic, internally consistent organisation and case load for benchmarks.

``generate(counts, seed=, now=)`` fills the database with a unit tree (materialised paths as
``Unit`` expects), departments, people with leadership roles (principal, leader in charge,
department heads) and users for a few roles (``core.scale.org``), then runs every app's
generator hook in order: an app that has scale data adds ``<app>/scale.py`` (or a package)
registering one with :func:`step`::

    from xiaoneng.core import scale

    @scale.step(key="ledger", count="items", label="rectification items", order=20,
                tables=lambda: [Issue._meta.db_table, RectificationItem._meta.db_table])
    def generate_items(sink, org, *, n, rng, now, progress) -> dict[str, int]:
        ...

Core imports no app: the hooks are found like the admin's autodiscovery (``scale`` modules of
the installed apps). Rows are produced as tuples with explicit ids and written through the
shared sink (``core.scale.sink``: COPY on PostgreSQL, batched INSERTs on SQLite), all in one
transaction. The same seed and ``now`` give the same data.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils.module_loading import autodiscover_modules

from .. import calendar as work_calendar
from .org import LEADERS, Org, UnitRow, generate_org, load_org, member, members_of
from .sink import (
    CopySink,
    InsertSink,
    Sink,
    bisect,
    cumulative,
    largest_remainder,
    next_id,
    person_name,
    place,
    take,
)

__all__ = [
    "DEFAULT_PASSWORD",
    "LEADERS",
    "PRESETS",
    "YEARS",
    "Counts",
    "Org",
    "Sink",
    "Step",
    "UnitRow",
    "bisect",
    "cumulative",
    "generate",
    "largest_remainder",
    "member",
    "members_of",
    "next_id",
    "person_name",
    "place",
    "step",
    "take",
]

PRESETS: dict[str, dict[str, int]] = {
    "province": {
        "units": 5_000,
        "staff": 200_000,
        "complaints": 2_000_000,
        "items": 1_000_000,
    },
    "county": {"units": 50, "staff": 2_000, "complaints": 20_000, "items": 10_000},
    "tiny": {"units": 12, "staff": 120, "complaints": 400, "items": 200},
}
DEFAULT_PASSWORD = "Scale-pass-2026"
YEARS = 5  # history spans this many years

# The organisation's big tables (an app's hook names its own).
BIG_TABLES = ("core_person", "core_person_departments", "core_auditrecord")


@dataclass
class Counts:
    units: int
    staff: int
    complaints: int
    items: int


Generator = Callable[..., dict[str, int]]


@dataclass(frozen=True)
class Step:
    key: str  # the summary key of its statistics ("complaints", "ledger")
    count: str  # the ``Counts`` field it reads ("complaints", "items")
    label: str  # progress line
    order: int
    run: Generator
    tables: Callable[[], list[str]]  # big tables (indexes dropped and rebuilt at scale)


_steps: list[Step] = []
_discovered = False


def step(
    *,
    key: str,
    count: str,
    label: str,
    order: int = 100,
    tables: Callable[[], list[str]] = list,
) -> Callable[[Generator], Generator]:
    """Register an app's generator hook (see the module docstring)."""

    def register(fn: Generator) -> Generator:
        if all(s.key != key for s in _steps):
            _steps.append(Step(key, count, label, order, fn, tables))
            _steps.sort(key=lambda s: s.order)
        return fn

    return register


def steps() -> list[Step]:
    global _discovered
    if not _discovered:
        autodiscover_modules("scale")
        _discovered = True
    return list(_steps)


def generate(
    counts: Counts,
    *,
    seed: int = 1,
    now: datetime | None = None,
    prefix: str | None = None,
    password: str = DEFAULT_PASSWORD,
    progress: Callable[[str], None] | None = None,
    items_only: bool = False,
) -> dict[str, Any]:
    """Fill the database; returns row counts, timings and the names of a few users.

    ``items_only``: add rectification items to the organisation an earlier run (same prefix) made.
    """
    progress = progress or (lambda line: print(line, file=sys.stderr, flush=True))
    from xiaoneng.core import clock

    now = now or clock.now().replace(microsecond=0)
    prefix = prefix or f"GS{seed}-"
    if not items_only and _units_exist(prefix):
        raise ValueError(
            f"Units with codes starting {prefix!r} exist already: use another --prefix."
        )
    hooks = steps()
    rng = random.Random(seed)
    sink: Sink = CopySink(progress) if connection.vendor == "postgresql" else InsertSink(progress)
    started = time.monotonic()
    timings: dict[str, float] = {}
    summary: dict[str, Any] = {}
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _relax_foreign_key_checks(progress)
        if items_only:
            org = load_org(prefix.rstrip("-"))
            counts = Counts(len(org.units), 0, 0, counts.items)
        rebuild: list[str] = []
        sizes = [getattr(counts, h.count) for h in hooks]
        if connection.vendor == "postgresql" and max(sizes, default=0) >= 100_000:
            tables = [] if items_only else list(BIG_TABLES)
            for hook, size in zip(hooks, sizes, strict=True):
                if size > 0 or not items_only:
                    tables += hook.tables()
            rebuild = _drop_secondary_indexes(tables)
            progress(f"  dropped {len(rebuild)} secondary indexes (rebuilt after the load)")
        t = time.monotonic()
        if not items_only:
            progress(f"organisation: {counts.units:,} units, {counts.staff:,} staff")
            org = generate_org(
                sink,
                n_units=counts.units,
                n_staff=counts.staff,
                rng=random.Random(rng.random()),
                prefix=prefix.rstrip("-"),
                password=password,
            )
        timings["organisation"] = time.monotonic() - t
        for hook, size in zip(hooks, sizes, strict=True):
            t = time.monotonic()
            progress(f"{hook.label}: {size:,}")
            summary[hook.key] = hook.run(
                sink, org, n=size, rng=random.Random(rng.random()), now=now, progress=progress
            )
            timings[hook.count] = time.monotonic() - t
        if rebuild:
            t = time.monotonic()
            progress(f"rebuilding {len(rebuild)} indexes …")
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
                for definition in rebuild:
                    cursor.execute(definition)
            timings["indexes"] = time.monotonic() - t
        _reset_sequences()
    t = time.monotonic()
    if connection.vendor == "postgresql":
        # VACUUM as well (outside a transaction only): it sets the visibility map that lets
        # counts use index-only scans, the state autovacuum keeps a live database in.
        statement = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        progress(f"{statement} …")
        with connection.cursor() as cursor:
            cursor.execute(statement)
    timings["analyze"] = time.monotonic() - t
    work_calendar.invalidate()
    elapsed = time.monotonic() - started
    return {
        "seed": seed,
        "now": now.isoformat(),
        "prefix": prefix.rstrip("-"),
        "seconds": round(elapsed, 1),
        "timings": {k: round(v, 1) for k, v in timings.items()},
        "rows": sink.counts,
        **summary,
        "users": {
            "password": password,
            "office": f"{prefix.rstrip('-')}-office1",
            "root_unit": org.root.id,
        },
    }


def _units_exist(prefix: str) -> bool:
    from ..models import Unit

    return Unit.objects.filter(code__startswith=prefix).exists()


def _relax_foreign_key_checks(progress: Callable[[str], None]) -> None:
    """Rows are consistent by construction: skip the per-row foreign-key triggers (superuser
    only; without it the deferred checks run at commit)."""
    from django.db import DatabaseError

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        try:
            with transaction.atomic():
                cursor.execute("SET LOCAL session_replication_role = replica")
        except DatabaseError:
            progress("  (foreign keys checked at commit: not a superuser)")


def _drop_secondary_indexes(tables: Iterable[str]) -> list[str]:
    """PostgreSQL: drop the indexes that back no constraint (rebuilt after the load: one sorted
    build is far cheaper than millions of incremental inserts); returns their definitions."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = ANY(%s) AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            [list(tables)],
        )
        found = cursor.fetchall()
        for name, _definition in found:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return [definition for _name, definition in found]


def _reset_sequences() -> None:
    """Explicit ids were written: move the id sequences past them (PostgreSQL)."""
    from django.apps import apps

    models_ = list(apps.get_models(include_auto_created=True))
    sql = connection.ops.sequence_reset_sql(no_style(), models_)
    if sql:
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)
