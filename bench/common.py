"""Shared pieces of the benchmarks: databases, the server under test, a load generator, output."""

from __future__ import annotations

import http.client
import json
import os
import platform
import random
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = str(REPO / ".venv" / "bin" / "python")
RESULTS = REPO / "bench" / "results"
LOGS = REPO / "var" / "bench"  # server logs (not results)
LOGS.mkdir(parents=True, exist_ok=True)
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
ENV = {
    "XIAONENG_ENV": "production",
    "SECRET_KEY": "xn-bench-secret-key",
    "XIAONENG_FIELD_KEY": "xn-bench-field-key",
    "XIAONENG_RATELIMIT_ENABLED": "false",
    "SESSION_COOKIE_SECURE": "false",
    "XIAONENG_SSL_REDIRECT": "false",  # plain HTTP on 127.0.0.1 (production redirects to https)
    "LOG_LEVEL": "WARNING",
    # The province setup: the task queue and the cache in Redis (a database of its own).
    "REDIS_URL": os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/15"),
}


def db_url(name: str) -> str:
    return f"{PG}/{name}"


def env_for(db: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(ENV)
    env["DATABASE_URL"] = db_url(db)
    env["PYTHONPATH"] = f"{REPO / 'src'}{os.pathsep}{REPO}"
    env.update(extra)
    return env


def setup_django(db: str, settings: str = "xiaoneng.settings") -> None:
    """Configure Django in this process against database `db` (production settings)."""
    os.environ.update(env_for(db))
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    for p in (str(REPO / "src"), str(REPO)):
        if p not in sys.path:
            sys.path.insert(0, p)
    import django

    django.setup()


def psql(sql: str, db: str = "postgres") -> str:
    out = subprocess.run(
        ["psql", db_url(db), "-Atc", sql], capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def database_exists(name: str) -> bool:
    return psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"


def manage(db: str, *args: str, **extra: str) -> str:
    out = subprocess.run(
        [PYTHON, "-m", "xiaoneng.manage", *args],
        env=env_for(db, **extra),
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise RuntimeError(f"manage {' '.join(args)} failed:\n{out.stderr[-3000:]}")
    return out.stdout


def ensure_database(name: str, *, preset: str | None = None, fresh: bool = False, log=print):
    """Create and migrate `name`; load `preset` scale data unless it is already there."""
    if fresh and database_exists(name):
        psql(f'DROP DATABASE "{name}" WITH (FORCE)')
    if not database_exists(name):
        psql(f'CREATE DATABASE "{name}"')
    manage(name, "migrate", "-v0")
    if preset and psql("SELECT count(*) FROM core_unit WHERE code LIKE 'GS1%'", name) == "0":
        log(f"# loading the {preset} preset into {name} …")
        started = time.monotonic()
        out = manage(name, "gen_scale", "--preset", preset, "--seed", "1")
        summary = json.loads(out.strip().splitlines()[-1])
        summary["wall_seconds"] = round(time.monotonic() - started, 1)
        return summary
    return None


# --- the server under test ------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen | None) -> None:
    """End a process group started with start_new_session: TERM, then KILL after 20 s."""
    if proc and proc.poll() is None:
        os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()


@dataclass
class Server:
    db: str
    workers: int = 4
    settings: str = "bench.settings"
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None
    extra_env: dict = field(default_factory=dict)
    probe: str = "/bench/json"  # a GET that answers 200 once the server is up

    def __enter__(self) -> Server:
        gunicorn = shutil.which("gunicorn", path=str(REPO / ".venv" / "bin")) or "gunicorn"
        env = env_for(self.db, DJANGO_SETTINGS_MODULE=self.settings, **self.extra_env)
        self.proc = subprocess.Popen(
            [
                gunicorn,
                "xiaoneng.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--no-control-socket",
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=str(REPO),
            stdout=subprocess.DEVNULL,
            stderr=open(LOGS / f"gunicorn-{self.port}.log", "w"),
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _ = request("GET", self.port, self.probe)
                if status == 200:
                    return self
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError("gunicorn exited at start (see var/bench/gunicorn-*.log)")
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def __exit__(self, *exc) -> None:
        stop(self.proc)


@dataclass
class Worker:
    """The task worker beside the server under test (`xiaoneng worker`), as in production."""

    db: str
    threads: int = 2
    proc: subprocess.Popen | None = None

    def __enter__(self) -> Worker:
        env = env_for(self.db, DJANGO_SETTINGS_MODULE="xiaoneng.settings")
        self.proc = subprocess.Popen(
            [PYTHON, "-m", "xiaoneng.manage", "worker", "--workers", str(self.threads)],
            env=env,
            cwd=str(REPO),
            stdout=subprocess.DEVNULL,
            stderr=open(LOGS / f"worker-{self.db}.log", "w"),
            start_new_session=True,
        )
        return self

    def __exit__(self, *exc) -> None:
        stop(self.proc)


def request(method: str, port: int, path: str, body=None, headers=None, timeout=30):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        hdrs = {"Content-Type": "application/json", **(headers or {})}
        conn.request(method, path, body=data, headers=hdrs)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


# --- load -----------------------------------------------------------------------------------------
@dataclass
class LoadResult:
    latencies: list[float]
    statuses: dict[int, int]
    seconds: float
    errors: int
    records: list = field(default_factory=list)

    @property
    def ok(self) -> int:
        return sum(n for s, n in self.statuses.items() if 200 <= s < 300)

    def summary(self) -> dict:
        lat = sorted(self.latencies)
        return {
            "requests": len(lat),
            "ok": self.ok,
            "per_second": round(self.ok / self.seconds, 1) if self.seconds else 0,
            "p50_ms": round(percentile(lat, 50) * 1000, 1),
            "p99_ms": round(percentile(lat, 99) * 1000, 1),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "errors": self.errors,
        }


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return 0.0
    k = min(len(sorted_values) - 1, max(0, round(p / 100 * (len(sorted_values) - 1))))
    return sorted_values[k]


def run_load(
    port: int,
    make: Callable[[int, int, random.Random], tuple[str, str, dict | None, dict]],
    *,
    clients: int,
    seconds: float | None = None,
    per_client: int | None = None,
    after: Callable | None = None,
) -> LoadResult:
    """`clients` threads send make(client, i, rng) → (method, path, body, headers) requests for
    `seconds`, or `per_client` requests each; `after(client, i, status, body, rng)` may add
    a follow-up (it returns a record kept in LoadResult.records)."""
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    records: list = []
    errors = 0
    start = time.monotonic()
    stop_at = start + seconds if seconds else None

    def worker(c: int) -> None:
        nonlocal errors
        rng = random.Random(c)
        i = 0
        local_lat, local_status, local_records, local_err = [], {}, [], 0
        while True:
            if stop_at and time.monotonic() >= stop_at:
                break
            if per_client is not None and i >= per_client:
                break
            method, path, body, headers = make(c, i, rng)
            t = time.perf_counter()
            try:
                status, payload = request(method, port, path, body, headers)
            except OSError:
                local_err += 1
                status, payload = 0, b""
            local_lat.append(time.perf_counter() - t)
            local_status[status] = local_status.get(status, 0) + 1
            if after is not None:
                rec = after(c, i, status, payload, rng)
                if rec is not None:
                    local_records.append(rec)
            i += 1
        with lock:
            latencies.extend(local_lat)
            for s, n in local_status.items():
                statuses[s] = statuses.get(s, 0) + n
            records.extend(local_records)
            errors += local_err

    threads = [threading.Thread(target=worker, args=(c,)) for c in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return LoadResult(latencies, statuses, time.monotonic() - start, errors, records)


# --- output ---------------------------------------------------------------------------------------
def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    load = f", load {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    return f"{os.cpu_count()} CPU {cpu}{mem}{load}"


def emit(name: str, figures: dict, *, mode: str) -> dict:
    """Print one JSON line and append it to bench/results/<mode>.jsonl."""
    line = {
        "bench": name,
        "mode": mode,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        **figures,
    }
    text = json.dumps(line, ensure_ascii=False)
    print(text, flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    with open(RESULTS / f"{mode}.jsonl", "a", encoding="utf-8") as fh:
        fh.write(text + "\n")
    return line
