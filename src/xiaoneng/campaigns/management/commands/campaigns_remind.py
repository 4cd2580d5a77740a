"""`xiaoneng campaigns_remind [--now ISO-8601]`: send the submission reminders once."""

from django.core.management.base import BaseCommand, CommandError

from xiaoneng.core import clock


class Command(BaseCommand):
    help = "Remind units of deliverables due soon and of overdue ones (each reminder once)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", help="Run as of this instant (ISO-8601; naive = Asia/Shanghai)."
        )

    def handle(self, *args, **options):
        from xiaoneng.campaigns.services import remind

        try:
            instant = clock.parse_instant(options["now"]) if options.get("now") else clock.now()
        except ValueError as exc:
            raise CommandError(f"--now: {exc}") from exc
        with clock.frozen_now(instant) as now:
            result = remind(now=now)
        self.stdout.write(
            f"campaigns_remind at {now.isoformat()}: due soon {result['due_soon']}, "
            f"overdue {result['overdue']}, notifications queued {result['queued']}"
        )
