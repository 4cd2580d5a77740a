"""The `xiaoneng` command: production needs a SECRET_KEY; code-only commands do not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[3]


def run(*args: str, entry: tuple[str, ...] = ("-m", "xiaoneng.manage")):
    env = {k: v for k, v in os.environ.items() if k not in {"XIAONENG_ENV", "SECRET_KEY"}}
    env["PYTHONPATH"] = str(SRC)
    return subprocess.run(
        [sys.executable, *entry, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_migration_check_runs_on_a_bare_checkout():
    result = run("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "No changes detected" in result.stdout


def test_the_checkouts_manage_py_runs_it_too():
    result = run("makemigrations", "--check", "--dry-run", entry=(str(SRC.parent / "manage.py"),))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "No changes detected" in result.stdout


def test_anything_else_still_needs_a_secret_key_in_production():
    result = run("check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr
