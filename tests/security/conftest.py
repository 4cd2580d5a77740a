"""Security regression tests that cross the apps: every export against formula injection,
hostile query parameters, and a fuzz test of the public and staff endpoints."""

import pytest

from xiaoneng.conftest import api, api_as, org, roles  # noqa: F401


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.XIAONENG_RATELIMIT_ENABLED = False
