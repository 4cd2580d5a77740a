from django.core.management.base import BaseCommand

from xiaoneng.core.clock import parse_instant
from xiaoneng.core.tasks import prune_logs


class Command(BaseCommand):
    help = (
        "Delete login and audit records past the retention (default 365 days, never less than 180)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None)
        parser.add_argument("--now", type=parse_instant, default=None, help="ISO-8601 instant")

    def handle(self, *args, days=None, now=None, **options):
        result = prune_logs(now=now, retention_days=days)
        self.stdout.write(
            f"pruned {result['login_log']} login records and {result['audit']} audit records "
            f"older than {result['retention_days']} days"
        )
