"""Dashboards and the work home at scale (in-process, Django test client, as the office sees the
whole county): every statistics source fetched through ``GET /api/v1/stats?keys=all`` (what the
dashboard page loads; also each ``/api/v1/stats/<key>`` in turn) against hand-written SQL computing the same figures
in the same run; and the work home (``/``) for the office and for the busiest unit's admin."""

from __future__ import annotations

import os
import time

from bench.common import emit, percentile, setup_django

COMPLAINTS = "FROM complaints_complaint c WHERE c.received_at >= %(since)s AND c.received_at < %(until)s AND c.status <> 'merged'"
ON_TIME = "c.status = 'closed' AND (c.resolve_by IS NULL OR c.replied_at <= c.resolve_by)"
RATED = "c.satisfaction <> ''"
SATISFIED = "c.satisfaction IN ('satisfied', 'basically_satisfied')"
RUNNING = "c.status IN ('accepted', 'dispatched', 'signed', 'handling')"
BY_UNIT = f"""
SELECT c.unit_id, u.name, count(*), count(*) FILTER (WHERE c.status = 'closed'),
       count(*) FILTER (WHERE {ON_TIME}), count(*) FILTER (WHERE {RATED}),
       count(*) FILTER (WHERE {SATISFIED})
FROM complaints_complaint c JOIN core_unit u ON u.id = c.unit_id
WHERE c.received_at >= %(since)s AND c.received_at < %(until)s AND c.status <> 'merged'
GROUP BY c.unit_id, u.name
"""
ITEMS = (
    "FROM rectification_rectificationitem i WHERE i.created_at >= %(since)s "
    "AND i.created_at < %(until)s"
)
OPEN_ITEM = "i.status IN ('pending', 'in_progress', 'close_requested', 'reopened')"
# The same figures as the registered sources (complaints, ledger, campaigns), by hand.
BASELINE = [
    # complaints.by_month
    f"SELECT date_trunc('month', c.received_at AT TIME ZONE 'Asia/Shanghai'), count(*), "
    f"count(*) FILTER (WHERE c.status = 'closed') {COMPLAINTS} GROUP BY 1",
    # complaints.by_channel
    f"SELECT c.channel, count(*) {COMPLAINTS} GROUP BY 1",
    # complaints.by_category
    f"SELECT c.category_id, count(*) {COMPLAINTS} GROUP BY 1",
    "SELECT id, name FROM complaints_category",
    # complaints.by_unit
    BY_UNIT,
    # complaints.rates
    f"SELECT count(*), count(*) FILTER (WHERE c.status = 'closed'), count(*) FILTER (WHERE {ON_TIME}), "
    f"count(*) FILTER (WHERE {RATED}), count(*) FILTER (WHERE {SATISFIED}) {COMPLAINTS}",
    f"SELECT count(*) FROM complaints_complaint c WHERE {RUNNING} AND c.resolve_by < %(now)s",
    # complaints.overdue
    f"SELECT date_trunc('month', c.resolve_by AT TIME ZONE 'Asia/Shanghai'), count(*), "
    f"count(*) FILTER (WHERE c.replied_at > c.resolve_by OR (c.replied_at IS NULL AND {RUNNING})) "
    "FROM complaints_complaint c WHERE c.status <> 'merged' AND c.resolve_by >= %(since)s "
    "AND c.resolve_by < %(now)s GROUP BY 1",
    f"SELECT count(*) FROM complaints_complaint c WHERE {RUNNING} AND c.resolve_by < %(now)s",
    # complaints.escalations
    "SELECT level, count(*) FROM complaints_escalationstep WHERE at >= %(since)s AND at < %(until)s "
    "AND level IS NOT NULL AND kind IN ('ladder', 'sign_escalation', 'manual') GROUP BY level",
    # complaints.unit_ranking
    BY_UNIT,
    # ledger.by_unit
    f"SELECT i.responsible_unit_id, u.name, count(*), count(*) FILTER (WHERE i.status = 'closed'), "
    f"count(*) FILTER (WHERE {OPEN_ITEM} AND i.deadline < %(now)s) "
    f"FROM rectification_rectificationitem i JOIN core_unit u ON u.id = i.responsible_unit_id "
    "WHERE i.created_at >= %(since)s AND i.created_at < %(until)s GROUP BY 1, 2",
    # ledger.by_campaign
    f"SELECT iss.campaign_id, count(*), count(*) FILTER (WHERE i.status = 'closed'), "
    f"count(*) FILTER (WHERE {OPEN_ITEM} AND i.deadline < %(now)s) "
    "FROM rectification_rectificationitem i JOIN rectification_issue iss ON iss.id = i.issue_id "
    "WHERE i.created_at >= %(since)s AND i.created_at < %(until)s GROUP BY 1",
    # campaigns.completion
    "SELECT r.campaign_id, cp.name, count(*), "
    "count(*) FILTER (WHERE s.status IN ('submitted', 'late', 'accepted')), "
    "count(*) FILTER (WHERE s.status IN ('pending', 'returned') AND s.due_on < %(today)s) "
    "FROM campaigns_submission s JOIN campaigns_reportingrequirement r ON r.id = s.requirement_id "
    "JOIN campaigns_campaign cp ON cp.id = r.campaign_id "
    "WHERE s.due_on >= %(start)s AND s.due_on <= %(today)s GROUP BY 1, 2",
]


