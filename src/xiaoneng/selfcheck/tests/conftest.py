from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from xiaoneng.core.models import StoredFile
from xiaoneng.selfcheck import ledger
from xiaoneng.selfcheck.models import ChecklistTemplate


@pytest.fixture
def wucha(db) -> ChecklistTemplate:
    return ChecklistTemplate.objects.get(code="wucha-wukan")


class FakeLedger:
    """Stands in for rectification.services.issue_create while that app is not installed."""

    def __init__(self):
        self.calls: list[dict] = []
        self._ids = itertools.count(1001)

    def issue_create(self, *, actor, unit, source, title, description, evidence=()):
        self.calls.append(
            {"actor": actor, "unit": unit, "source": source, "title": title, "desc": description}
        )
        return next(self._ids)


@pytest.fixture
def fake_ledger(monkeypatch) -> FakeLedger:
    fake = FakeLedger()
    monkeypatch.setattr(ledger, "available", lambda: True)
    monkeypatch.setattr(ledger, "_issue_service", lambda: fake.issue_create)
    return fake


@pytest.fixture
def upload(db):
    def make(user, name="自查材料.pdf"):
        return StoredFile.objects.create(
            file=f"files/test/{name}",
            name=name,
            size=10,
            content_type="application/pdf",
            sha256="0" * 64,
            uploaded_by=user,
            uploaded_at=timezone.now(),
        )

    return make


@pytest.fixture
def due() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=10)
