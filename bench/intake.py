"""Intake under load: public submissions/s and p50/p99 with N concurrent clients against gunicorn
on PostgreSQL, beside two baselines on the same server in the same run (a bare JSON view, a bare
one-INSERT view); then zero lost and zero duplicated cases, counted in the database.

Also the idempotency check: N submissions, each retried once with the same Idempotency-Key after
a random delay → exactly N cases, numbers unique and gap-free per year.
"""

from __future__ import annotations

import json
import time
import uuid

from bench.common import Server, Worker, emit, ensure_database, psql, run_load

DB = "xn_bench_intake"
TEXT = "今天上午在门诊收费处排队一个多小时，窗口只开一个，工作人员态度生硬，请核实处理。"


def _prepare(log) -> tuple[list[int], list[str]]:
    ensure_database(DB, preset="county", log=log)
    psql("CREATE TABLE IF NOT EXISTS bench_insert (id bigserial PRIMARY KEY, body text)", DB)
    units = [int(x) for x in psql("SELECT id FROM core_unit ORDER BY id LIMIT 40", DB).split()]
    cats = psql("SELECT code FROM complaints_category WHERE is_active ORDER BY id", DB).split()
    return units, cats


def _body(run: str, c: int, i: int, rng, units, cats) -> dict:
    return {
        "type": "complaint",
        "category": cats[rng.randrange(len(cats))],
        "unit": units[rng.randrange(len(units))],
        "title": "门诊收费排队时间长",
        "content": f"{TEXT} [{run}:{c}:{i}]",
        "anonymous": False,
        "name": "张三",
        "phone": f"138{rng.randrange(10**8):08d}",
    }


def _count(run: str) -> tuple[int, int]:
    rows, distinct = psql(
        "SELECT count(*), count(DISTINCT substring(content from '\\[[^]]+\\]')) "
        f"FROM complaints_complaint WHERE content LIKE '%[{run}:%'",
        DB,
    ).split("|")
    return int(rows), int(distinct)


def _numbers_gap_free() -> dict:
    out = {}
    for line in psql(
        "SELECT substring(number, 3, 4), count(*), count(DISTINCT number), "
        "max(substring(number, 7)::int) FROM complaints_complaint GROUP BY 1 ORDER BY 1",
        DB,
    ).splitlines():
        year, n, distinct, top = line.split("|")
        out[year] = {
            "cases": int(n),
            "unique": int(n) == int(distinct),
            "gap_free": int(top) == int(n),
        }
    return out


def _pending_checks() -> int:
    return int(psql("SELECT count(*) FROM complaints_complaint WHERE duplicates_pending", DB))


def _drain_duplicate_checks(limit: float = 600) -> dict:
    """Run the task worker until every duplicate check queued by the intake is done."""
    first = pending = _pending_checks()
    started = time.monotonic()
    if pending:
        with Worker(DB):
            while pending and time.monotonic() - started < limit:
                time.sleep(0.5)
                pending = _pending_checks()
    seconds = time.monotonic() - started
    return {
        "pending_after_load": first,
        "pending_at_end": pending,
        "seconds_to_drain": round(seconds, 1),
        "per_second": round((first - pending) / seconds, 1) if first else None,
    }


