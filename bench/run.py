"""Run the benchmarks: `python -m bench.run --quick` (make bench) or `--full` (make bench-full).

Each benchmark prints one JSON line (and appends it to bench/results/<mode>.jsonl). Databases:
xn_bench_intake (county preset) for intake and faults; xn_bench_api (county preset) for the
schemathesis run, which writes through the API; xn_bench_quick (county preset + 10,000
items) for the quick page, clock and file figures; xn_bench (province preset) for the full ones.
Child processes keep each benchmark's Django setup separate.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

from bench.common import PYTHON, REPO, emit, ensure_database, env_for, manage, psql

PLANS = {
    "quick": {
        "db": "xn_bench_quick",
        "preset": "county",
        "items": 0,
        "clients": 32,
        "seconds": 8,
        "workers": 4,
        "page_reps": 20,
        "deadlines": 100_000,
        "file_rows": 10_000,
        "retries": 500,
        "examples": 5,
        "service_events": 1_000_000,
    },
    "full": {
        "db": "xn_bench",
        "preset": "province",
        "items": 1_000_000,
        "clients": 32,
        "seconds": 30,
        "workers": 4,
        "page_reps": 50,
        "deadlines": 1_000_000,
        "file_rows": 100_000,
        "retries": 5_000,
        "examples": 25,
        "service_events": 50_000_000,
    },
}

STEPS = {
    "deadlines": "from bench import clocks; clocks.deadlines(mode={mode!r}, db={db!r}, n={deadlines})",
    "sweep": "from bench import clocks; clocks.sweep(mode={mode!r}, db={db!r})",
    "pages": "from bench import pages; pages.bench(mode={mode!r}, db={db!r}, reps={page_reps})",
    "stats": "from bench import stats; stats.bench(mode={mode!r}, db={db!r}, reps={page_reps})",
    "files": "from bench import files; files.bench(mode={mode!r}, db={db!r}, rows={file_rows})",
    "intake": "from bench import intake; intake.bench(mode={mode!r}, seconds={seconds}, "
    "clients={clients}, workers={workers})",
    "retries": "from bench import intake; intake.idempotency(mode={mode!r}, total={retries}, "
    "clients={clients}, workers={workers})",
    "outage": "from bench import outage; outage.bench(mode={mode!r}, seconds={seconds}, "
    "clients={clients}, workers={workers})",
    "servicetimes": "from bench import servicetimes; servicetimes.bench(mode={mode!r}, db={db!r}, "
    "events={service_events})",
    "schemathesis": "from bench import api_fuzz; api_fuzz.bench(mode={mode!r}, examples={examples})",
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", nargs="*", choices=sorted(STEPS))
    args = parser.parse_args()
    mode = "full" if args.full else "quick"
    plan = dict(PLANS[mode], mode=mode)
    # BENCH_DB: another database name for the same plan (several people on one server).
    db = plan["db"] = os.environ.get("BENCH_DB") or plan["db"]
    summary = ensure_database(db, preset=plan["preset"], log=lambda m: print(m, file=sys.stderr))
    if summary:
        emit("gen_scale", summary, mode=mode)
    items = int(psql("SELECT count(*) FROM rectification_rectificationitem", db) or 0)
    want = max(plan["items"], plan["file_rows"])
    if items < want:
        print(f"# adding {want - items:,} rectification items to {db} …", file=sys.stderr)
        out = manage(
            db, "gen_scale", "--items-only", "--prefix", "GS1", "--items", str(want - items)
        )
        emit("gen_scale_items", json.loads(out.strip().splitlines()[-1]), mode=mode)
    failed = 0
    for name in args.only or list(STEPS):
        code = STEPS[name].format(**plan)
        result = subprocess.run(
            [PYTHON, "-c", code], env=env_for(db), cwd=str(REPO), text=True, capture_output=True
        )
        sys.stdout.write(result.stdout)
        if result.returncode:
            failed += 1
            print(f"# {name} failed:\n{result.stderr[-4000:]}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
