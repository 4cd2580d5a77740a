"""`xiaoneng worker`: the Huey consumer (scheduled jobs and background tasks)."""

import logging

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the task worker (Huey consumer, with the periodic scheduler)."

    def add_arguments(self, parser):
        parser.add_argument("-w", "--workers", type=int, default=None)

    def handle(self, *args, workers=None, **options):
        # The consumer installs its own log handler; without this each line is printed twice
        # (once by it, once by the root handler from settings.LOGGING).
        logging.getLogger("huey").propagate = False
        extra = ["--workers", str(workers)] if workers else []
        call_command("run_huey", *extra)
