"""The compliance engine: DuckDB over the Parquet partitions (限时服务).

A case is a start event (the standard's ``start_event``) of an encounter; its end is the
same encounter's ``end_event`` in the same unit and source, at or after the start (events are
unique per source, encounter and event). Its duration is natural seconds between the two
local timestamps (events crossing midnight or a month end count in full); for a standard in
working time, the seconds on non-working days of the working-day calendar are left out. A case belongs to
the month and department of its start. A case without an end event counts as non-compliant
or is excluded, as the standard says. Figures per standard, unit, department and month:
cases, compliant, rate, median and p90 durations (cases with an end). The worst cases are
not stored: ``worst_cases`` reads one result's from its unit-month when someone looks.

Incremental: after an import, only the months it touched and the months before them (their
cases may end in the new month) are recomputed, for the units it touched.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pyarrow as pa
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import F

from xiaoneng.core import clock
from xiaoneng.core.calendar import get_calendar
from xiaoneng.core.models import Department

from . import storage
from .models import ComplianceResult, LedgerProposal, ServiceStandard, StandardOverride
from .vocab import CalendarKind, MissingEnd, ProposalStatus

WORST = 10
# Above this much Parquet the cases are a table, which DuckDB can spill to disk: as a view, the
# join and the grouped quantiles of 50 M events ran out of the 2 GB memory limit.
MATERIALISE_BYTES = 100 * 1024 * 1024
# The recompute on PostgreSQL goes by groups of units (``chunks``).
CHUNK_BYTES = 64 * 1024 * 1024
CHUNK_MIN_BYTES = 4 * 1024 * 1024
FIGURES = [
    "cases",
    "compliant",
    "missing_end",
    "excluded",
    "rate",
    "median_seconds",
    "p90_seconds",
    "limit_minutes",
    "threshold_percent",
    "computed_at",
]


@dataclass(frozen=True)
class Rule:
    standard_id: int
    unit_id: int
    start_event: str
    end_event: str
    limit_minutes: int
    threshold: Decimal
    excluded: bool
    working: bool = False


def rules_for(unit_ids: Iterable[int]) -> list[Rule]:
    """The effective standards (overrides applied) for these units."""
    units = sorted(set(unit_ids))
    standards = list(ServiceStandard.objects.filter(is_active=True))
    overrides = {
        (o.standard_id, o.unit_id): o
        for o in StandardOverride.objects.filter(unit_id__in=units, standard__in=standards)
    }
    rules = []
    for unit_id in units:
        for s in standards:
            o = overrides.get((s.pk, unit_id))
            if o is not None and not o.is_active:
                continue
            rules.append(
                Rule(
                    standard_id=s.pk,
                    unit_id=unit_id,
                    start_event=s.start_event,
                    end_event=s.end_event,
                    limit_minutes=(o.limit_minutes if o and o.limit_minutes else s.limit_minutes),
                    threshold=(
                        o.threshold_percent
                        if o and o.threshold_percent is not None
                        else s.threshold_percent
                    ),
                    excluded=s.missing_end == MissingEnd.EXCLUDED,
                    working=s.calendar_kind == CalendarKind.WORKING,
                )
            )
    return rules


def _shift(month: str, delta: int) -> str:
    y, m = int(month[:4]), int(month[5:7])
    index = y * 12 + (m - 1) + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


# ev: only the columns used (the CTE is materialised once for both sides of the join).
CASES_SQL = """
WITH ev AS (SELECT unit_id, month, source, encounter, event, ts, department_id FROM {scan}),
starts AS (
    SELECT r.standard_id, e.unit_id, e.source, e.encounter, e.ts AS start_ts,
           e.department_id, e.month, r.limit_s, r.excluded, r.working
    FROM ev e JOIN rules r ON r.unit_id = e.unit_id AND e.event = r.start_event
    {where}
),
ends AS (
    SELECT r.standard_id, e.unit_id, e.source, e.encounter, e.ts AS end_ts
    FROM ev e JOIN rules r ON r.unit_id = e.unit_id AND e.event = r.end_event
)
SELECT s.*, n.end_ts, epoch(n.end_ts - s.start_ts) AS dur
FROM starts s LEFT JOIN ends n
  ON n.standard_id = s.standard_id AND n.unit_id = s.unit_id AND n.source = s.source
 AND n.encounter = s.encounter AND n.end_ts >= s.start_ts
