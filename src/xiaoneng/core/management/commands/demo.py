"""`xiaoneng demo`: migrate, load the demo county (once), and optionally serve with the worker."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections


class Command(BaseCommand):
    help = (
        "Set up the demo county on the embedded database; --serve then serves it with the worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--serve", action="store_true")
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument(
            "--reset", action="store_true", help="reload the demo data (deletes the database)"
        )

    def handle(self, *args, serve=False, bind="127.0.0.1:8000", reset=False, **options):
        if not settings.DEMO:
            raise CommandError("Run the demo with XIAONENG_ENV=demo (make demo does this).")
        if reset:
            self._reset()
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        from xiaoneng.core.demo import load_demo_county

        created = load_demo_county(stdout=self.stdout)
        if not created:
            self.stdout.write("Demo county already loaded.")
        self.stdout.write(
            f"Demo accounts: admin, office, leader, hosp1, hosp2, dept1, staff1, supervisor1 "
            f"— password {settings.DEMO_PASSWORD}"
        )
        if serve:
            connections.close_all()
            call_command("serve", bind=bind, with_worker=True)

    def _reset(self) -> None:
        db = settings.DATABASES["default"]
        if db["ENGINE"].endswith("sqlite3"):
            connections.close_all()
            for suffix in ("", "-wal", "-shm"):
                Path(str(db["NAME"]) + suffix).unlink(missing_ok=True)
            return
        # A server database: empty it, then re-seed what the data migrations seed.
        from xiaoneng.core import seed
        from xiaoneng.core.models import CalendarDay, CalendarYear, Role

        call_command("flush", interactive=False, verbosity=0)
        seed.seed_roles(Role)
        seed.seed_calendar(CalendarDay, CalendarYear)
