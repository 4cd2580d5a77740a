"""Reliability tests: concurrency and faults against the real database (SQLite or PostgreSQL).
The long versions (thousands of requests, a real gunicorn, connections cut under load) run in
`make bench-full` (bench/reliability.py)."""

import pytest

from xiaoneng.conftest import api, api_as, org, roles  # noqa: F401


def pytest_configure(config):
    config.addinivalue_line("markers", "reliability: concurrency and fault-injection tests")


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.XIAONENG_RATELIMIT_ENABLED = False
