"""Print the README table from bench/results/<mode>.jsonl (the latest line of each benchmark)."""

from __future__ import annotations

import json
import sys

from bench.common import RESULTS


def fmt(line: dict) -> tuple[str, str, str, str]:
    b = line["bench"]
    if b == "intake":
        i, ins = line["intake"], line["baseline_insert"]
        checks = line.get("duplicate_checks") or {}
        drained = (
            f"; then the worker ran {checks['pending_after_load']:,} duplicate checks in "
            f"{checks['seconds_to_drain']} s ({checks['per_second']}/s), "
            f"{checks['pending_at_end']} left"
            if checks.get("pending_after_load")
            else ""
        )
        return (
            f"intake, {line['clients']} clients × {line['seconds']} s, {line['workers']} workers",
            f"{i['per_second']}/s, p50 {i['p50_ms']} ms, p99 {i['p99_ms']} ms; "
            f"lost {line['lost']}, duplicated {line['duplicated']}{drained}",
            f"one-INSERT view {ins['per_second']}/s (p99 {ins['p99_ms']} ms); bare JSON "
            f"{line['baseline_json']['per_second']}/s",
            f"{line['ratio_vs_insert']} × INSERT",
        )
    if b.startswith("page_"):
        return (
            f"{b[5:].replace('_', ' ')} ({line['rows_in_db']:,} rows)",
            f"p50 {line['p50_ms']} ms, p95 {line['p95_ms']} ms, {line['queries']} queries "
            f"({'constant' if line['queries_constant'] else 'NOT constant'}: "
            f"{line['queries_small']} vs {line['queries_large']}, {line['query_count_check']})",
            f"hand-written SQL p95 {line['baseline_sql_p95_ms']} ms",
            f"{line['ratio_p95_vs_sql']} × SQL",
        )
    if b == "clock_deadlines":
        return (
            f"deadlines for {line['cases']:,} cases",
            f"{line['calendar_seconds']} s ({line['per_second']:,}/s), {line['mismatches']} mismatches",
            f"naive day-by-day loop {line['naive_seconds']} s",
            f"{line['ratio_speedup']} × faster",
        )
    if b == "clock_sla_sweep":
        return (
            f"sla-sweep, {line['open_cases']:,} open ({line['clock_running']:,} running)",
            f"{line['seconds']} s, examined {line['examined']:,}, steps {sum(line['steps'].values())}; "
            f"repeat {line['repeat_seconds']} s, {line['repeat_steps']} steps",
            "target < 5 s",
            "",
        )
    if b == "files_ledger":
        return (
            f"ledger file, {line['rows']:,} rows",
            f"export {line['export_seconds']} s ({line['export_mb']} MB); import "
            f"{line['import_seconds']} s, {line['import_errors']} errors",
            "targets 10 s / 30 s",
            "",
        )
    if b == "reliability_schemathesis":
        five = line["responses_5xx"]
        return (
            f"schemathesis {line['schemathesis']}, {line['examples']} examples per operation",
            f"{line['operations']} operations, {line['test_cases']:,} test cases "
            f"({', '.join(line['phases'])}); {line['failures']} failures: "
            f"{line['server_errors']} server errors, {line['schema_violations']} schema "
            f"violations{'' if five is None else f', {five} 5xx responses'}",
            line["target"],
            "PASS" if line["pass"] else "FAIL",
        )
    if b.startswith("reliability_"):
        extra = {k: v for k, v in line.items() if k in ("statuses", "during", "after")}
        return (
            b[12:].replace("_", " "),
            json.dumps(extra, ensure_ascii=False),
            "",
            "PASS" if line["pass"] else "FAIL",
        )
    if b.startswith("gen_scale"):
        rows = line.get("rows", {})
        return (
            b.replace("_", " "),
            f"{line['seconds']} s for {sum(rows.values()):,} rows",
            ", ".join(f"{k.split('_', 1)[1]} {v:,}" for k, v in rows.items() if v > 50_000),
            "",
        )
    return (b, "", "", "")


def main(mode: str = "quick") -> None:
    latest: dict[str, dict] = {}
    for text in (RESULTS / f"{mode}.jsonl").read_text().splitlines():
        line = json.loads(text)
        latest[line["bench"]] = line
    # A figure measured before the database was last generated describes data that is gone.
    loaded = latest.get("gen_scale", {}).get("at", "")
    latest = {k: v for k, v in latest.items() if v["at"] >= loaded}
    loads = sorted(float(v["machine"].rsplit("load ", 1)[1]) for v in latest.values())
    machine = next(iter(latest.values()))["machine"].rsplit(", load", 1)[0]
    newest = max(v["at"] for v in latest.values())
    print(
        f"`make bench{'-full' if mode == 'full' else ''}` — {newest[:10]}, {machine}, "
        f"load {loads[0]}–{loads[-1]}\n"
    )
    print("| benchmark | result | baseline (same run) | ratio |")
    print("|---|---|---|---|")
    for line in latest.values():
        print("| " + " | ".join(fmt(line)) + " |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "quick")
