"""Permission matrix of the statistics pages and endpoints (core.testing_matrix)."""

from __future__ import annotations

import pytest

from xiaoneng.core import testing_matrix as m


def unit_a(w):
    return {"unit": w.org.unit_a.pk}


ROWS = [
    m.Row("reports:dashboard", m.everyone()),
    m.Row("reports:dashboard", m.scoped(), data=unit_a, label="unit A"),
    m.Row("reports:download", m.everyone(), kwargs={"key": "complaints.rates"}),
    m.Row(
        "reports:download",
        m.scoped(),
        kwargs={"key": "complaints.by_unit"},
        data=unit_a,
        label="unit A",
    ),
    m.Row("reports:download", m.everyone(404), kwargs={"key": "no.such"}, label="unknown"),
    m.Row("api-stats", m.everyone()),
    m.Row("api-stats-source", m.everyone(), kwargs={"key": "ledger.by_unit"}),
    m.Row(
        "api-stats-source",
        m.scoped(),
        kwargs={"key": "complaints.rates"},
        data=unit_a,
        label="unit A",
    ),
    m.Row("api-stats-source", m.everyone(404), kwargs={"key": "no.such"}, label="unknown"),
]


@m.parametrize(ROWS)
def test_matrix(row, org):
    m.check(row, m.World(org))


def test_every_pattern_has_a_row(db):
    m.assert_complete("reports", ROWS)


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/",
        "/dashboard/complaints.rates.xlsx",
        "/api/v1/stats",
        "/api/v1/stats/complaints.rates",
    ],
)
def test_users_without_stats_view_are_refused(org, url):
    from rest_framework.test import APIClient

    for user in (org.dave, org.nobody):
        client = APIClient()
        if url.startswith("/api/"):
            client.force_authenticate(user)
        else:
            client.force_login(user)
        assert client.get(url).status_code == 403, (user, url)


def test_a_leader_sees_the_county(org):
    from django.test import Client

    client = Client()
    client.force_login(org.leader)
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/dashboard/", {"unit": org.unit_b.pk}).status_code == 200
