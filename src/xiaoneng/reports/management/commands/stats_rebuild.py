"""`xiaoneng stats-rebuild`: recompute the dashboard's pre-aggregated figures from scratch (the
worker refreshes them incrementally every five minutes; run this after a bulk load or import)."""

from __future__ import annotations

import json
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Rebuild the statistics rollups (complaints, ledger) from scratch."

    def handle(self, *args, **options):
        from xiaoneng.complaints import rollup as complaints
        from xiaoneng.rectification import rollup as ledger

        out = {}
        for name, rollup in (("complaints", complaints), ("ledger", ledger)):
            started = time.perf_counter()
            summary = rollup.rebuild()
            summary["seconds"] = round(time.perf_counter() - started, 1)
            out[name] = summary
        self.stdout.write(json.dumps(out))
