"""Time the ledger's Excel round trip at scale: build an N-row ledger file, import it (validate
the whole file, then write it in one transaction), then export every item.

    XIAONENG_ENV=test .venv/bin/python bench/rectification/measure.py [--rows 100000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xn_bench ... (the database is reset)

Runs against a throwaway database (a temporary SQLite file unless DATABASE_URL is given; that
database is flushed and migrated) and prints one JSON line with the timings in seconds. The
import and export are the functions the task-queue jobs run (``excel.validate`` +
``excel.apply_plan``, ``excel.build_workbook_bytes``).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="xn-bench-")
    os.environ.setdefault("XIAONENG_ENV", "test")
    os.environ.setdefault("XIAONENG_VAR_DIR", tmp)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiaoneng.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0) if "postgres" in os.environ[
        "DATABASE_URL"
    ] else None
    call_command("migrate", verbosity=0)
    from openpyxl import Workbook

    from xiaoneng.core.testing import build_org
    from xiaoneng.rectification import excel
    from xiaoneng.rectification.models import RectificationItem

    org = build_org()
    units = ["甲医院", "乙医院", "甲医院分院"]
    types = ["即时整改", "阶段整改", "长期整改"]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(excel.SHEET_TITLE)
    ws.append(excel.HEADERS)
    for i in range(args.rows):
        ws.append(
            [
                i + 1, "明查暗访", f"第{i // 3 + 1}号问题：窗口服务不规范，群众反映排队时间长",
                types[i % 3], f"整改措施{i}：增设窗口，推行预约", "排队时间不超过15分钟",
                "2030-12-31", units[i % 3], "张三", "李四", "" if i % 2 else "已增设窗口",
                "待整改", None, "",
            ]
        )  # fmt: skip
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()

    t0 = time.perf_counter()
    plan, errors, count = excel.validate(org.alice, data)
    t1 = time.perf_counter()
    assert not errors, errors[:5]
    result = excel.apply_plan(org.alice, plan)
    t2 = time.perf_counter()
    export_bytes, exported = excel.export_items(actor=org.alice)
    t3 = time.perf_counter()
    plan2, errors2, _n = excel.validate(org.alice, export_bytes)
    t4 = time.perf_counter()
    assert not errors2 and plan2.unchanged == exported and not plan2.new_rows
    print(
        json.dumps(
            {
                "rows": count,
                "vendor": django.db.connection.vendor,
                "file_mb": round(len(data) / 1e6, 1),
                "import_validate_s": round(t1 - t0, 1),
                "import_write_s": round(t2 - t1, 1),
                "import_total_s": round(t2 - t0, 1),
                "export_s": round(t3 - t2, 1),
                "reimport_validate_s": round(t4 - t3, 1),
                "items": RectificationItem.objects.count(),
                "result": result,
            }
        )
    )


if __name__ == "__main__":
    main()
