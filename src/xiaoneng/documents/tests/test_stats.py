"""The dashboard's documents source: issued documents per month by kind, in the reader's scope."""

from __future__ import annotations

import datetime as dt

import pytest

from xiaoneng.core import clock
from xiaoneng.documents import services
from xiaoneng.documents.models import DocumentTemplate

from .conftest import at, issue

PERIOD = {"start": "2026-03-01", "end": "2026-04-30"}


@pytest.mark.django_db
def test_documents_issued_by_month_and_kind_in_scope(org, campaign, notice, api_as):
    plan = services.document_draft(
        actor=org.alice,
        template=DocumentTemplate.objects.get(code="plan"),
        unit=org.bureau,
        source_ref=str(campaign.pk),
    )
    services.document_draft(  # a draft is not counted
        actor=org.alice,
        template=DocumentTemplate.objects.get(code="plan"),
        unit=org.bureau,
        source_ref=str(campaign.pk),
    )
    with clock.frozen_now(at(dt.date(2026, 3, 5))):
        issue(org, notice)
    with clock.frozen_now(at(dt.date(2026, 4, 2))):
        issue(org, plan)
    r = api_as(org.leader).get("/api/v1/stats/documents.by_month", PERIOD)
    assert r.status_code == 200, r.content
    rows = {row["month"]: row for row in r.json()["rows"]}
    assert rows["2026-03"]["notice"] == 1 and rows["2026-03"]["plan"] == 0
    assert rows["2026-04"]["plan"] == 1 and rows["2026-04"]["total"] == 1
    labels = [c["label"] for c in r.json()["columns"]]
    assert "通知" in labels and "实施方案" in labels
    # a unit admin of unit B sees nothing the bureau issued
    r = api_as(org.carol).get("/api/v1/stats/documents.by_month", PERIOD)
    assert r.status_code == 200
    assert sum(row["total"] for row in r.json()["rows"]) == 0
    # narrowed to unit A (below which the bureau's documents are not)
    r = api_as(org.leader).get(
        "/api/v1/stats/documents.by_month", {**PERIOD, "unit": org.unit_a.pk}
    )
    assert sum(row["total"] for row in r.json()["rows"]) == 0
