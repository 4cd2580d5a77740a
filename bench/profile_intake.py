"""Profile one public submission and one staff creation (issue #18), in-process on PostgreSQL.

    PYTHONPATH=src:. .venv/bin/python -m bench.profile_intake [--db xn_bench_quick] [--n 200]
        [--tag after] [--folded]

For each path (``POST /api/v1/public/complaints`` with an Idempotency-Key, ``POST
/api/v1/complaints`` as the office) it writes under ``bench/profiles/``:

- ``intake_<path>_<tag>.svg`` — a flame graph (stacks sampled every 0.5 ms by a thread reading
  the request thread's frames: no dependency, no ptrace), widths = share of wall time;
- ``intake_<path>_<tag>.folded`` — with ``--folded``: the same stacks, folded (``flamegraph.pl``
  / speedscope; large, not committed);
- ``intake_<path>_<tag>.txt`` — cProfile's top functions (cumulative and own time), the SQL
  statements of one request and the mean wall time per request.

The duplicate check the intake queues after commit is stubbed (the worker's job, not the
request's; a queued task would otherwise wait in the bench's Redis for a later run's worker).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import threading
import time
import uuid
from collections import Counter
from html import escape
from pathlib import Path

from bench.common import REPO, setup_django

OUT = REPO / "bench" / "profiles"
TEXT = "今天上午在门诊收费处排队一个多小时，窗口只开一个，工作人员态度生硬，请核实处理。"


# --- sampling ------------------------------------------------------------------------------------
class Sampler:
    """Samples one thread's Python stack every `interval` seconds into folded stacks."""

    def __init__(self, thread_id: int, interval: float = 0.0005):
        self.thread_id, self.interval = thread_id, interval
        self.stacks: Counter[str] = Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            frame = sys._current_frames().get(self.thread_id)
            names = []
            while frame is not None:
                code = frame.f_code
                path = code.co_filename
                short = path.split("site-packages/")[-1].split("/src/")[-1].replace("/", ".")
                names.append(f"{short.removesuffix('.py')}:{code.co_name}")
                frame = frame.f_back
            if names:
                self.stacks[";".join(reversed(names))] += 1
            time.sleep(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def flame_svg(stacks: Counter, title: str, width: int = 1600, row: int = 16) -> str:
    """A flame graph (root at the bottom) of folded stacks, as a standalone SVG."""
    tree: dict = {"n": 0, "kids": {}}
    for stack, n in stacks.items():
        node = tree
        node["n"] += n
        for name in stack.split(";"):
            node = node["kids"].setdefault(name, {"n": 0, "kids": {}})
            node["n"] += n
    total = tree["n"] or 1
    rects: list[tuple[float, int, float, str, int]] = []

    def walk(node, x: float, depth: int) -> int:
        deepest = depth
        for name, kid in sorted(node["kids"].items()):
            w = kid["n"] / total * width
            if w >= 0.3:
                rects.append((x, depth, w, name, kid["n"]))
                deepest = max(deepest, walk(kid, x, depth + 1))
            x += w
        return deepest

    depth = walk(tree, 0.0, 0) + 1
    height = (depth + 3) * row
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="monospace" font-size="11">',
        f'<text x="4" y="14">{escape(title)} — {total} samples; hover for names</text>',
    ]
    for x, d, w, name, n in rects:
        y = height - (d + 1) * row
        hue = 10 + (hash(name.split(":")[0]) % 40)
        label = escape(name)
        out.append(
            f"<g><title>{label} ({n} samples, {n * 100 / total:.1f}%)</title>"
            f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row - 1}" '
            f'fill="hsl({hue},80%,{55 + (d % 3) * 5}%)"/>'
        )
        chars = int(w / 6.6)
        if chars > 3:
            text = label if len(name) <= chars else escape(name[: chars - 1]) + "…"
            out.append(f'<text x="{x + 2:.1f}" y="{y + row - 4}">{text}</text>')
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