def bench(*, mode: str, seconds: float, clients: int, workers: int, log=print) -> dict:
    units, cats = _prepare(log)
    run = uuid.uuid4().hex[:8]
    _drain_duplicate_checks()  # leftovers of earlier runs are not this run's work
    # The web tier alone, as on a province's web nodes; the task worker (duplicate detection)
    # starts after the load and its catch-up is reported beside the intake figures.
    with Server(DB, workers=workers) as server:
        port = server.port
        # warm every worker
        run_load(port, lambda c, i, rng: ("GET", "/bench/json", None, {}), clients=8, per_client=20)
        bare = run_load(
            port,
            lambda c, i, rng: ("GET", "/bench/json", None, {}),
            clients=clients,
            seconds=seconds,
        )
        insert = run_load(
            port,
            lambda c, i, rng: ("POST", "/bench/insert", {"content": f"{TEXT} {c}-{i}"}, {}),
            clients=clients,
            seconds=seconds,
        )

        def make(c, i, rng):
            body = _body(run, c, i, rng, units, cats)
            return "POST", "/api/v1/public/complaints", body, {"Idempotency-Key": f"{run}-{c}-{i}"}

        def after(c, i, status, payload, rng):
            if status == 201:
                return json.loads(payload)["tracking_code"]
            return None

        intake = run_load(port, make, clients=clients, seconds=seconds, after=after)
    drained = _drain_duplicate_checks()
    rows, distinct = _count(run)
    codes = set(intake.records)
    found = int(
        psql(
            "SELECT count(*) FROM complaints_complaint WHERE tracking_code = ANY(ARRAY["
            + ",".join(f"'{c}'" for c in codes)
            + "]::varchar[])",
            DB,
        )
        if codes
        else 0
    )
    i, b, j = intake.summary(), insert.summary(), bare.summary()
    figures = {
        "clients": clients,
        "seconds": seconds,
        "workers": workers,
        "intake": i,
        "baseline_insert": b,
        "baseline_json": j,
        "ratio_vs_insert": round(i["per_second"] / b["per_second"], 3) if b["per_second"] else None,
        "ratio_vs_json": round(i["per_second"] / j["per_second"], 3) if j["per_second"] else None,
        "acknowledged": len(codes),
        "lost": len(codes) - found,
        "duplicated": rows - distinct,
        "duplicate_checks": drained,
        "target": "intake ≥ 0.5 × insert baseline, p99 < 150 ms",
    }
    return emit("intake", figures, mode=mode)


def idempotency(*, mode: str, total: int, clients: int, workers: int, log=print) -> dict:
    """Each submission retried once with the same key after a random delay (0–300 ms)."""
    units, cats = _prepare(log)
    run = uuid.uuid4().hex[:8]
    shares = [total // clients + (1 if c < total % clients else 0) for c in range(clients)]
    mismatched = []

    def make(c, i, rng):
        n = i // 2
        rng_body = __import__("random").Random(f"{run}:{c}:{n}")
        body = _body(run, c, n, rng_body, units, cats)
        if i % 2:
            time.sleep(rng.uniform(0, 0.3))
        return "POST", "/api/v1/public/complaints", body, {"Idempotency-Key": f"{run}-{c}-{n}"}

    first: dict[tuple[int, int], str] = {}

    def after(c, i, status, payload, rng):
        code = json.loads(payload).get("tracking_code") if status in (200, 201) else None
        key = (c, i // 2)
        if i % 2 == 0:
            first[key] = code
        elif first.get(key) != code:
            mismatched.append(key)
        return (c, i, status)

    with Server(DB, workers=workers) as server, Worker(DB):
        # per_client counts requests: every submission is sent twice
        results = []
        import threading

        def one(c):
            results.append(
                run_load(
                    server.port,
                    lambda _c, i, rng: make(c, i, rng),
                    clients=1,
                    per_client=2 * shares[c],
                    after=lambda _c, i, s, p, rng: after(c, i, s, p, rng),
                )
            )

        threads = [threading.Thread(target=one, args=(c,)) for c in range(clients)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
    statuses: dict[str, int] = {}
    for r in results:
        for s, n in r.statuses.items():
            statuses[str(s)] = statuses.get(str(s), 0) + n
    rows, distinct = _count(run)
    numbers = _numbers_gap_free()
    passed = (
        rows == total
        and distinct == total
        and not mismatched
        and all(v["unique"] and v["gap_free"] for v in numbers.values())
    )
    return emit(
        "reliability_idempotent_retries",
        {
            "submissions": total,
            "clients": clients,
            "seconds": round(elapsed, 1),
            "statuses": statuses,
            "cases_created": rows,
            "distinct_submissions": distinct,
            "retry_answer_differs": len(mismatched),
            "numbers": numbers,
            "pass": passed,
        },
        mode=mode,
    )