"""

WORST_KEY = "CASE WHEN end_ts IS NULL AND excluded THEN -1 ELSE coalesce(dur, 1e15) END"

# One row per result, as stored: the figures of each group (every case is in its department's
# group, the blank department included, and in the whole unit's), departments not (or no longer)
# the unit's left out; the rate rounded half up to hundredths in integers. The worst cases are
# not stored: ``worst_cases`` reads them from one unit-month when someone looks.
RESULTS_SQL = """
WITH figures AS (
    SELECT standard_id, unit_id, department_id, month, grouping(department_id) = 1 AS whole_unit,
        count(*) FILTER (WHERE end_ts IS NOT NULL OR NOT excluded) AS cases,
        count(*) FILTER (WHERE dur <= limit_s) AS compliant,
        count(*) FILTER (WHERE end_ts IS NULL) AS missing,
        count(*) FILTER (WHERE end_ts IS NULL AND excluded) AS excl,
        quantile_cont(dur, 0.5) AS median_s,
        quantile_cont(dur, 0.9) AS p90_s
    FROM cases
    GROUP BY GROUPING SETS ((standard_id, unit_id, month, department_id),
                           (standard_id, unit_id, month))
)
SELECT f.standard_id, f.unit_id, CASE WHEN f.whole_unit THEN NULL ELSE f.department_id END
       AS department_id, CAST(f.month || '-01' AS DATE) AS month,
       f.cases, f.compliant, f.missing AS missing_end, f.excl AS excluded,
       CASE WHEN f.cases > 0
            THEN CAST((f.compliant * 20000 + f.cases) // (2 * f.cases) AS DECIMAL(8, 0)) / 100
       END AS rate,
       f.median_s AS median_seconds, f.p90_s AS p90_seconds, r.limit_minutes,
       r.threshold AS threshold_percent, CAST('{now}' AS TIMESTAMPTZ) AS computed_at
FROM figures f
JOIN rules r ON r.standard_id = f.standard_id AND r.unit_id = f.unit_id
WHERE f.whole_unit OR f.department_id IN (SELECT id FROM valid_departments)
"""
RESULT_COLUMNS = [
    "standard_id",
    "unit_id",
    "department_id",
    "month",
    "cases",
    "compliant",
    "missing_end",
    "excluded",
    "rate",
    "median_seconds",
    "p90_seconds",
    "limit_minutes",
    "threshold_percent",
    "computed_at",
]


def results_sql(now) -> str:
    """RESULTS_SQL with the computation time (a timestamp literal: digits and separators)."""
    return RESULTS_SQL.replace("{now}", now.isoformat())


def compute(con, files: list[str], rules: list[Rule], months: Iterable[str]) -> bool:
    """Prepare the engine over these files for cases starting in these months: the DuckDB view
    ``cases`` (``RESULTS_SQL`` then gives the rows to store). False when there is nothing to
    compute. The cases are a view, not a table: the figures read the join once, streaming;
    working time (its correction is an UPDATE) and large inputs materialise them."""
    month_list = load_rules(con, rules, months)
    if not files or not rules or not month_list:
        return False
    cases_view(con, files, month_list, working=any(r.working for r in rules))
    return True


def load_rules(con, rules: list[Rule], months: Iterable[str]) -> list[str]:
    """The DuckDB tables ``rules`` and ``months``; returns the months, sorted."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE rules (standard_id BIGINT, unit_id BIGINT, "
        "start_event VARCHAR, end_event VARCHAR, limit_s DOUBLE, excluded BOOLEAN, "
        "working BOOLEAN, limit_minutes INTEGER, threshold DECIMAL(5, 2))"
    )
    if rules:
        table = pa.table(
            {
                "standard_id": pa.array([r.standard_id for r in rules], pa.int64()),
                "unit_id": pa.array([r.unit_id for r in rules], pa.int64()),
                "start_event": pa.array([r.start_event for r in rules], pa.string()),
                "end_event": pa.array([r.end_event for r in rules], pa.string()),
                "limit_s": pa.array([r.limit_minutes * 60.0 for r in rules], pa.float64()),
                "excluded": pa.array([r.excluded for r in rules], pa.bool_()),
                "working": pa.array([r.working for r in rules], pa.bool_()),
                "limit_minutes": pa.array([r.limit_minutes for r in rules], pa.int32()),
                "threshold": pa.array([str(r.threshold) for r in rules], pa.string()),
            }
        )
        con.register("rules_arrow", table)
        con.execute("INSERT INTO rules SELECT * FROM rules_arrow")
        con.unregister("rules_arrow")
    con.execute("CREATE OR REPLACE TEMP TABLE months (month VARCHAR)")
    month_list = sorted(set(months))
    if month_list:
        con.execute("INSERT INTO months SELECT unnest(?)", [month_list])
    return month_list


