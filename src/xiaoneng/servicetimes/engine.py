"""The compliance engine: DuckDB over the Parquet partitions (限时服务).

A case is a start event (the standard's ``start_event``) of an encounter; its end is the
same encounter's ``end_event`` in the same unit and source, at or after the start (events are
unique per source, encounter and event). Its duration is natural seconds between the two
local timestamps (events crossing midnight or a month end count in full); for a standard in
working time, the seconds on non-working days of the working-day calendar are left out. A case belongs to
the month and department of its start. A case without an end event counts as non-compliant
or is excluded, as the standard says. Figures per standard, unit, department and month:
cases, compliant, rate, median and p90 durations (cases with an end), the worst cases.

Incremental: after an import, only the months it touched and the months before them (their
cases may end in the new month) are recomputed, for the units it touched.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction

from xiaoneng.core import clock
from xiaoneng.core.calendar import get_calendar
from xiaoneng.core.models import Department

from . import storage
from .models import ComplianceResult, LedgerProposal, ServiceStandard, StandardOverride
from .vocab import CalendarKind, MissingEnd

WORST = 10
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
    "worst",
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


CASES_SQL = """
WITH ev AS (SELECT * FROM {scan}),
starts AS (
    SELECT r.standard_id, e.unit_id, e.source, e.encounter, e.ts AS start_ts,
           e.department_id, e.month, r.limit_s, r.excluded, r.working
    FROM ev e JOIN rules r ON r.unit_id = e.unit_id AND e.event = r.start_event
    WHERE e.month IN (SELECT month FROM months)
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

AGG_SQL = """
SELECT standard_id, unit_id, department_id, month, grouping(department_id) AS whole_unit,
    count(*) FILTER (WHERE end_ts IS NOT NULL OR NOT excluded) AS cases,
    count(*) FILTER (WHERE dur <= limit_s) AS compliant,
    count(*) FILTER (WHERE end_ts IS NULL) AS missing,
    count(*) FILTER (WHERE end_ts IS NULL AND excluded) AS excl,
    quantile_cont(dur, 0.5) AS median_s,
    quantile_cont(dur, 0.9) AS p90_s,
    max_by(
        {{'encounter': encounter, 'start': strftime(start_ts, '%Y-%m-%d %H:%M:%S'),
          'end': strftime(end_ts, '%Y-%m-%d %H:%M:%S'), 'seconds': dur,
          'department_id': department_id}},
        CASE WHEN end_ts IS NULL AND excluded THEN -1 ELSE coalesce(dur, 1e15) END,
        {worst}
    ) AS worst
FROM cases
GROUP BY GROUPING SETS ((standard_id, unit_id, month, department_id), (standard_id, unit_id, month))
"""


def compute(con, files: list[str], rules: list[Rule], months: Iterable[str]) -> list[tuple]:
    """Run the engine over these files for cases starting in these months (rows of AGG_SQL)."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE rules (standard_id BIGINT, unit_id BIGINT, "
        "start_event VARCHAR, end_event VARCHAR, limit_s DOUBLE, excluded BOOLEAN, "
        "working BOOLEAN)"
    )
    if rules:
        con.executemany(
            "INSERT INTO rules VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    r.standard_id,
                    r.unit_id,
                    r.start_event,
                    r.end_event,
                    r.limit_minutes * 60.0,
                    r.excluded,
                    r.working,
                )
                for r in rules
            ],
        )
    con.execute("CREATE OR REPLACE TEMP TABLE months (month VARCHAR)")
    month_list = sorted(set(months))
    if not files or not rules or not month_list:
        return []
    con.executemany("INSERT INTO months VALUES (?)", [(m,) for m in month_list])
    if not files or not rules:
        return []
    con.execute(
        "CREATE OR REPLACE TEMP TABLE cases AS " + CASES_SQL.format(scan=storage.scan(files))
    )
    if any(r.working for r in rules):
        _working_time(con, month_list)
    return con.execute(AGG_SQL.format(worst=WORST)).fetchall()


WORKING_SQL = """
UPDATE cases SET dur = dur - coalesce((
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
    rows = compute(con, files, rules, months)
    thresholds = {(r.standard_id, r.unit_id): r for r in rules}
    return _store(rows, thresholds, units, months)


def _store(rows, rules: dict, units: set[int], months: set[str]) -> dict[str, int]:
    now = clock.now()
    month_dates = {m: date(int(m[:4]), int(m[5:7]), 1) for m in months}
    existing = {
        (r.standard_id, r.unit_id, r.department_id, r.month): r
        for r in ComplianceResult.objects.filter(unit_id__in=units, month__in=month_dates.values())
    }
    valid_departments = set(
        Department.objects.filter(unit_id__in=units).values_list("pk", flat=True)
    )
    seen = set()
    fresh: list[ComplianceResult] = []
    changed: list[ComplianceResult] = []
    for std, unit, dept, month, whole, cases, compliant, missing, excl, med, p90, worst in rows:
        if whole:
            dept = None
        elif dept is None or dept not in valid_departments:
            continue
        rule = rules[(std, unit)]
        key = (std, unit, dept, month_dates[month])
        seen.add(key)
        values = {
            "cases": cases,
            "compliant": compliant,
            "missing_end": missing,
            "excluded": excl,
            "rate": _rate(compliant, cases),
            "median_seconds": med,
            "p90_seconds": p90,
            "limit_minutes": rule.limit_minutes,
            "threshold_percent": rule.threshold,
            "worst": [dict(w) for w in (worst or [])],
            "computed_at": now,
        }
        obj = existing.get(key)
        if obj is None:
            fresh.append(
                ComplianceResult(
                    standard_id=std, unit_id=unit, department_id=dept, month=key[3], **values
                )
            )
        else:
            for name, value in values.items():
                setattr(obj, name, value)
            changed.append(obj)
    if connection.vendor == "postgresql":
        _copy_upsert(fresh, changed)
    else:
        ComplianceResult.objects.bulk_create(fresh, batch_size=500)
        ComplianceResult.objects.bulk_update(changed, FIGURES, batch_size=500)
    created, updated = len(fresh), len(changed)
    stale = [obj.pk for key, obj in existing.items() if key not in seen]
    ComplianceResult.objects.filter(pk__in=stale, proposal__isnull=True).delete()
    proposed = propose(units, month_dates.values())
    return {"created": created, "updated": updated, "removed": len(stale), "proposed": proposed}


KEY = ["standard_id", "unit_id", "department_id", "month"]
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
    "worst": "jsonb",
    "computed_at": "timestamptz",
}


def _copy_upsert(fresh: list[ComplianceResult], changed: list[ComplianceResult]) -> None:
    """PostgreSQL: stream the figures through COPY into a temporary table, then one UPDATE for
    the existing rows (their ids, and so the links to them, stay) and one INSERT for the new."""
    table = connection.ops.quote_name(ComplianceResult._meta.db_table)
    columns = ["id", *KEY, *FIGURES]
    types = {"id": "bigint", "standard_id": "bigint", "unit_id": "bigint",
             "department_id": "bigint", "month": "date"} | PG_TYPES  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE servicetimes_incoming ("
            + ", ".join(f"{c} {types[c]}" for c in columns)
            + ") ON COMMIT DROP"
        )
        with cursor.cursor.copy(
            f"COPY servicetimes_incoming ({', '.join(columns)}) FROM STDIN"
        ) as copy:
            for obj in (*changed, *fresh):
                copy.write_row(
                    [
                        obj.pk,
                        *(getattr(obj, k) for k in KEY),
                        *(
                            json.dumps(obj.worst, ensure_ascii=False)
                            if f == "worst"
                            else getattr(obj, f)
                            for f in FIGURES
                        ),
                    ]
                )
        sets = ", ".join(f"{f} = i.{f}" for f in FIGURES)
        cursor.execute(
            f"UPDATE {table} t SET {sets} FROM servicetimes_incoming i "
            "WHERE i.id IS NOT NULL AND t.id = i.id"
        )
        cols = ", ".join([*KEY, *FIGURES])
        cursor.execute(
            f"INSERT INTO {table} ({cols}) SELECT {cols} FROM servicetimes_incoming WHERE id IS NULL"
        )
        cursor.execute("DROP TABLE servicetimes_incoming")


def propose(unit_ids: Iterable[int], months: Iterable[date]) -> int:
    """A unit's monthly rate below its threshold proposes a ledger issue (once per result)."""
    below = [
        r
        for r in ComplianceResult.objects.filter(
            unit_id__in=list(unit_ids),
            month__in=list(months),
            department__isnull=True,
            proposal__isnull=True,
        )
        if r.below_threshold
    ]
    now = clock.now()
    LedgerProposal.objects.bulk_create(
        [LedgerProposal(result=r, unit_id=r.unit_id, created_at=now) for r in below]
    )
    return len(below)
