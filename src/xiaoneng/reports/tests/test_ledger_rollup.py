"""The ledger's statistics rollup: 清零 by unit and by campaign read from it equal a live recount —
items and closed items, and overdue now split three ways (open items due in an earlier month from
the rollup, due earlier this month counted live, due later not overdue) — after items are
closed and moved to a campaign and the worker's refresh has run; part months stay live."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

import pytest
from django.utils import timezone

from xiaoneng.campaigns import services as campaign_services
from xiaoneng.campaigns.models import CampaignTemplate
from xiaoneng.complaints.models import RollupState
from xiaoneng.core import clock
from xiaoneng.core import statistics as registry
from xiaoneng.rectification import rollup
from xiaoneng.rectification import services as ledger
from xiaoneng.rectification.models import Issue, LedgerRollup, RectificationItem
from xiaoneng.rectification.tests import helpers
from xiaoneng.reports import params as filters

from .fixtures import NOW, at

pytestmark = pytest.mark.django_db
PERIOD = {"start": "2026-01-01", "end": "2026-06-30"}  # January–May whole months before NOW
KEYS = ["ledger.by_unit", "ledger.by_campaign"]


def figures(user, data=None) -> dict:
    with clock.frozen_now(NOW):
        params = filters.parse(user, data or PERIOD, today=NOW.date())
        return {key: registry.get(user, key).run(user, params).rows for key in KEYS}


def live(user, data=None) -> dict:
    """The same figures with the rollup switched off (nothing refreshed yet: all live)."""
    state = RollupState.objects.get(name=rollup.STATE)
    refreshed = state.refreshed_at
    RollupState.objects.filter(pk=state.pk).update(refreshed_at=None)
    try:
        return figures(user, data)
    finally:
        RollupState.objects.filter(pk=state.pk).update(refreshed_at=refreshed)


def made_at(when, org, **over) -> RectificationItem:
    with clock.frozen_now(when):
        return helpers.item(org, **over)


def ledger_items(org) -> dict[str, RectificationItem]:
    """Items recorded March–June; NOW is 15 June."""
    b_issue = helpers.issue(org, unit=org.unit_b)
    items = {
        "due_april": made_at(at(3, 2), org, deadline=dt.date(2026, 4, 10)),  # overdue (rollup)
        "due_june_past": made_at(at(4, 3), org, deadline=dt.date(2026, 6, 5)),  # overdue (live)
        "due_june_later": made_at(at(5, 4), org, deadline=dt.date(2026, 6, 25)),  # not yet
        "b_due_may": made_at(at(5, 6), org, the_issue=b_issue, deadline=dt.date(2026, 5, 20)),
        "june": made_at(at(6, 2), org, deadline=dt.date(2026, 6, 8)),  # the current month: live
    }
    with clock.frozen_now(at(3, 20)):
        items["closed"] = helpers.closed_item(org)
    return items


def built(org) -> dict:
    items = ledger_items(org)
    # Data written a while ago: the next refresh sees only what changes from now on.
    RectificationItem.objects.update(updated_at=timezone.now() - timedelta(hours=1))
    Issue.objects.update(updated_at=timezone.now() - timedelta(hours=1))
    rollup.rebuild()
    return items


def by_unit(rows) -> dict:
    return {r["unit"]: (r["total"], r["closed"], r["open"], r["overdue"]) for r in rows}


def test_ledger_figures_from_the_rollup_equal_a_live_recount(org):
    items = built(org)
    with clock.frozen_now(NOW):
        params = filters.parse(org.alice, PERIOD, today=NOW.date())
        plan = rollup.plan(org.alice, params)
    assert plan.months == [at(m, 1).date() for m in (1, 2, 3, 4, 5)]
    assert plan.rows(LedgerRollup.Kind.ITEMS).exists()
    got = figures(org.alice)
    assert got == live(org.alice)
    # By hand: unit A has five items (one closed); overdue on 15 June: due 10 April (from the
    # rollup), due 5 June and due 8 June (live); unit B's item due 20 May.
    assert by_unit(got["ledger.by_unit"]) == {
        org.unit_a.name: (5, 1, 4, 3),
        org.unit_b.name: (1, 0, 1, 1),
    }
    for user in (org.bob, org.carol):
        assert figures(user) == live(user), user
    part = {"start": "2026-03-10", "end": "2026-06-30"}
    assert figures(org.alice, part) == live(org.alice, part)
    unit_a = {**PERIOD, "unit": str(org.unit_a.pk)}
    assert figures(org.alice, unit_a) == live(org.alice, unit_a)

    # Changes: an item closed, an issue moved to a campaign — stale until the worker's refresh.
    template = CampaignTemplate.objects.get(code="zuofeng-zhengdun")
    with clock.frozen_now(at(3, 1)):
        campaign = campaign_services.campaign_create_from_template(
            actor=org.alice, template=template, year=2026, issuing_unit=org.bureau
        )
    Issue.objects.filter(pk=items["b_due_may"].issue_id).update(
        campaign=campaign, updated_at=timezone.now()
    )
    # On the real clock, as in production (the refresh's watermark is the real time).
    it = items["due_april"]
    ledger.close_request(
        item=it, actor=org.bob, summary="已整改", files=[helpers.evidence(org.bob)]
    )
    ledger.verify(item=it, actor=org.alice, decision="accept")
    assert figures(org.alice) != live(org.alice)
    summary = rollup.refresh_dirty()
    assert summary["months"] == 2  # March (the closed item) and May (the moved issue)
    got = figures(org.alice)
    assert got == live(org.alice)
    assert by_unit(got["ledger.by_unit"])[org.unit_a.name] == (5, 2, 3, 2)
    campaigns = {r["campaign_id"]: (r["total"], r["closed"]) for r in got["ledger.by_campaign"]}
    assert campaigns == {campaign.pk: (1, 0), None: (5, 2)}


def test_incremental_refresh_leaves_other_months_alone(org):
    built(org)
    untouched = set(
        LedgerRollup.objects.exclude(month=at(5, 1).date()).values_list("pk", flat=True)
    )
    RectificationItem.objects.filter(created_at__month=5).update(updated_at=timezone.now())
    assert rollup.refresh_dirty()["months"] == 1
    after = set(LedgerRollup.objects.values_list("pk", flat=True))
    assert untouched <= after
    RectificationItem.objects.update(
        updated_at=timezone.now() - rollup.base.OVERLAP - timedelta(minutes=1)
    )
    assert rollup.refresh_dirty()["months"] == 0


def test_stats_rebuild_builds_both_rollups(org):
    from io import StringIO

    from django.core.management import call_command

    ledger_items(org)
    out = StringIO()
    call_command("stats_rebuild", stdout=out)
    assert '"ledger"' in out.getvalue() and '"complaints"' in out.getvalue()
    assert set(RollupState.objects.values_list("name", flat=True)) == {"complaints", "ledger"}
    assert LedgerRollup.objects.filter(all_units=True, kind="items").exists()
