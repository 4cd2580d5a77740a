"""The statistics sources on a fixed fixture: exact figures, the period and unit filters, and
the data scope (a unit admin sees only its own subtree; another unit's id is a 404)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.http import Http404

from xiaoneng.core import clock
from xiaoneng.core import statistics as registry
from xiaoneng.core.errors import ValidationFailed
from xiaoneng.reports import params as filters

from .fixtures import CST, NOW, complaints

pytestmark = pytest.mark.django_db
PERIOD = {"start": "2026-01-01", "end": "2026-06-30"}


def run(user, key, data=None):
    with clock.frozen_now(NOW):
        params = filters.parse(user, data if data is not None else PERIOD, today=NOW.date())
        source = registry.get(user, key)
        assert source is not None, key
        return source.run(user, params)


def by(rows, key):
    return {r[key]: r for r in rows}


def test_complaints_by_month_count_received_and_closed(org):
    complaints(org)
    rows = run(org.alice, "complaints.by_month").rows
    assert [r["month"] for r in rows] == [
        "2026-01",
        "2026-02",
        "2026-03",
        "2026-04",
        "2026-05",
        "2026-06",
    ]
    assert [(r["received"], r["closed"]) for r in rows] == [
        (0, 0),
        (0, 0),
        (2, 2),
        (2, 1),
        (2, 1),
        (0, 0),
    ]


def test_channel_and_category(org):
    complaints(org)
    channels = by(run(org.alice, "complaints.by_channel").rows, "code")
    assert {k: r["count"] for k, r in channels.items()} == {"phone": 4, "web": 2}
    categories = {r["category"]: r["count"] for r in run(org.alice, "complaints.by_category").rows}
    assert categories == {"服务态度": 4, "乱收费": 2}


def test_rates_are_exact(org):
    complaints(org)
    table = run(org.alice, "complaints.rates")
    rows = by(table.rows, "code")
    # 6 received (merged left out), 4 closed; 3 of them replied by the deadline; 3 rated, 2 satisfied.
    assert (
        rows["closed_rate"]["part"],
        rows["closed_rate"]["whole"],
        rows["closed_rate"]["value"],
    ) == (4, 6, 66.7)
    assert (
        rows["on_time_rate"]["part"],
        rows["on_time_rate"]["whole"],
        rows["on_time_rate"]["value"],
    ) == (3, 4, 75.0)
    assert (rows["satisfaction_rate"]["part"], rows["satisfaction_rate"]["whole"]) == (2, 3)
    assert "1" in str(table.note)  # overdue now: a3


def test_by_unit_and_ranking(org):
    complaints(org)
    units = by(run(org.alice, "complaints.by_unit").rows, "unit")
    assert units[org.unit_a.name]["received"] == 3  # a1 a2 a4 (a3 is the branch's)
    assert units[org.unit_a.name]["on_time_rate"] == 66.7
    assert units[org.unit_a_child.name]["closed"] == 0
    assert units[org.unit_b.name]["received"] == 1  # b2 is not dispatched yet
    ranking = run(org.alice, "complaints.unit_ranking").rows
    assert [(r["unit"], r["rank"]) for r in ranking] == [(org.unit_b.name, 1), (org.unit_a.name, 2)]


def test_overdue_trend(org):
    complaints(org)
    rows = by(run(org.alice, "complaints.overdue").rows, "month")
    assert (rows["2026-03"]["due"], rows["2026-03"]["overdue"]) == (2, 1)  # a2 answered late
    assert (rows["2026-04"]["due"], rows["2026-04"]["overdue"]) == (2, 1)  # a3 still open
    assert (rows["2026-05"]["due"], rows["2026-05"]["overdue"]) == (1, 0)


def test_the_period_filter(org):
    complaints(org)
    rows = run(org.alice, "complaints.by_month", {"start": "2025-12-01", "end": "2025-12-31"}).rows
    assert rows == [{"month": "2025-12", "received": 1, "closed": 1}]


def test_the_unit_filter_keeps_the_unit_and_below(org):
    complaints(org)
    data = {**PERIOD, "unit": str(org.unit_a.pk)}
    rows = by(run(org.alice, "complaints.rates", data).rows, "code")
    assert rows["closed_rate"]["whole"] == 4  # a1 a2 a3 a4


def test_a_unit_admin_sees_only_its_subtree(org):
    complaints(org)
    rows = by(run(org.bob, "complaints.rates").rows, "code")
    assert rows["closed_rate"]["whole"] == 4
    assert set(by(run(org.bob, "complaints.by_unit").rows, "unit")) == {
        org.unit_a.name,
        org.unit_a_child.name,
    }
    carol = by(run(org.carol, "complaints.rates").rows, "code")
    assert carol["closed_rate"]["whole"] == 1  # b1 only; b2 is not dispatched to unit B yet


def test_another_units_id_is_a_404(org):
    with pytest.raises(Http404):
        filters.parse(org.carol, {"unit": str(org.unit_a.pk)}, today=date(2026, 6, 15))


def test_bad_dates_name_the_field(org):
    with pytest.raises(ValidationFailed) as exc:
        filters.parse(org.alice, {"start": "2026-13-01", "end": "x"}, today=date(2026, 6, 15))
    assert set(exc.value.errors) == {"start", "end"}
    with pytest.raises(ValidationFailed) as exc:
        filters.parse(
            org.alice, {"start": "2026-06-01", "end": "2026-05-01"}, today=date(2026, 6, 15)
        )
    assert set(exc.value.errors) == {"end"}


def test_the_default_period_is_twelve_months(org):
    params = filters.parse(org.alice, {}, today=date(2026, 6, 15))
    assert (params.start, params.end) == (date(2025, 7, 1), date(2026, 6, 15))


def test_users_without_stats_view_see_no_source(org):
    assert registry.sources_for(org.dave) == []
    assert registry.get(org.nobody, "complaints.rates") is None


def test_the_api_and_the_download_carry_the_same_figures(org, client):
    from rest_framework.test import APIClient

    from xiaoneng.core.spreadsheet import read_xlsx

    complaints(org)
    api = APIClient()
    api.force_authenticate(org.alice)
    with clock.frozen_now(NOW):
        data = api.get("/api/v1/stats/complaints.by_channel", PERIOD).json()
        client.force_login(org.alice)
        response = client.get("/dashboard/complaints.by_channel.xlsx", PERIOD)
    assert response.status_code == 200
    assert data["chart"] == {"type": "pie", "x": "channel", "series": ["count"], "stack": False}
    sheet = list(read_xlsx(response.content))
    assert sheet[0] == [c["label"] for c in data["columns"]]
    assert [[r["channel"], r["count"]] for r in data["rows"]] == [
        [row[0], int(row[1])] for row in sheet[1:]
    ]


def test_the_api_answers_400_for_bad_dates_and_404_for_unknown_sources(org):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(org.alice)
    response = api.get("/api/v1/stats/complaints.rates", {"start": "soon"})
    assert response.status_code == 400 and "start" in response.json()["errors"]
    assert api.get("/api/v1/stats/nothing.here").status_code == 404


def test_ledger_clearance_by_unit_and_campaign(org):
    from xiaoneng.rectification.tests import helpers

    with clock.frozen_now(NOW):
        helpers.item(org)
        helpers.item(org)
        helpers.closed_item(org)
        helpers.item(org, the_issue=helpers.issue(org, unit=org.unit_b))
    rows = by(run(org.alice, "ledger.by_unit").rows, "unit")
    assert {k: (r["total"], r["closed"], r["open"], r["percent"]) for k, r in rows.items()} == {
        org.unit_a.name: (3, 1, 2, 33.3),
        org.unit_b.name: (1, 0, 1, 0.0),
    }
    assert set(by(run(org.bob, "ledger.by_unit").rows, "unit")) == {org.unit_a.name}
    campaigns = run(org.alice, "ledger.by_campaign").rows
    assert [(r["campaign_id"], r["total"], r["closed"]) for r in campaigns] == [(None, 4, 1)]


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_the_query_count_of_every_source_does_not_grow_with_the_data(org, who):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .fixtures import case

    user = getattr(org, who)

    def counts() -> dict[str, int]:
        out = {}
        with clock.frozen_now(NOW):
            params = filters.parse(user, PERIOD, today=NOW.date())
            for source in registry.sources_for(user):
                source.run(user, params)  # warm per-process caches
                with CaptureQueriesContext(connection) as ctx:
                    source.run(user, params)
                out[source.key] = len(ctx.captured_queries)
        return out

    complaints(org)
    before = counts()
    for month in (2, 3, 4, 5):
        for unit in (org.unit_a, org.unit_a_child, org.unit_b):
            case(
                org,
                unit,
                datetime(2026, month, 3, 9, tzinfo=CST),
                "closed",
                resolve_by=datetime(2026, month, 20, tzinfo=CST),
                replied_at=datetime(2026, month, 25, tzinfo=CST),
                satisfaction="satisfied",
            )
    assert counts() == before
    assert max(before.values()) <= 3


def test_campaign_completion_counts_what_was_due(org):
    import datetime as dt

    from xiaoneng.campaigns import services as campaign_services
    from xiaoneng.campaigns.models import CampaignTemplate, Submission

    start = datetime(2026, 12, 1, 9, tzinfo=CST)
    with clock.frozen_now(start):
        campaign = campaign_services.campaign_create_from_template(
            actor=org.alice,
            template=CampaignTemplate.objects.get(code="zuofeng-zhengdun"),
            year=2026,
            issuing_unit=org.bureau,
        )
        campaign_services.campaign_start(actor=org.alice, campaign=campaign)
    subs = list(Submission.objects.filter(requirement__campaign=campaign).order_by("due_on", "id"))
    today = subs[len(subs) // 2].due_on + dt.timedelta(days=1)
    due = [s for s in subs if s.due_on < today]
    assert len(due) >= 4
    for sub, status in zip(due, ["submitted", "late", "accepted", "returned"], strict=False):
        Submission.objects.filter(pk=sub.pk).update(status=status)
    now = datetime.combine(today, datetime.min.time()).replace(hour=10, tzinfo=CST)
    with clock.frozen_now(now):
        params = filters.parse(org.alice, {"start": "2026-01-01", "end": "2027-12-31"}, today=today)
        rows = registry.get(org.alice, "campaigns.completion").run(org.alice, params).rows
        mine = registry.get(org.bob, "campaigns.completion").run(org.bob, params).rows
    assert rows == [
        {
            "campaign_id": campaign.pk,
            "campaign": campaign.name,
            "due": len(due),
            "submitted": 3,
            "overdue": len(due) - 3,  # the returned one and every pending one past its date
            "rate": round(300 / len(due), 1),
        }
    ]
    units_a = {org.unit_a.pk, org.unit_a_child.pk}
    assert mine[0]["due"] == sum(1 for s in due if s.unit_id in units_a)


def test_one_request_carries_every_table_the_sources_give_one_by_one(org):
    from rest_framework.test import APIClient

    complaints(org)
    api = APIClient()
    api.force_authenticate(org.bob)
    with clock.frozen_now(NOW):
        body = api.get("/api/v1/stats", {**PERIOD, "keys": "all"}).json()
        keys = [s["key"] for s in body["sources"]]
        assert list(body["tables"]) == keys
        for key in keys:
            assert body["tables"][key] == api.get(f"/api/v1/stats/{key}", PERIOD).json()
        two = api.get("/api/v1/stats", {**PERIOD, "keys": "complaints.rates,ledger.by_unit"})
    assert list(two.json()["tables"]) == ["complaints.rates", "ledger.by_unit"]


def test_sources_run_together_share_their_common_work_and_stay_equal(org):
    """The dashboard runs every source in one batch: per-unit figures and the overdue count are
    computed once, the tables are the same as run alone, and one source's rows are not changed
    by another's (the ranking numbers its own copies)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    complaints(org)
    keys = [
        "complaints.by_unit",
        "complaints.unit_ranking",
        "complaints.rates",
        "complaints.overdue",
    ]
    alone = {k: run(org.alice, k) for k in keys}
    with CaptureQueriesContext(connection) as apart:
        for k in keys:
            run(org.alice, k)
    with registry.batch(), CaptureQueriesContext(connection) as together:
        batched = {k: run(org.alice, k) for k in keys}
    assert len(together) < len(apart)
    for k in keys:
        assert (batched[k].rows, str(batched[k].note)) == (alone[k].rows, str(alone[k].note)), k
    assert all("rank" not in r for r in batched["complaints.by_unit"].rows)
    # Outside a batch nothing is kept: a new case counts at once.
    before = run(org.alice, "complaints.by_unit").rows
    from .fixtures import at, case

    case(org, org.unit_b, at(5, 20), "handling")
    assert run(org.alice, "complaints.by_unit").rows != before


def test_case_counts_are_not_labelled_as_accountability_cases(org):
    """The generic "Cases" column once read 问责案件 on every chart (a msgid shared with the
    accountability menu)."""
    from django.utils import translation

    complaints(org)
    with translation.override("zh-hans"):
        labels = [str(c.label) for c in run(org.alice, "complaints.by_channel").columns]
        assert "件数" in labels and "问责案件" not in labels
