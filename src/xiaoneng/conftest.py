"""Shared fixtures: a small organisation and the users of the permission matrix.

alice: 效能办 (office, all units) · bob: unit admin of unit A · carol: unit admin of unit B ·
dave: staff of unit A, department A1 · anonymous: the API/UI client without login.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from xiaoneng.core.models import Role
from xiaoneng.core.testing import OrgFixture, build_org


@pytest.fixture
def org(db) -> OrgFixture:
    return build_org()


@pytest.fixture
def api():
    return APIClient()


def _client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def api_as():
    return _client_for


@pytest.fixture
def roles(db):
    return {r.code: r for r in Role.objects.all()}
