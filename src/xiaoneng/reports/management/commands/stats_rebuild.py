"""`xiaoneng stats-rebuild`: recompute the dashboard's pre-aggregated figures from scratch (the
worker refreshes them incrementally every five minutes; run this after a bulk load or import)."""

from __future__ import annotations

import json
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Rebuild the statistics rollups (complaints) from scratch."

    def handle(self, *args, **options):
        from xiaoneng.complaints import rollup

        started = time.perf_counter()
        summary = rollup.rebuild()
        summary["seconds"] = round(time.perf_counter() - started, 1)
        self.stdout.write(json.dumps({"complaints": summary}))
