"""`xiaoneng selfcheck-sweep [--now ISO-8601]`: run the self-inspection sweep once."""

from django.core.management.base import BaseCommand, CommandError

from xiaoneng.core import clock


class Command(BaseCommand):
    help = (
        "Flag missing 五个一 occurrences, rules due for review and overdue checklists (reminders)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", help="Run as of this instant (ISO-8601; naive = Asia/Shanghai)."
        )

    def handle(self, *args, **options):
        from xiaoneng.selfcheck.sweep import sweep

        try:
            instant = clock.parse_instant(options["now"]) if options.get("now") else clock.now()
        except ValueError as exc:
            raise CommandError(f"--now: {exc}") from exc
        with clock.frozen_now(instant) as now:
            result = sweep(now)
        self.stdout.write(f"selfcheck-sweep at {now.isoformat()}: {result.summary()}")
