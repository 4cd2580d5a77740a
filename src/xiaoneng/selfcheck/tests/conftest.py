from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from xiaoneng.core.models import StoredFile
from xiaoneng.selfcheck import ledger
from xiaoneng.selfcheck.models import ChecklistTemplate


@pytest.fixture
def wucha(db) -> ChecklistTemplate:
    return ChecklistTemplate.objects.get(code="wucha-wukan")


class FakeLedger:
    """Watches the calls this app makes to the ledger's ``issue_create`` (the real service runs);
    ``ids`` are the issues it opened, in order."""

    def __init__(self, monkeypatch):
        self.calls: list[dict] = []
        self.ids: list[int] = []
        real = ledger.issue_create

        def issue_create(**kwargs):
            self.calls.append(
                {
                    "actor": kwargs.get("actor"),
                    "unit": kwargs["unit"],
                    "source": kwargs["source"],
                    "title": kwargs["title"],
                    "desc": kwargs["description"],
                }
            )
            issue = real(**kwargs)
            self.ids.append(issue.pk)
            return issue

        monkeypatch.setattr(ledger, "issue_create", issue_create)


@pytest.fixture
def fake_ledger(monkeypatch) -> FakeLedger:
    return FakeLedger(monkeypatch)


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
