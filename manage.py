#!/usr/bin/env python
"""`python manage.py …` from a checkout (same as `xiaoneng …` / `python -m xiaoneng.manage …`)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from xiaoneng.cli import main

if __name__ == "__main__":
    main()
