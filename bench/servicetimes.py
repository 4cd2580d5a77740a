"""Service time limits at scale: ingest of N synthetic events (Parquet in) into the unit/month
partitions and the full-year compliance computation, each against a hand-written DuckDB query
over the same Parquet in the same run; then one more month imported and recomputed alone
(incremental); peak memory of the process (ru_maxrss: Python and DuckDB).

quick: 1,000,000 events; full: 50,000,000 (a province's year). Targets: ingest ≤ 1.5 × the
baseline, compliance ≤ 1.2 ×, memory < 4 GB. The results written to the database are rolled
back; the Parquet store is a temporary directory.
"""

from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path

from bench.common import emit, setup_django

BASE_INGEST = """
COPY (
    SELECT 'his' AS source, r."就诊号" AS encounter, r."事件" AS event,
           CAST(r."时间" AS TIMESTAMP) AS ts, d.id AS department_id, r."工号" AS staff,
           u.id AS unit_id, strftime(CAST(r."时间" AS TIMESTAMP), '%Y-%m') AS month
    FROM read_parquet('{src}') r JOIN units u ON u.code = r."机构编码"
    LEFT JOIN depts d ON d.unit_id = u.id AND d.name = r."科室"
) TO '{out}' (FORMAT parquet, PARTITION_BY (unit_id, month), COMPRESSION zstd)
"""

BASE_COMPLIANCE = """
WITH ev AS (SELECT * FROM read_parquet('{out}/*/*/*.parquet', hive_partitioning = true)),
s AS (SELECT e.*, r.standard_id, r.limit_s FROM ev e JOIN rules r
      ON r.unit_id = e.unit_id AND e.event = r.start_event),
n AS (SELECT e.*, r.standard_id FROM ev e JOIN rules r
      ON r.unit_id = e.unit_id AND e.event = r.end_event),
c AS (SELECT s.standard_id, s.unit_id, s.department_id, s.month, s.limit_s,
             epoch(n.ts - s.ts) AS dur
      FROM s LEFT JOIN n ON n.standard_id = s.standard_id AND n.unit_id = s.unit_id
       AND n.encounter = s.encounter AND n.ts >= s.ts)
SELECT standard_id, unit_id, department_id, month, count(*), count(*) FILTER (WHERE dur <= limit_s),
       quantile_cont(dur, 0.5), quantile_cont(dur, 0.9)
FROM c GROUP BY GROUPING SETS ((standard_id, unit_id, month, department_id),
                               (standard_id, unit_id, month))
"""


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench(*, mode: str, db: str, events: int) -> dict:
    setup_django(db)
    from django.conf import settings
    from django.db import transaction

    from xiaoneng.servicetimes import engine, generate, ingest, storage
    from xiaoneng.servicetimes.models import LogSource

    tmp = Path(tempfile.mkdtemp(prefix="xn-servicetimes-"))
    settings.SERVICELOG_DIR = tmp / "store"
    places = generate.places_from_db()
    standards = generate.standards_from_db()
    source = LogSource.objects.get(code="his")
    src = tmp / "year.parquet"
    t = time.perf_counter()
    n = generate.generate(src, events=events, places=places, standards=standards, fmt="parquet",
                          year=2025, months=12)  # fmt: skip
    gen_s = time.perf_counter() - t

    # baseline ingest: the same file to the same partition layout by one hand-written query
    con = storage.connect()
    ingest._reference_tables(con)
    base_out = tmp / "baseline"
    t = time.perf_counter()
    con.execute(BASE_INGEST.format(src=src, out=base_out))
    base_ingest_s = time.perf_counter() - t

    t = time.perf_counter()
    out = ingest.ingest(path=src, kind=ingest.PARQUET, source=source, import_id=1)
    ingest_s = time.perf_counter() - t
    assert not out.error_count, out.errors[:3]

    units = sorted({u for u, _m in out.partitions})
    rules = engine.rules_for(units)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE rules (standard_id BIGINT, unit_id BIGINT, "
        "start_event VARCHAR, end_event VARCHAR, limit_s DOUBLE, excluded BOOLEAN)"
    )
    con.executemany("INSERT INTO rules VALUES (?, ?, ?, ?, ?, ?)", [
        (r.standard_id, r.unit_id, r.start_event, r.end_event, r.limit_minutes * 60.0, r.excluded)
        for r in rules
    ])  # fmt: skip
    t = time.perf_counter()
    base_rows = len(con.execute(BASE_COMPLIANCE.format(out=base_out)).fetchall())
    base_compliance_s = time.perf_counter() - t

    with transaction.atomic():
        t = time.perf_counter()
        figures = engine.recompute(None)
        compliance_s = time.perf_counter() - t

        month_src = tmp / "month.parquet"
        generate.generate(month_src, events=max(2, events // 12), places=places,
                          standards=standards, fmt="parquet", year=2026, months=1, seed=2)  # fmt: skip
        t = time.perf_counter()
        more = ingest.ingest(path=month_src, kind=ingest.PARQUET, source=source, import_id=2)
        month_ingest_s = time.perf_counter() - t
        t = time.perf_counter()
        incremental = engine.recompute(more.partitions)
        month_recompute_s = time.perf_counter() - t
        transaction.set_rollback(True)

    store_mb = sum(f.stat().st_size for f in (tmp / "store").rglob("*.parquet")) / 1e6
    import shutil

    shutil.rmtree(tmp, ignore_errors=True)
    peak_mb = _rss_mb()
    return emit(
        "servicetimes",
        {
            "events": n,
            "units": len(units),
            "departments": len(places),
            "generate_seconds": round(gen_s, 2),
            "ingest_seconds": round(ingest_s, 2),
            "ingest_baseline_seconds": round(base_ingest_s, 2),
            "ingest_ratio": round(ingest_s / base_ingest_s, 2),
            "ingest_events_per_second": round(n / ingest_s),
            "compliance_seconds": round(compliance_s, 2),
            "compliance_baseline_seconds": round(base_compliance_s, 2),
            "compliance_ratio": round(compliance_s / base_compliance_s, 2),
            "results": figures["created"] + figures["updated"],
            "baseline_groups": base_rows,
            "proposals": figures["proposed"],
            "month_events": more.added,
            "month_ingest_seconds": round(month_ingest_s, 2),
            "month_recompute_seconds": round(month_recompute_s, 2),
            "month_results": incremental["created"] + incremental["updated"],
            "store_mb": round(store_mb, 1),
            "peak_rss_mb": round(peak_mb),
            "memory_ok": peak_mb < 4096,
        },
        mode=mode,
    )
