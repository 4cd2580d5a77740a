"""The `xiaoneng` command: Django management with the project's settings.

`xiaoneng demo`, `xiaoneng serve`, `xiaoneng worker`, `xiaoneng migrate`, `xiaoneng sla-sweep` …
Dashed names map to the management commands (sla-sweep → sla_sweep).
"""

import os
import sys

# Commands that only read the code — no requests, no data, no secrets — run without a
# production configuration (e.g. the migration check on a clean checkout).
CODE_ONLY = {"makemigrations", "makemessages", "compilemessages", "help", "version"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiaoneng.settings")
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
        if argv[1] in CODE_ONLY:
            os.environ.setdefault("XIAONENG_ENV", "dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
