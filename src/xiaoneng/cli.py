"""The `xiaoneng` command: Django management with the project's settings.

`xiaoneng demo`, `xiaoneng serve`, `xiaoneng worker`, `xiaoneng migrate`, `xiaoneng sla-sweep` …
Dashed names map to the management commands (sla-sweep → sla_sweep).
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiaoneng.settings")
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
