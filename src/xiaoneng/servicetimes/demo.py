"""Demo service-time logs for the demo county: about 20,000 synthetic events of the last three
months (``generate``), imported through the real services (upload → job → engine), so the
compliance pages, the chart and a few ledger proposals have figures.

Hook: ``load_demo(now=...)``; does nothing when an import already exists.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.utils import timezone

from xiaoneng.core.models import User

from . import generate, ingest, services, storage
from .models import LogImport, LogSource

EVENTS = 20000


def load_demo(*, now) -> int:
    office = User.objects.filter(username="office").first()
    source = LogSource.objects.filter(code="his").first()
    if office is None or source is None or LogImport.objects.exists():
        return 0
    storage.clear()  # partitions left by an earlier database have no imports here
    local = timezone.localtime(now)
    # The three whole months before this one: logs are exported after the fact, and no case
    # starts in the future.
    first = (local.year * 12 + local.month - 1) - 3
    places = [p for p in generate.places_from_db() if p.department][:40]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.csv"
        generate.generate(
            path,
            events=EVENTS,
            places=places,
            standards=generate.standards_from_db(),
            year=first // 12,
            first_month=first % 12 + 1,
            months=3,
            seed=7,
        )
        record = services.import_start(
            actor=office, source=source, data=path.read_bytes(), name="HIS-演示日志.csv"
        )
    ingest.run_job(record.job_id)
    record.refresh_from_db()
    return record.added
