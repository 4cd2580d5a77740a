"""`xiaoneng sla-sweep [--now ISO-8601]`: run the SLA sweep (escalation, reminders) once."""

from django.core.management.base import BaseCommand, CommandError

from xiaoneng.core import clock


class Command(BaseCommand):
    help = "Run the complaint SLA sweep once (escalations, sign-for and overdue reminders)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", help="Run as of this instant (ISO-8601; naive = Asia/Shanghai)."
        )

    def handle(self, *args, **options):
        from xiaoneng.complaints.escalation import sweep

        try:
            instant = clock.parse_instant(options["now"]) if options.get("now") else clock.now()
        except ValueError as exc:
            raise CommandError(f"--now: {exc}") from exc
        with clock.frozen_now(instant) as now:
            result = sweep(now)
        self.stdout.write(f"sla-sweep at {now.isoformat()}: {result.summary()}")
