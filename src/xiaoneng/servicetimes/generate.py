"""Synthetic hospital system logs for the demo and the benchmark (``xiaoneng gen-service-logs``).

Each case is a start event and, usually, an end event of one standard in one department of a
unit; delays are log-normal around a fraction of the limit, so most cases comply; a few
departments (about one in seven) are slow and fall below the threshold; about 2 % of cases
have no end event. Deterministic for a seed (pseudo-random numbers from hashes, so DuckDB's
parallel execution does not change the file). Written by DuckDB, so 50 M events take seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from . import storage

HEADER = ("就诊号", "事件", "时间", "机构编码", "科室", "工号")


@dataclass(frozen=True)
class Place:
    unit_code: str
    department: str


def _values(rows: Sequence[tuple]) -> str:
    def lit(v):
        if isinstance(v, str):
            return "'" + v.replace("'", "''") + "'"
        return str(v)

    return ", ".join("(" + ", ".join(lit(v) for v in row) + ")" for row in rows)


def generate(
    path: Path,
    *,
    events: int,
    places: Sequence[Place],
    standards: Sequence[tuple[str, str, int]],
    year: int = 2026,
    months: int = 12,
    seed: int = 1,
    fmt: str = "csv",
    first_month: int = 1,
    memory_limit: str = "2GB",
) -> int:
    """Write about ``events`` events to ``path`` (CSV or Parquet); returns the number written.
    ``standards``: (start event, end event, limit minutes)."""
    if not places or not standards:
        raise ValueError("no units/departments or no standards")
    con = storage.connect(memory_limit)
    cases = max(1, events // 2)
    con.execute(
        "CREATE TEMP TABLE std AS SELECT * FROM (VALUES "
        + _values([(i, s, e, m) for i, (s, e, m) in enumerate(standards)])
        + ") t(k, start_event, end_event, limit_min)"
    )
    con.execute(
        "CREATE TEMP TABLE place AS SELECT * FROM (VALUES "
        + _values([(i, p.unit_code, p.department) for i, p in enumerate(places)])
        + ") t(k, unit_code, dept)"
    )
    n_std, n_place = len(standards), len(places)
    span = f"INTERVAL {months} MONTH"
    sql = f"""
    WITH c AS (
        SELECT i,
            hash(i, {seed}, 's') % {n_std} AS sk,
            hash(i, {seed}, 'p') % {n_place} AS pk,
            TIMESTAMP '{year}-{first_month:02d}-01' + to_seconds(
                (hash(i, {seed}, 't') % 1000000007) / 1000000007.0 * epoch(
                    (TIMESTAMP '{year}-{first_month:02d}-01' + {span}) - TIMESTAMP '{year}-{first_month:02d}-01'
                )
            ) AS start_ts,
            ((hash(i, {seed}, 'a') % 999983) + 1) / 999984.0 AS u1,
            ((hash(i, {seed}, 'b') % 999979) + 1) / 999980.0 AS u2,
            (hash(i, {seed}, 'm') % 50) = 0 AS missing
        FROM range({cases}) r(i)
    ), d AS (
        SELECT c.*, s.start_event, s.end_event, s.limit_min, p.unit_code, p.dept,
            (hash(p.dept, p.unit_code, {seed}) % 7) = 0 AS slow,
            sqrt(-2 * ln(u1)) * cos(2 * pi() * u2) AS z
        FROM c JOIN std s ON s.k = c.sk JOIN place p ON p.k = c.pk
    ), e AS (
        SELECT i, start_event, end_event, unit_code, dept, start_ts, missing,
            start_ts + to_seconds(limit_min * 60 *
                exp(CASE WHEN slow THEN -0.15 ELSE -0.75 END + 0.38 * z)) AS end_ts
        FROM d
    )
    SELECT 'V' || i AS "就诊号", start_event AS "事件", strftime(start_ts, '%Y-%m-%d %H:%M:%S') AS "时间",
           unit_code AS "机构编码", dept AS "科室", 'S' || (i % 997) AS "工号" FROM e
    UNION ALL
    SELECT 'V' || i, end_event, strftime(end_ts, '%Y-%m-%d %H:%M:%S'), unit_code, dept,
           'S' || (i % 997) FROM e WHERE NOT missing
    """
    target = "'" + str(path).replace("'", "''") + "'"
    options = "FORMAT parquet, COMPRESSION zstd" if fmt == "parquet" else "FORMAT csv, HEADER true"
    con.execute(f"COPY ({sql}) TO {target} ({options})")
    rows = con.execute(
        f"SELECT count(*) FROM {'read_parquet' if fmt == 'parquet' else 'read_csv'}({target})"
    ).fetchall()
    return int(rows[0][0])


def places_from_db(limit_units: int | None = None) -> list[Place]:
    """Every active unit's departments (a unit without departments once, without one)."""
    from xiaoneng.core.models import Department, Unit

    units = Unit.objects.filter(is_active=True).order_by("code")
    if limit_units:
        units = units[:limit_units]
    out: list[Place] = []
    for unit in units:
        names = list(
            Department.objects.filter(unit=unit, is_active=True)
            .order_by("name")
            .values_list("name", flat=True)
        )
        out.extend(Place(unit.code, n) for n in (names or [""]))
    return out


def standards_from_db() -> list[tuple[str, str, int]]:
    from .models import ServiceStandard

    return list(
        ServiceStandard.objects.filter(is_active=True).values_list(
            "start_event", "end_event", "limit_minutes"
        )
    )
