import time

from django.core.management.base import BaseCommand

from xiaoneng.core.clock import frozen_now, parse_instant
from xiaoneng.core.notify import deliver_due


class Command(BaseCommand):
    help = "Deliver due notifications from the outbox (what the worker does every minute)."

    def add_arguments(self, parser):
        parser.add_argument("--now", type=parse_instant, default=None, help="ISO-8601 instant")
        parser.add_argument("--loop", action="store_true", help="keep delivering until interrupted")
        parser.add_argument("--interval", type=float, default=2.0)

    def handle(self, *args, now=None, loop=False, interval=2.0, **options):
        while True:
            if now is not None:
                with frozen_now(now):
                    result = deliver_due(now=now)
            else:
                result = deliver_due()
            self.stdout.write(
                f"sent {result['sent']}, failed {result['failed']}, dead {result['dead']}"
            )
            self.stdout.flush()
            if not loop:
                return
            time.sleep(interval)