def cases_view(con, files: list[str], month_list: list[str], *, working: bool) -> None:
    """The view ``cases`` over these files (``rules`` and ``months`` loaded)."""
    # every file's month computed (a full recompute): no filter on the starts
    file_months = {f.rsplit("month=", 1)[1].split("/")[0] for f in files}
    where = "" if file_months <= set(month_list) else "WHERE e.month IN (SELECT month FROM months)"
    sql = CASES_SQL.format(scan=storage.scan(files), where=where)
    if working or sum(map(os.path.getsize, files)) > MATERIALISE_BYTES:
        con.execute("CREATE OR REPLACE TEMP TABLE working_cases AS " + sql)
        _working_time(con, month_list)
        sql = "SELECT * FROM working_cases"
    con.execute("CREATE OR REPLACE TEMP VIEW cases AS " + sql)


def chunks(files: list[str]) -> list[list[str]]:
    """The files in groups of whole units (a unit's cases never reach into another unit) of
    about a quarter of the input each, at most ``CHUNK_BYTES``: the results of one group are
    written to PostgreSQL while DuckDB computes the next, and a province's year is computed
    a group at a time (in memory, no spilling). Small inputs: one group."""
    sizes: dict[str, int] = {}
    by_unit: dict[str, list[str]] = {}
    for f in files:
        unit = f.rsplit("unit_id=", 1)[1].split("/")[0]
        by_unit.setdefault(unit, []).append(f)
        sizes[unit] = sizes.get(unit, 0) + os.path.getsize(f)
    total = sum(sizes.values())
    if total < CHUNK_MIN_BYTES:
        return [files] if files else []
    target = min(CHUNK_BYTES, total / 4)
    out: list[list[str]] = [[]]
    filled = 0
    for unit, unit_files in by_unit.items():
        if out[-1] and filled + sizes[unit] / 2 > target:
            out.append([])
            filled = 0
        out[-1].extend(unit_files)
        filled += sizes[unit]
    return out


WORST_CASES_SQL = """
SELECT encounter, strftime(start_ts, '%Y-%m-%d %H:%M:%S') AS start,
       strftime(end_ts, '%Y-%m-%d %H:%M:%S') AS "end", dur AS seconds, department_id
FROM cases WHERE standard_id = ? AND unit_id = ? AND (? OR department_id = ?)
ORDER BY {key} DESC, encounter LIMIT ?
"""


