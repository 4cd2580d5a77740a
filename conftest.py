"""Suite-wide: fresh rule snapshots for each test; a transactional test (live server, threads)
flushes every table after it, and with it the reference data the migrations seed; put it back
before the next such test."""

import pytest


def _transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or (marker.args[:1] == (True,))):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _fresh_rule_snapshots():
    """A rolled-back test sends no post_delete: start each test without cached rules."""
    from xiaoneng.core.snapshot import invalidate_all

    invalidate_all()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters (login throttles, public submissions) live in the cache: each test
    starts with none, whatever the tests before it did from 127.0.0.1."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _reseed_after_flush(request):
    if not _transactional(request):
        return
    request.getfixturevalue("transactional_db")
    from xiaoneng.core.testing import reseed_reference_data

    reseed_reference_data()
