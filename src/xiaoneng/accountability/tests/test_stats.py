"""Accountability on the dashboard: exact figures for the office, nothing for a unit admin."""

from __future__ import annotations

import pytest

from xiaoneng.accountability.services import cases

from .helpers import failed_spot_check

pytestmark = pytest.mark.django_db


def test_cases_by_unit_and_measures_for_the_office_only(org, api_as):
    case = failed_spot_check(org)
    cases.case_create(actor=org.alice, title="窗口推诿", unit=org.unit_b)
    cases.case_create(actor=org.alice, title="再次推诿", unit=org.unit_b)
    r = api_as(org.alice).get("/api/v1/stats/accountability.by_unit")
    assert r.status_code == 200, r.content
    rows = {row["unit"]: row for row in r.json()["rows"]}
    assert rows[org.unit_b.name]["total"] == 2
    assert rows[org.unit_a.name]["open"] == 1
    assert rows[org.unit_a.name]["decided"] == 0
    # a unit admin (stats.view, not accountability.view) never sees the cases
    assert api_as(org.bob).get("/api/v1/stats/accountability.by_unit").status_code == 404
    assert api_as(org.leader).get("/api/v1/stats/accountability.by_measure").status_code == 200
    assert case.pk