def worst_cases(result: ComplianceResult, limit: int = WORST) -> list[dict]:
    """The worst cases of one result, read from its unit-month partitions (and the next month's,
    where its cases may end) under the standard as it applies now: cases without an end event
    first (unless the standard leaves them out: then last), then the longest; ties by
    encounter. ``[{"encounter", "start", "end", "seconds", "department_id"}]``."""
    month = f"{result.month:%Y-%m}"
    rules = [r for r in rules_for([result.unit_id]) if r.standard_id == result.standard_id]
    files = storage.files_for([result.unit_id], [month, _shift(month, 1)])
    con = storage.connect(memory_limit="512MB")
    try:
        if not compute(con, files, rules, [month]):
            return []
        whole = result.department_id is None
        cursor = con.execute(
            WORST_CASES_SQL.format(key=WORST_KEY),
            [result.standard_id, result.unit_id, whole, result.department_id or 0, limit],
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


WORKING_SQL = """
UPDATE working_cases SET dur = dur - coalesce((
    SELECT sum(epoch(least(end_ts, CAST(w.d AS TIMESTAMP) + INTERVAL 1 DAY)
                     - greatest(start_ts, CAST(w.d AS TIMESTAMP))))
    FROM nonwork w WHERE w.d BETWEEN CAST(start_ts AS DATE) AND CAST(end_ts AS DATE)
), 0)
WHERE working AND end_ts IS NOT NULL
"""


def _working_time(con, months: list[str]) -> None:
    """Working time (工作时间): the duration without the seconds that fall on non-working days
    of the working-day calendar (weekends and holidays, adjusted working weekends counted)."""
    calendar = get_calendar()
    first = date(int(months[0][:4]), int(months[0][5:7]), 1)
    last = date(int(months[-1][:4]), int(months[-1][5:7]), 1) + timedelta(days=130)
    days = []
    day = first
    while day <= last:
        if not calendar.is_working_day(day):
            days.append((day,))
        day += timedelta(days=1)
    con.execute("CREATE OR REPLACE TEMP TABLE nonwork (d DATE)")
    if days:
        con.executemany("INSERT INTO nonwork VALUES (?)", days)
    con.execute(WORKING_SQL)


def _rate(compliant: int, cases: int) -> Decimal | None:
    if not cases:
        return None
    return (Decimal(compliant) * 100 / Decimal(cases)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@transaction.atomic
def recompute(partitions: Iterable[tuple[int, str]] | None = None, *, con=None) -> dict[str, int]:
    """Recompute the results for the units and months of these partitions (None = everything)
    and propose ledger issues for units below threshold. Returns counts."""
    con = con or storage.connect()
    if partitions is None:
        files = storage.files_for()
        units = {int(f.split("unit_id=")[1].split("/")[0]) for f in files}
        months = {f.split("month=")[1].split("/")[0] for f in files}
    else:
        pairs = list(partitions)
        units = {u for u, _m in pairs}
        months = {m for _u, m in pairs} | {_shift(m, -1) for _u, m in pairs}
        files = storage.files_for(units, months | {_shift(m, 1) for m in months})
    rules = rules_for(units)
    month_list = load_rules(con, rules, months)
    valid = list(Department.objects.filter(unit_id__in=units).values_list("pk", flat=True))
    con.register("valid_arrow", pa.table({"id": pa.array(valid, pa.int64())}))
    con.execute("CREATE OR REPLACE TEMP TABLE valid_departments AS SELECT id FROM valid_arrow")
    con.unregister("valid_arrow")
    month_dates = [date(int(m[:4]), int(m[5:7]), 1) for m in month_list]
    now = clock.now()
    computed = bool(files and rules and month_list)
    working = any(r.working for r in rules)
    if connection.vendor == "postgresql":
        groups = chunks(files) if computed else []
        counts = _store_pg(con, groups, month_list, working, now, units, month_dates)
    else:
        rows = []
        if computed:
            cases_view(con, files, month_list, working=working)
            rows = con.execute(results_sql(now)).fetchall()
        counts = _store(rows, units, month_dates)
    counts["proposed"] = propose(units, month_dates)
    return counts


def _store(rows: list[tuple], units: set[int], months: list[date]) -> dict[str, int]:
    """Any database: the ORM (small stores, tests on SQLite)."""
    existing = {
        (r.standard_id, r.unit_id, r.department_id, r.month): r
        for r in ComplianceResult.objects.filter(unit_id__in=units, month__in=months)
    }
    seen = set()
    fresh: list[ComplianceResult] = []
    changed: list[ComplianceResult] = []
    for row in rows:
        values = dict(zip(RESULT_COLUMNS, row, strict=True))
        key = (values["standard_id"], values["unit_id"], values["department_id"], values["month"])
        seen.add(key)
        obj = existing.get(key)
        if obj is None:
            fresh.append(ComplianceResult(**values))
        else:
            for name in FIGURES:
                setattr(obj, name, values[name])
            changed.append(obj)
    ComplianceResult.objects.bulk_create(fresh, batch_size=500)
    ComplianceResult.objects.bulk_update(changed, FIGURES, batch_size=500)
    stale = [obj.pk for key, obj in existing.items() if key not in seen]
    ComplianceResult.objects.filter(pk__in=stale, proposal__isnull=True).delete()
    return {"created": len(fresh), "updated": len(changed), "removed": len(stale)}


def _store_pg(
    con,
    groups: list[list[str]],
    month_list: list[str],
    working: bool,
    now,
    units: set[int],
    months: list[date],
) -> dict[str, int]:
    """PostgreSQL: DuckDB writes each group's rows (``chunks``) as CSV, streamed by one COPY
    while DuckDB (in a thread of its own: it leaves the GIL) computes the next group. Months
    without results yet (a new month, a first computation) are copied straight into the table;
    otherwise into a temporary table, then one upsert and one delete of the results not
    computed this time (unless a proposal refers to them). An upsert, not delete + insert:
    existing rows keep their ids, so proposals, drill-down addresses and API ids stay valid
    across recomputes."""
    table = connection.ops.quote_name(ComplianceResult._meta.db_table)
    proposals = connection.ops.quote_name(LedgerProposal._meta.db_table)
    types = {"standard_id": "bigint", "unit_id": "bigint", "department_id": "bigint",
             "month": "date"} | PG_TYPES  # fmt: skip
    cols = ", ".join(RESULT_COLUMNS)
    with (
        connection.cursor() as cursor,
        tempfile.TemporaryDirectory(dir=storage.root()) as tmp,
        ThreadPoolExecutor(1) as pool,
    ):

        def render(i: int) -> tuple[Path, int]:
            cases_view(con, groups[i], month_list, working=working)
            csv = Path(tmp) / f"results-{i}.csv"
            sql = f"COPY ({results_sql(now)}) TO '{csv}' (FORMAT csv, HEADER false)"
            return csv, con.execute(sql).fetchall()[0][0]

        pending = pool.submit(render, 0) if groups else None
        fresh = not ComplianceResult.objects.filter(unit_id__in=units, month__in=months).exists()
        target = table if fresh else "servicetimes_incoming"
        if not fresh:
            cursor.execute(
                "CREATE TEMP TABLE servicetimes_incoming ("
                + ", ".join(f"{c} {types[c]}" for c in RESULT_COLUMNS)
                + ") ON COMMIT DROP"
            )
        copied = 0
        for i in range(len(groups)):
            assert pending is not None
            csv, rows = pending.result()
            pending = pool.submit(render, i + 1) if i + 1 < len(groups) else None
            with (
                cursor.cursor.copy(f"COPY {target} ({cols}) FROM STDIN (FORMAT csv)") as copy,
                csv.open("rb") as f,
            ):
                while chunk := f.read(1 << 20):
                    copy.write(chunk)
            copied += rows
            csv.unlink()
        if fresh:
            return {"created": copied, "updated": 0, "removed": 0}
        sets = ", ".join(f"{f} = excluded.{f}" for f in FIGURES)
        cursor.execute(
            f"WITH up AS (INSERT INTO {table} ({cols}) SELECT {cols} FROM servicetimes_incoming "
            f"ON CONFLICT ON CONSTRAINT servicetimes_result_once DO UPDATE SET {sets} "
            "RETURNING (xmax = 0) AS inserted) "
            "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up"
        )
        created, updated = cursor.fetchone()
        cursor.execute(
            # every row just computed carries this computation's time
            f"DELETE FROM {table} t WHERE t.unit_id = ANY(%s) AND t.month = ANY(%s) "
            "AND t.computed_at <> %s "
            f"AND NOT EXISTS (SELECT 1 FROM {proposals} p WHERE p.result_id = t.id)",
            [sorted(units), months, now],
        )
        removed = cursor.rowcount
        cursor.execute("DROP TABLE servicetimes_incoming")
    return {"created": created, "updated": updated, "removed": removed}


PG_TYPES = {
    "cases": "integer",
    "compliant": "integer",
    "missing_end": "integer",
    "excluded": "integer",
    "rate": "numeric",
    "median_seconds": "double precision",
    "p90_seconds": "double precision",
    "limit_minutes": "integer",
    "threshold_percent": "numeric",
    "computed_at": "timestamptz",
}


def propose(unit_ids: Iterable[int], months: Iterable[date]) -> int:
    """A unit's monthly rate below its threshold proposes a ledger issue (once per result).
    One INSERT … SELECT: no rows travel through Python (thousands at a province's first run)."""
    below = (
        ComplianceResult.objects.filter(
            unit_id__in=list(unit_ids),
            month__in=list(months),
            department__isnull=True,
            proposal__isnull=True,
            rate__lt=F("threshold_percent"),
        )
        .order_by()
        .values_list("pk", "unit_id")
    )
    try:
        select, params = below.query.sql_with_params()
    except EmptyResultSet:  # no units or months
        return 0
    table = connection.ops.quote_name(LedgerProposal._meta.db_table)
    now = connection.ops.adapt_datetimefield_value(clock.now())
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (result_id, unit_id, status, created_at) "
            f"SELECT b.*, %s, %s FROM ({select}) b",
            [ProposalStatus.PROPOSED, now, *params],
        )
        return cursor.rowcount