def _timed(fn, reps: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()  # warm caches (calendar, rules, categories)
    times, queries = [], 0
    for _ in range(reps):
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        queries = max(queries, len(ctx.captured_queries))
    times.sort()
    return {
        "p50_ms": round(percentile(times, 50) * 1000, 1),
        "p95_ms": round(percentile(times, 95) * 1000, 1),
        "queries": queries,
    }


def _rollup() -> dict:
    """The complaint and ledger rollups (issue #13): each built here when missing (timed;
    BENCH_ROLLUP_REBUILD=1 forces it), then one incremental refresh as the worker runs it every
    five minutes."""
    from xiaoneng.complaints import rollup
    from xiaoneng.rectification import rollup as ledger

    out: dict = {}
    for prefix, module, model in (
        ("rollup", rollup, rollup.ComplaintRollup),
        ("ledger_rollup", ledger, ledger.LedgerRollup),
    ):
        rebuild_s = None
        if os.environ.get("BENCH_ROLLUP_REBUILD") == "1" or module.as_of() is None:
            t = time.perf_counter()
            module.rebuild()
            rebuild_s = round(time.perf_counter() - t, 1)
        t = time.perf_counter()
        refreshed = module.refresh_dirty()
        out.update(
            {
                f"{prefix}_rebuild_s": rebuild_s
                if rebuild_s is not None
                else os.environ.get(f"BENCH_{prefix.upper()}_REBUILD_S"),
                f"{prefix}_refresh_s": round(time.perf_counter() - t, 2),
                f"{prefix}_refresh_months": refreshed["months"],
                f"{prefix}_rows": model.objects.count(),
            }
        )
    return out


def bench(*, mode: str, db: str, reps: int) -> list[dict]:
    setup_django(db)
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from xiaoneng.complaints.models import Complaint
    from xiaoneng.core import clock
    from xiaoneng.core import statistics as registry
    from xiaoneng.core.models import User
    from xiaoneng.rectification.models import RectificationItem
    from xiaoneng.reports import params as filters

    office = User.objects.filter(username__endswith="-office1", roles__code="office").first()
    busiest = (
        Complaint.objects.filter(status__in=["dispatched", "signed", "handling"])
        .values("unit")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    admin = User.objects.filter(roles__code="unit_admin", person__unit_id=busiest["unit"]).first()
    params = filters.parse(office, {}, today=filters.today())
    sources = registry.sources_for(office)
    office_client = Client()
    office_client.force_login(office)
    admin_client = Client()
    admin_client.force_login(admin)
    query = {"start": params.start.isoformat(), "end": params.end.isoformat()}

    def dashboard():  # what the page loads: every source's table in one request
        response = office_client.get("/api/v1/stats", {**query, "keys": "all"})
        assert response.status_code == 200, response.status_code
        assert len(response.json()["tables"]) == len(sources)

    def one_by_one():
        for source in sources:
            response = office_client.get(f"/api/v1/stats/{source.key}", query)
            assert response.status_code == 200, (source.key, response.status_code)

    sql_params = {
        "since": params.since,
        "until": params.until,
        "now": clock.now(),
        "today": filters.today(),
        "start": params.start,
    }

    def baseline():
        with connection.cursor() as cursor:
            for sql in BASELINE:
                cursor.execute(sql, sql_params)
                cursor.fetchall()

    def selectors_only():
        with registry.batch():  # as the API runs them
            for source in sources:
                source.run(office, params)

    rollup_figures = _rollup()
    page = _timed(dashboard, reps)
    serial = _timed(one_by_one, max(3, reps // 4))
    inner = _timed(selectors_only, reps)
    base = _timed(baseline, reps)
    per_source = {}
    for source in sources:
        per_source[source.key] = _timed(lambda s=source: s.run(office, params), max(3, reps // 4))[
            "p95_ms"
        ]
    out = [
        emit(
            "stats_dashboard_county_wide",
            {
                "complaints_in_db": Complaint.objects.count(),
                "items_in_db": RectificationItem.objects.count(),
                "sources": len(sources),
                "period": f"{params.start} … {params.end}",
                **page,
                "baseline_sql_p50_ms": base["p50_ms"],
                "baseline_sql_p95_ms": base["p95_ms"],
                "baseline_queries": len(BASELINE),
                "ratio_p95_vs_sql": round(page["p95_ms"] / base["p95_ms"], 2)
                if base["p95_ms"]
                else None,
                "selectors_p50_ms": inner["p50_ms"],
                "selectors_p95_ms": inner["p95_ms"],
                "selectors_queries": inner["queries"],
                "ratio_selectors_p95_vs_sql": round(inner["p95_ms"] / base["p95_ms"], 2)
                if base["p95_ms"]
                else None,
                "source_p95_ms": per_source,
                **rollup_figures,
                "one_by_one_p95_ms": serial["p95_ms"],
                "note": "p50/p95: GET /api/v1/stats?keys=all (the page's one request); "
                "one_by_one: each /api/v1/stats/<key> in turn; selectors_*: the sources without "
                "HTTP (session, auth, JSON); complaint and ledger sources read whole past months from "
                "their rollups (complaints.rollup, rectification.rollup), the current month live; "
                "per-unit figures and the overdue count shared by the sources of one request; rollup_rebuild_s: `xiaoneng "
                "stats-rebuild` (from an earlier step of the same run when given by env)",
                "target": "whole dashboard (every source through the API) < 1 s county-wide",
            },
            mode=mode,
        )
    ]

    def home(client):
        def run():
            assert client.get("/").status_code == 200

        return run

    office_home = _timed(home(office_client), reps)
    admin_home = _timed(home(admin_client), reps)

    def layout_only():  # the same layout, session and auth, no counts: the inbox page
        assert office_client.get("/inbox/").status_code == 200

    bare = _timed(layout_only, reps)
    out.append(
        emit(
            "page_work_home",
            {
                "complaints_in_db": Complaint.objects.count(),
                "office_p50_ms": office_home["p50_ms"],
                "office_p95_ms": office_home["p95_ms"],
                "office_queries": office_home["queries"],
                "unit_admin_p50_ms": admin_home["p50_ms"],
                "unit_admin_p95_ms": admin_home["p95_ms"],
                "unit_admin_queries": admin_home["queries"],
                "baseline_inbox_page_p50_ms": bare["p50_ms"],
                "baseline_inbox_page_p95_ms": bare["p95_ms"],
                "ratio_office_p95_vs_inbox_page": round(office_home["p95_ms"] / bare["p95_ms"], 2)
                if bare["p95_ms"]
                else None,
                "target": "p95 < 200 ms; query count constant (tested in reports/tests/test_home.py)",
            },
            mode=mode,
        )
    )
    return out
