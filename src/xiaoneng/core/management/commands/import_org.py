"""`xiaoneng import-org FILE.xlsx`: import units, departments and people from one workbook.

The whole file is checked first; any bad row rejects it (errors listed, nothing written).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xiaoneng.core import importing
from xiaoneng.core.models import User


class Command(BaseCommand):
    help = "Import the organisation (sheets 单位, 科室, 人员) from an .xlsx file; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx workbook")
        parser.add_argument(
            "--actor",
            metavar="USERNAME",
            help="record the changes as this user (needs org.import); default: system",
        )
        parser.add_argument(
            "--template", action="store_true", help="write an empty template to FILE and stop"
        )

    def handle(self, *args, file: str, actor: str | None = None, template=False, **options):
        path = Path(file)
        if template:
            path.write_bytes(importing.build_template())
            self.stdout.write(f"Template written to {path}")
            return
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        user = None
        if actor:
            user = User.objects.filter(username=actor, is_active=True).first()
            if user is None:
                raise CommandError(f"No active user {actor!r}.")
            if not user.has_permission("org.import"):
                raise CommandError(f"User {actor!r} lacks permission org.import.")
        result = importing.import_org(actor=user, data=path.read_bytes(), check=False)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(result.errors)} problem(s) found; nothing was imported.")
        for sheet, counts in result.counts.items():
            self.stdout.write(
                f"{sheet}: created {counts['created']}, updated {counts['updated']}, "
                f"unchanged {counts['unchanged']}"
            )
