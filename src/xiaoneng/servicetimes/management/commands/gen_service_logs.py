"""xiaoneng gen-service-logs --events N [--out FILE] [--format csv|parquet] [--year Y] [--seed S]
[--import]: synthetic hospital system logs of the units and standards in the database."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xiaoneng.servicetimes import generate


class Command(BaseCommand):
    help = "Write synthetic service-time event logs (shaped delays, a few slow departments)."

    def add_arguments(self, parser):
        parser.add_argument("--events", type=int, default=10000)
        parser.add_argument("--out", default="")
        parser.add_argument("--format", choices=("csv", "parquet"), default="csv")
        parser.add_argument("--year", type=int, default=2026)
        parser.add_argument("--months", type=int, default=12)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--units", type=int, default=0, help="only the first N units (by code)")

    def handle(self, *args, **opts):
        if opts["events"] < 1:
            raise CommandError("--events must be positive")
        places = generate.places_from_db(opts["units"] or None)
        standards = generate.standards_from_db()
        if not places or not standards:
            raise CommandError("No units or no active standards: load the organisation first.")
        out = Path(opts["out"] or f"service-logs-{opts['events']}.{opts['format']}")
        n = generate.generate(
            out,
            events=opts["events"],
            places=places,
            standards=standards,
            year=opts["year"],
            months=opts["months"],
            seed=opts["seed"],
            fmt=opts["format"],
        )
        self.stdout.write(f"{n} events of {len(places)} departments written to {out}")