# --- the two requests ----------------------------------------------------------------------------
def _requests():
    from django.db import connection
    from rest_framework.test import APIClient

    from xiaoneng.complaints.models import Category
    from xiaoneng.core.models import Unit, User

    units = list(Unit.objects.order_by("id").values_list("id", flat=True)[:40])
    cats = list(
        Category.objects.filter(is_active=True).order_by("id").values_list("code", flat=True)
    )
    office = User.objects.filter(username__endswith="-office1", roles__code="office").first()
    public, staff = APIClient(), APIClient()
    staff.force_authenticate(office)
    run = uuid.uuid4().hex[:8]
    counter = iter(range(10**9))

    def body(i: int) -> dict:
        return {
            "type": "complaint",
            "category": cats[i % len(cats)],
            "unit": units[i % len(units)],
            "title": "门诊收费排队时间长",
            "content": f"{TEXT} [{run}:{i}]",
        }

    def submit() -> None:
        i = next(counter)
        data = {**body(i), "anonymous": False, "name": "张三", "phone": f"138{i:08d}"}
        response = public.post(
            "/api/v1/public/complaints",
            data,
            format="json",
            HTTP_IDEMPOTENCY_KEY=f"{run}-{i}",
        )
        assert response.status_code == 201, response.content

    def create() -> None:
        i = next(counter)
        data = {
            **body(i),
            "channel": "hotline_12345",
            "complainant": {"name": "李四", "phone": f"139{i:08d}", "anonymous": False},
        }
        response = staff.post(
            "/api/v1/complaints", data, format="json", HTTP_IDEMPOTENCY_KEY=f"{run}-s{i}"
        )
        assert response.status_code == 201, response.content

    return {"public": submit, "staff": create}, connection


def profile(name: str, fn, connection, n: int, tag: str, folded: bool = False) -> dict:
    from django.test.utils import CaptureQueriesContext

    for _ in range(20):  # warm: templates, snapshots, translations, connections
        fn()
    with CaptureQueriesContext(connection) as ctx:
        fn()
    sql = [q["sql"] for q in ctx.captured_queries]
    started = time.perf_counter()
    for _ in range(n):
        fn()
    plain = (time.perf_counter() - started) / n
    switch = sys.getswitchinterval()
    sys.setswitchinterval(0.0002)  # let the sampler in while the request runs Python too
    with Sampler(threading.get_ident()) as sampler:
        for _ in range(n):
            fn()
    sys.setswitchinterval(switch)
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(n):
        fn()
    prof.disable()
    OUT.mkdir(parents=True, exist_ok=True)
    stem = OUT / f"intake_{name}_{tag}"
    title = f"intake {name} ({tag}): {n} requests, {plain * 1000:.2f} ms each, {len(sql)} SQL"
    Path(f"{stem}.svg").write_text(flame_svg(sampler.stacks, title))
    if folded:
        Path(f"{stem}.folded").write_text(
            "".join(f"{s} {c}\n" for s, c in sorted(sampler.stacks.items()))
        )
    text = io.StringIO()
    text.write(f"{title}\n\nSQL of one request ({len(sql)} statements):\n")
    text.writelines(f"  {s[:160]}\n" for s in sql)
    for key in ("cumulative", "tottime"):
        text.write(f"\n--- cProfile, by {key} ---\n")
        stats = pstats.Stats(prof, stream=text)
        stats.strip_dirs().sort_stats(key).print_stats(40)
    Path(f"{stem}.txt").write_text(text.getvalue())
    return {"path": name, "ms_per_request": round(plain * 1000, 2), "sql": len(sql)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="xn_bench_quick")
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--tag", default="now")
    parser.add_argument("--folded", action="store_true")
    args = parser.parse_args()
    setup_django(args.db)
    from xiaoneng.complaints import duplicates

    duplicates.queue_check = lambda pk: None  # the worker's job (see the module docstring)
    paths, connection = _requests()
    for name, fn in paths.items():
        print(profile(name, fn, connection, args.n, args.tag, args.folded))
    return 0


if __name__ == "__main__":
    sys.exit(main())
