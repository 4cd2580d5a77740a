"""`xiaoneng gen-scale [--preset province|county] [--units N --staff N --complaints N --items N]
[--seed S] [--now ISO-8601] [--prefix P] [--password PW] [--json FILE]`: load scale data."""

import json

from django.core.management.base import BaseCommand, CommandError

from xiaoneng.core import clock


class Command(BaseCommand):
    help = (
        "Fill the database with realistic scale data (units, departments, staff, users, "
        "complaints in every state, rectification items) using bulk loading."
    )

    def add_arguments(self, parser):
        from xiaoneng.core.scale import DEFAULT_PASSWORD, PRESETS

        parser.add_argument("--preset", choices=sorted(PRESETS), default="county")
        for name in ("units", "staff", "complaints", "items"):
            parser.add_argument(f"--{name}", type=int, help=f"number of {name} (overrides preset)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--now", help="generate as of this instant (ISO-8601)")
        parser.add_argument("--prefix", help="unit code / username prefix (default GS<seed>)")
        parser.add_argument("--password", default=DEFAULT_PASSWORD)
        parser.add_argument("--json", help="also write the summary to this file")
        parser.add_argument(
            "--items-only",
            action="store_true",
            help="only add rectification items to the organisation of an earlier run (--prefix)",
        )

    def handle(self, *args, **options):
        from xiaoneng.core.scale import PRESETS, Counts, generate

        preset = dict(PRESETS[options["preset"]])
        for name in ("units", "staff", "complaints", "items"):
            if options.get(name) is not None:
                preset[name] = options[name]
        if preset["units"] < 1 or preset["staff"] < preset["units"]:
            raise CommandError("Need at least one unit and at least one person per unit.")
        try:
            now = clock.parse_instant(options["now"]) if options.get("now") else None
        except ValueError as exc:
            raise CommandError(f"--now: {exc}") from exc

        def progress(line: str) -> None:
            self.stdout.write(line)
            self.stdout.flush()

        try:
            summary = generate(
                Counts(**preset),
                seed=options["seed"],
                now=now,
                prefix=options.get("prefix"),
                password=options["password"],
                progress=progress,
                items_only=options["items_only"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        text = json.dumps(summary, ensure_ascii=False)
        if options.get("json"):
            with open(options["json"], "w", encoding="utf-8") as fh:
                fh.write(text + "\n")
        self.stdout.write(text)
