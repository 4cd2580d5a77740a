"""PostgreSQL restart under load, simulated without touching the system server: every backend
of the app's database is terminated (pg_terminate_backend) several times while clients keep
sending requests. Pass: no 500 responses (only 2xx or 503 problem+json) and, after the outage,
every request succeeds again without restarting the app."""

from __future__ import annotations

import threading
import time

from bench.common import Server, emit, psql, run_load
from bench.intake import DB, _body, _prepare


def bench(*, mode: str, seconds: float, clients: int, workers: int, log=print) -> dict:
    units, cats = _prepare(log)
    stop = threading.Event()
    kills = []

    def killer():
        time.sleep(seconds / 4)
        while not stop.is_set():
            n = psql(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                f"WHERE datname = '{DB}' AND pid <> pg_backend_pid()"
            )
            kills.append(int(n or 0))
            time.sleep(0.5)

    def make(c, i, rng):
        if i % 2:
            return "GET", "/api/v1/public/categories", None, {}
        return "POST", "/api/v1/public/complaints", _body("outage", c, i, rng, units, cats), {}

    with Server(DB, workers=workers) as server:
        thread = threading.Thread(target=killer)
        thread.start()
        during = run_load(server.port, make, clients=clients, seconds=seconds)
        stop.set()
        thread.join()
        time.sleep(1)
        after = run_load(server.port, make, clients=clients, seconds=max(3.0, seconds / 3))
    d, a = during.summary(), after.summary()
    passed = "500" not in d["statuses"] and set(a["statuses"]) <= {"200", "201"}
    return emit(
        "reliability_db_outage",
        {
            "backends_terminated": sum(kills),
            "terminate_rounds": len(kills),
            "during": d["statuses"],
            "after": a["statuses"],
            "pass": passed,
        },
        mode=mode,
    )
