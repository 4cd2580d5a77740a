"""Files: the ledger export of N rows (xlsx) and its import (N new rows; rolled back after)."""

from __future__ import annotations

import io
import time

from bench.common import emit, setup_django


def bench(*, mode: str, db: str, rows: int) -> dict:
    setup_django(db)
    from django.db import transaction
    from openpyxl import load_workbook

    from xiaoneng.core.models import User
    from xiaoneng.core.scope import scoped
    from xiaoneng.rectification import excel
    from xiaoneng.rectification.models import RectificationItem

    office = User.objects.filter(username__endswith="-office1", roles__code="office").first()
    available = RectificationItem.objects.count()
    from itertools import islice

    t = time.perf_counter()
    data, n = excel.build_workbook_bytes(
        islice(excel.export_rows(scoped(office, RectificationItem)), rows)
    )
    export_s = time.perf_counter() - t
    # New rows: the exported sheet without the ledger numbers (the last column), as pending
    # items with a deadline ahead (what a unit fills in for new work).
    from datetime import timedelta

    from xiaoneng.core import clock

    wb = load_workbook(io.BytesIO(data))
    ws = wb.active
    headers = [c.value for c in ws[1]]
    due = (clock.now() + timedelta(days=60)).date()
    col = {name: headers.index(name) for name in headers}
    for row in ws.iter_rows(min_row=2):
        row[-1].value = None
        row[col[excel.HEADERS[6]]].value = due
        row[col[excel.HEADERS[11]]].value = excel.STATUS_LABELS["pending"]
        row[col[excel.HEADERS[12]]].value = None
    buffer = io.BytesIO()
    wb.save(buffer)
    upload = buffer.getvalue()
    t = time.perf_counter()
    with transaction.atomic():
        result, errors = excel.import_bytes(actor=office, data=upload)
        transaction.set_rollback(True)
    import_s = time.perf_counter() - t
    return emit(
        "files_ledger",
        {
            "items_in_db": available,
            "rows": n,
            "export_seconds": round(export_s, 2),
            "export_mb": round(len(data) / 1e6, 1),
            "import_seconds": round(import_s, 2),
            "import_result": {k: v for k, v in result.items() if isinstance(v, int)},
            "import_errors": len(errors),
            "first_errors": [e.as_dict() for e in errors[:3]],
            "target": "100,000-row export < 10 s, import < 30 s",
        },
        mode=mode,
    )
