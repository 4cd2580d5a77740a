"""Pages at scale: p50/p95 latency and SQL query count of the staff pages, against a hand-written
SQL query fetching the same result set; query counts measured at two page sizes (or a short and
a long timeline) must be equal. Runs in-process (Django test client) on a loaded database."""

from __future__ import annotations

import time
from contextlib import contextmanager
from itertools import islice

from bench.common import emit, percentile, setup_django


def _timed(fn, reps: int):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()  # warm caches (calendar, rules, templates)
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


@contextmanager
def page_size(module, n: int):
    old = module.PAGE_SIZE
    module.PAGE_SIZE = n
    try:
        yield
    finally:
        module.PAGE_SIZE = old


def _sql(query: str, params=()):
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            for q in query.split(";"):
                if q.strip():
                    cursor.execute(q, params)
                    cursor.fetchall()

    return run


LIST_SQL = """
SELECT count(*) FROM complaints_complaint c WHERE {where};
SELECT c.id, c.number, c.title, c.type, c.status, c.channel, c.received_at, c.resolve_by,
       c.paused_at, c.clock_started_at, su.name, u.name, d.name, cat.name, h.name, p.code
FROM complaints_complaint c
JOIN core_unit su ON su.id = c.subject_unit_id
LEFT JOIN core_unit u ON u.id = c.unit_id
LEFT JOIN core_department d ON d.id = c.department_id
JOIN complaints_category cat ON cat.id = c.category_id
LEFT JOIN core_person h ON h.id = c.handler_id
LEFT JOIN complaints_slapolicy p ON p.id = c.sla_policy_id
WHERE {where} ORDER BY {order} LIMIT 20
"""
# What the case page shows (issue #18: the baseline fetched the case with 4 of its 8 related
# names and no attachments, suggestions or extensions): the case with every name it shows,
# the timeline with its actors, escalations with their people, extensions with their users,
# attachments, duplicate suggestions in both directions with both cases, and (more than the
# page, which counts them) the audit records.
DETAIL_SQL = """
SELECT c.*, su.name, sd.name, sp.name, u.name, d.name, h.name, cat.name, p.name
FROM complaints_complaint c
JOIN core_unit su ON su.id = c.subject_unit_id
LEFT JOIN core_department sd ON sd.id = c.subject_department_id
LEFT JOIN core_person sp ON sp.id = c.subject_person_id
LEFT JOIN core_unit u ON u.id = c.unit_id
LEFT JOIN core_department d ON d.id = c.department_id
LEFT JOIN core_person h ON h.id = c.handler_id
JOIN complaints_category cat ON cat.id = c.category_id
LEFT JOIN complaints_slapolicy p ON p.id = c.sla_policy_id
WHERE c.id = %(id)s;
SELECT e.*, a.username FROM complaints_complaintevent e LEFT JOIN core_user a ON a.id = e.actor_id
  WHERE e.complaint_id = %(id)s ORDER BY e.at, e.id;
SELECT s.*, pe.name FROM complaints_escalationstep s LEFT JOIN core_person pe ON pe.id = s.person_id
  WHERE s.complaint_id = %(id)s ORDER BY s.at, s.id;
SELECT x.*, rb.username, db.username FROM complaints_extensionrequest x
  LEFT JOIN core_user rb ON rb.id = x.requested_by_id LEFT JOIN core_user db ON db.id = x.decided_by_id
  WHERE x.complaint_id = %(id)s ORDER BY x.requested_at;
SELECT f.* FROM core_storedfile f JOIN complaints_complaint_attachments a ON a.storedfile_id = f.id
  WHERE a.complaint_id = %(id)s;
SELECT ds.*, c1.number, c1.title, c1.status, c1.received_at, u1.name,
       c2.number, c2.title, c2.status, c2.received_at, u2.name
FROM complaints_duplicatesuggestion ds
JOIN complaints_complaint c1 ON c1.id = ds.complaint_id JOIN core_unit u1 ON u1.id = c1.subject_unit_id
JOIN complaints_complaint c2 ON c2.id = ds.candidate_id JOIN core_unit u2 ON u2.id = c2.subject_unit_id
WHERE ds.complaint_id = %(id)s OR ds.candidate_id = %(id)s ORDER BY ds.status, ds.score DESC, ds.id;
SELECT * FROM core_auditrecord WHERE object_type = 'complaints.complaint'
  AND object_id = %(sid)s ORDER BY at DESC
"""
# What the ledger page shows (issue #18: the baseline had a COUNT and the page, not the header's
# counts, the per-unit table or the filter's lists): the header counts (total, closed, overdue,
# yellow, close-out requested), the same counts per unit, the 20 rows, the units and campaigns
# of the filter.
LEDGER_OPEN = "('pending','in_progress','close_requested','reopened')"
LEDGER_SQL = f"""
SELECT count(*), count(*) FILTER (WHERE i.status = 'closed'),
  count(*) FILTER (WHERE i.deadline < %(now)s AND i.status IN {LEDGER_OPEN}),
  count(*) FILTER (WHERE i.status IN {LEDGER_OPEN} AND i.deadline >= %(now)s
                   AND i.yellow_at <= %(now)s),
  count(*) FILTER (WHERE i.status = 'close_requested')
FROM rectification_rectificationitem i JOIN core_unit u
  ON u.id = i.responsible_unit_id WHERE u.path LIKE %(path)s;
SELECT i.responsible_unit_id, u.name, count(*), count(*) FILTER (WHERE i.status = 'closed'),
  count(*) FILTER (WHERE i.deadline < %(now)s AND i.status IN {LEDGER_OPEN})
FROM rectification_rectificationitem i JOIN core_unit u ON u.id = i.responsible_unit_id
WHERE u.path LIKE %(path)s GROUP BY 1, 2 ORDER BY 1;
SELECT i.*, iss.number, iss.title, u.name, d.name, p.name, l.name
FROM rectification_rectificationitem i JOIN rectification_issue iss ON iss.id = i.issue_id
JOIN core_unit u ON u.id = i.responsible_unit_id
LEFT JOIN core_department d ON d.id = i.responsible_department_id
LEFT JOIN core_person p ON p.id = i.responsible_person_id
LEFT JOIN core_person l ON l.id = i.responsible_leader_id
WHERE u.path LIKE %(path)s ORDER BY i.deadline, i.id LIMIT 20;
SELECT id, name, depth FROM core_unit WHERE is_active ORDER BY path;
SELECT id, name FROM campaigns_campaign ORDER BY id DESC
"""
EXPORT_SQL = """
SELECT i.number, iss.source, iss.description, i.type, i.measures, i.target, i.deadline, u.name,
       p.name, i.responsible_person_name, l.name, i.responsible_leader_name, i.latest_progress,
       i.status, i.closed_at
FROM rectification_rectificationitem i JOIN rectification_issue iss ON iss.id = i.issue_id
JOIN core_unit u ON u.id = i.responsible_unit_id
LEFT JOIN core_person p ON p.id = i.responsible_person_id
LEFT JOIN core_person l ON l.id = i.responsible_leader_id
ORDER BY u.path, i.issue_id, i.id LIMIT 10000
"""


