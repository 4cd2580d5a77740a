"""API fuzzing: schemathesis against the product's OpenAPI schema (/api/schema/) on gunicorn,
authenticated as an office user (bearer token). Pass: no 5xx, every response conforms to the
schema (checks not_a_server_error, response_schema_conformance), no errored test case.

schemathesis runs from its own virtualenv (.venv-bench/, requirements/bench.lock, `make bench`):
it pulls hypothesis and a pytest plugin that must stay out of the test suite's .venv.

The fuzzer writes (units, people, campaigns, complaint transitions …) with a token that may
manage the organisation, so it has a database of its own (xn_bench_api, county preset) and never
alters the one the intake figures are measured on. Reports: bench/results/schemathesis.xml
(JUnit), schemathesis.json (run report), schemathesis.log (console output with each failure's
request, response and curl line); the server's log is var/bench/gunicorn-<port>.log.

    python -m bench.api_fuzz [--full] [--examples N] [--seed N]    (bench/schemathesis.sh)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import time
from http import HTTPStatus

from bench.common import LOGS, REPO, RESULTS, Server, emit, ensure_database, request

DB = "xn_bench_api"
SCHEMATHESIS = REPO / ".venv-bench" / "bin" / "schemathesis"
USER, PASSWORD = "GS1-office1", "Scale-pass-2026"
CHECKS = "not_a_server_error,response_schema_conformance"
# Revoking would end the token every later request authenticates with.
EXCLUDE_PATHS = ["/api/v1/auth/token/revoke", "/api/v1/auth/token/revoke-all"]
# quick skips the coverage phase (boundary values for every parameter: most of a full run's time)
PHASES = {
    "quick": "examples,fuzzing,stateful",
    "full": "examples,coverage,fuzzing,stateful",
}
TARGET = "no 5xx; every response conforms to /api/schema/"
TIMEOUT = 3600  # seconds for the whole schemathesis run
JUNIT = RESULTS / "schemathesis.xml"
REPORT = RESULTS / "schemathesis.json"
CONSOLE = RESULTS / "schemathesis.log"
_5XX = "|".join(re.escape(s.phrase) for s in HTTPStatus if s >= 500)
SERVER_5XX = re.compile(rf"^(?:{_5XX}): /", re.MULTILINE)  # Django's log line for a 5xx


def _token(port: int) -> str:
    status, body = request(
        "POST", port, "/api/v1/auth/token", {"username": USER, "password": PASSWORD}
    )
    if status != 201:
        raise RuntimeError(f"POST /api/v1/auth/token → {status}: {body[:300]!r}")
    return json.loads(body)["token"]


def _schemathesis(port: int, token: str, *, examples: int, phases: str, seed: int) -> int:
    base = f"http://127.0.0.1:{port}"
    cmd = [
        str(SCHEMATHESIS),
        "run",
        f"{base}/api/schema/",
        "--url",
        base,
        "--header",
        f"Authorization: Bearer {token}",
        "--checks",
        CHECKS,
        "--phases",
        phases,
        "--max-examples",
        str(examples),
        "--seed",
        str(seed),
        "--request-timeout",
        "60",
        *[arg for path in EXCLUDE_PATHS for arg in ("--exclude-path", path)],
        "--report",
        "junit,json",
        "--report-junit-path",
        str(JUNIT),
        "--report-json-path",
        str(REPORT),
        "--no-color",
    ]
    # Its own interpreter and packages only: none of the product's import path or settings.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DJANGO_SETTINGS_MODULE")}
    for stale in (JUNIT, REPORT):
        stale.unlink(missing_ok=True)
    with open(CONSOLE, "w", encoding="utf-8") as out:
        # cwd var/bench: schemathesis' and hypothesis' example databases stay out of the tree
        proc = subprocess.run(
            cmd, env=env, cwd=str(LOGS), stdout=out, stderr=subprocess.STDOUT, timeout=TIMEOUT
        )
    return proc.returncode


def _figures(report: dict, server_log: str | None) -> dict:
    by_code = {f["code"]: f for f in report.get("failures", [])}
    failing = sorted({op for f in report.get("failures", []) for op in f["operations"]})
    ops, cases, warnings = report["operations"], report["test_cases"], report.get("warnings", {})
    return {
        "operations": ops["tested"],
        "operations_in_schema": ops["total"],
        "operations_errored": ops["errored"],
        "test_cases": cases["generated"],
        "failures": cases["unique_failures"],
        "server_errors": by_code.get("ST101", {}).get("count", 0),
        "schema_violations": by_code.get("ST108", {}).get("count", 0),
        "errors": len(report.get("errors", [])) + cases.get("errored", 0),
        # 5xx answers the server logged (None: no log to count them in)
        "responses_5xx": None if server_log is None else len(SERVER_5XX.findall(server_log)),
        "failing_operations": failing,
        "warnings": {k: len(v) for k, v in warnings.items() if v},
    }


def bench(
    *, mode: str, examples: int, phases: str | None = None, seed: int | None = None, log=print
) -> dict:
    if not SCHEMATHESIS.exists():
        raise SystemExit(
            f"{SCHEMATHESIS.relative_to(REPO)} is missing: `make .venv-bench/.installed` "
            "(make bench does it) installs requirements/bench.lock"
        )
    phases = phases or PHASES[mode]
    seed = random.SystemRandom().randrange(2**31) if seed is None else seed
    ensure_database(DB, preset="county", log=log)
    started = time.monotonic()
    with Server(DB, workers=2, settings="xiaoneng.settings", probe="/api/schema/") as server:
        code = _schemathesis(
            server.port, _token(server.port), examples=examples, phases=phases, seed=seed
        )
        server_log = LOGS / f"gunicorn-{server.port}.log"  # Server's stderr
    if not REPORT.exists():
        raise SystemExit(f"schemathesis exited {code} without a report; see {CONSOLE}")
    report = json.loads(REPORT.read_text(encoding="utf-8"))
    figures = {
        "schemathesis": report["schemathesis_version"],
        "examples": examples,
        "phases": phases.split(","),
        "checks": CHECKS.split(","),
        "seed": seed,
        **_figures(
            report,
            server_log.read_text(encoding="utf-8", errors="replace")
            if server_log.exists()
            else None,
        ),
        "seconds": round(time.monotonic() - started, 1),
        "exit_code": code,
    }
    figures["pass"] = (
        code == 0
        and report.get("complete", False)
        and figures["failures"] == 0
        and figures["errors"] == 0
        and not figures["responses_5xx"]
    )
    figures["target"] = TARGET
    line = emit("reliability_schemathesis", figures, mode=mode)
    if not line["pass"]:
        print(
            f"# schemathesis: {figures['failures']} failures in "
            f"{', '.join(figures['failing_operations']) or '-'}; details in {CONSOLE}",
            file=sys.stderr,
        )
        raise SystemExit(1)
    return line


def main() -> None:
    from bench.run import PLANS

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="full plan (default: quick)")
    parser.add_argument("--examples", type=int, help="max examples per operation")
    parser.add_argument("--seed", type=int, help="reproduce an earlier run (its JSON 'seed')")
    args = parser.parse_args()
    mode = "full" if args.full else "quick"
    bench(mode=mode, examples=args.examples or PLANS[mode]["examples"], seed=args.seed)


if __name__ == "__main__":
    main()