def bench(*, mode: str, db: str, reps: int, log=print) -> list[dict]:
    setup_django(db)
    from django.db.models import Count
    from django.test import Client

    from xiaoneng.complaints.models import Complaint
    from xiaoneng.complaints.views import queues as complaint_views  # holds PAGE_SIZE
    from xiaoneng.core.models import User

    office = User.objects.filter(username__endswith="-office1", roles__code="office").first()
    busiest = (
        Complaint.objects.filter(status__in=["signed", "handling", "paused"])
        .values("unit")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    unit_id = busiest["unit"]
    admin = User.objects.filter(roles__code="unit_admin", person__unit_id=unit_id).first()
    rows = Complaint.objects.count()

    def client_for(user):
        c = Client()
        c.force_login(user)
        return c

    office_client, admin_client = client_for(office), client_for(admin)

    def get(client, url):
        def run():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return run

    out = []
    # Office queue
    queue_where = "TRUE"
    for name, client, url, module, baseline, params in [
        (
            "office_queue",
            office_client,
            "/complaints/",
            complaint_views,
            LIST_SQL.format(where=queue_where, order="c.received_at DESC, c.id DESC"),
            {},
        ),
        (
            "unit_queue",
            admin_client,
            "/complaints/unit/?tab=handling",
            complaint_views,
            LIST_SQL.format(
                where="c.unit_id = %(unit)s AND c.status IN ('signed','handling','paused')",
                order="c.resolve_by, c.id",
            ),
            {"unit": unit_id},
        ),
    ]:
        page = _timed(get(client, url), reps)
        base = _timed(_sql(baseline, params), reps)
        with page_size(module, 5):
            small = _timed(get(client, url), 2)["queries"]
        with page_size(module, 100):
            large = _timed(get(client, url), 2)["queries"]
        out.append(_line(name, page, base, small, large, rows, mode))
    # Complaint detail: two closed cases, a short timeline (closed after the reply) and a long
    # one (verified and visited too): same state, same actions, more rows shown.
    long_case = Complaint.objects.filter(status="closed", verification="true").order_by("-id")[0]
    short_case = Complaint.objects.filter(status="closed", verification="").order_by("-id")[0]
    page = _timed(get(office_client, f"/complaints/{long_case.pk}/"), reps)
    base = _timed(_sql(DETAIL_SQL, {"id": long_case.pk, "sid": str(long_case.pk)}), reps)
    small = _timed(get(office_client, f"/complaints/{short_case.pk}/"), 2)["queries"]
    out.append(
        _line("complaint_detail", page, base, small, page["queries"], rows, mode, "timeline 7 vs 9")
    )
    out += _ledger(mode, reps, office, office_client, get, rows)
    return out


def _ledger(mode, reps, office, office_client, get, rows) -> list[dict]:
    try:
        from xiaoneng.rectification import excel
        from xiaoneng.rectification import views as ledger_views
        from xiaoneng.rectification.models import RectificationItem
    except ImportError:
        return []
    items = RectificationItem.objects.count()
    if not items:
        return []
    from django.db.models import Count

    from xiaoneng.core.models import Unit

    unit_id = (
        RectificationItem.objects.values("responsible_unit")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()["responsible_unit"]
    )
    path = Unit.objects.get(pk=unit_id).path
    url = f"/rectification/?unit={unit_id}"
    page = _timed(get(office_client, url), reps)
    from django.utils import timezone

    base = _timed(_sql(LEDGER_SQL, {"path": path + "%", "now": timezone.now()}), reps)
    with page_size(ledger_views, 5):
        small = _timed(get(office_client, url), 2)["queries"]
    with page_size(ledger_views, 100):
        large = _timed(get(office_client, url), 2)["queries"]
    out = [_line("ledger_list_by_unit", page, base, small, large, items, mode)]

    def export(n):
        def run():
            from xiaoneng.core.scope import scoped

            qs = scoped(office, RectificationItem)
            excel.build_workbook_bytes(islice(excel.export_rows(qs), n))

        return run

    page = _timed(export(10_000), max(3, reps // 10))
    base = _timed(_sql(EXPORT_SQL), max(3, reps // 10))
    small = _timed(export(1_000), 1)["queries"]
    # Streamed a chunk of 50 units per query (tree order without sorting the whole ledger): the
    # count grows by one per chunk, never per row.
    note = "1,000 vs 10,000 rows; one query per 50 units"
    out.append(_line("ledger_export_10000", page, base, small, page["queries"], items, mode, note))
    return out


def _line(name, page, base, q_small, q_large, rows, mode, note="page size 5 vs 100"):
    return emit(
        f"page_{name}",
        {
            "rows_in_db": rows,
            **page,
            "baseline_sql_p50_ms": base["p50_ms"],
            "baseline_sql_p95_ms": base["p95_ms"],
            "ratio_p95_vs_sql": round(page["p95_ms"] / base["p95_ms"], 2)
            if base["p95_ms"]
            else None,
            "queries_small": q_small,
            "queries_large": q_large,
            "queries_constant": q_small == q_large,
            "query_count_check": note,
            "target": "p95 < 200 ms, ≤ 1.5 × SQL, constant query count",
        },
        mode=mode,
    )
