"""The complaint statistics rollup: the dashboard's figures read from it equal a live recount,
after cases are created, closed and escalated and the worker's incremental refresh has run;
the refresh recomputes only the months touched; the dashboard shows the "as of" time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from xiaoneng.complaints import rollup
from xiaoneng.complaints.models import Complaint, ComplaintRollup, EscalationStep, RollupState
from xiaoneng.core import clock
from xiaoneng.core import statistics as registry
from xiaoneng.reports import params as filters

from .fixtures import NOW, at, case, complaints

pytestmark = pytest.mark.django_db
PERIOD = {"start": "2026-01-01", "end": "2026-06-30"}  # January–May whole months before NOW
KEYS = [
    "complaints.by_month",
    "complaints.by_channel",
    "complaints.by_category",
    "complaints.by_unit",
    "complaints.rates",
    "complaints.overdue",
    "complaints.escalations",
    "complaints.unit_ranking",
]


def figures(user, data=None) -> dict:
    with clock.frozen_now(NOW):
        params = filters.parse(user, data or PERIOD, today=NOW.date())
        out = {}
        for key in KEYS:
            table = registry.get(user, key).run(user, params)
            out[key] = (table.rows, str(table.note))
        return out


def live(user, data=None) -> dict:
    """The same figures with the rollup switched off (nothing refreshed yet: all live)."""
    state = RollupState.objects.get(name=rollup.STATE)
    refreshed = state.refreshed_at
    RollupState.objects.filter(pk=state.pk).update(refreshed_at=None)
    try:
        return figures(user, data)
    finally:
        RollupState.objects.filter(pk=state.pk).update(refreshed_at=refreshed)


def step(complaint, key: str, level: int, when) -> EscalationStep:
    return EscalationStep.objects.create(
        complaint=complaint, kind="ladder", key=key, level=level, at=when
    )


def built(org) -> dict:
    cases = complaints(org)
    step(cases["a3"], "ladder:1", 1, at(4, 21))
    step(cases["b1"], "ladder:1", 1, at(4, 12))
    step(cases["a2"], "ladder:2", 2, at(3, 22))
    # Data written a while ago: the next refresh sees only what changes from now on.
    Complaint.objects.update(updated_at=timezone.now() - timedelta(hours=1))
    rollup.rebuild()
    return cases


def used_rollup(user, data=None) -> bool:
    with clock.frozen_now(NOW):
        params = filters.parse(user, data or PERIOD, today=NOW.date())
        plan = rollup.plan(user, params)
    return bool(plan.months) and plan.rows(rollup.Kind.UNIT).exists()


def test_rollup_figures_equal_a_live_recount_after_create_close_escalate(org):
    cases = built(org)
    users = [org.alice, org.bob, org.carol]
    for user in users:
        assert used_rollup(user)
        assert figures(user) == live(user), user
    assert figures(org.alice, {**PERIOD, "unit": str(org.unit_a.pk)}) == live(
        org.alice, {**PERIOD, "unit": str(org.unit_a.pk)}
    )
    # A late registration for March, a4 reopened… a3 closed late, an escalation of a1 by hand.
    case(org, org.unit_b, at(3, 15), "closed", resolve_by=at(3, 30), replied_at=at(4, 2))
    a3 = cases["a3"]
    a3.status, a3.replied_at, a3.closed_at, a3.satisfaction = (
        "closed",
        at(4, 25),
        at(4, 25),
        "satisfied",
    )
    a3.save()
    step(cases["a1"], "manual:1", 3, at(3, 8))
    cases["a1"].save()
    before = figures(org.alice)
    assert before != live(org.alice)  # stale until the worker's refresh
    summary = rollup.refresh_dirty()
    assert summary["months"] == 2  # March and April only
    for user in users:
        assert figures(user) == live(user), user
    rates = {r["code"]: r for r in figures(org.alice)["complaints.rates"][0]}
    assert rates["closed_rate"]["whole"] == 7 and rates["closed_rate"]["part"] == 6


def test_incremental_refresh_recomputes_only_the_dirty_months(org):
    cases = built(org)
    untouched = set(
        ComplaintRollup.objects.exclude(month=at(5, 1).date()).values_list("pk", flat=True)
    )
    may = set(ComplaintRollup.objects.filter(month=at(5, 1).date()).values_list("pk", flat=True))
    cases["a4"].satisfaction = "unsatisfied"
    cases["a4"].save()
    assert rollup.refresh_dirty() == {"months": 1, "rows": pytest.approx(len(may), abs=0)}
    after = set(ComplaintRollup.objects.values_list("pk", flat=True))
    assert untouched <= after  # other months' rows were not rewritten
    assert not may & after  # May's rows were
    # A run within the overlap (transactions still open at the last run) redoes May; once the
    # change is older than the overlap, nothing is recomputed.
    Complaint.objects.update(updated_at=timezone.now() - rollup.OVERLAP - timedelta(minutes=1))
    assert rollup.refresh_dirty()["months"] == 0


def test_part_months_and_the_current_month_are_live(org):
    built(org)
    with clock.frozen_now(NOW):
        params = filters.parse(
            org.alice, {"start": "2026-03-10", "end": "2026-06-30"}, today=NOW.date()
        )
        assert rollup.plan(org.alice, params).months == [at(4, 1).date(), at(5, 1).date()]
    data = {"start": "2026-03-10", "end": "2026-06-30"}
    assert figures(org.alice, data) == live(org.alice, data)


def test_the_dashboard_shows_the_as_of_time(org, client):
    client.force_login(org.alice)
    with clock.frozen_now(NOW):
        page = client.get("/dashboard/").content.decode()
    assert 'data-testid="stats-as-of"' in page
    built(org)
    refreshed = timezone.localtime(RollupState.objects.get().refreshed_at)
    with clock.frozen_now(NOW):
        page = client.get("/dashboard/").content.decode()
        body = client.get("/api/v1/stats").json()
    assert refreshed.strftime("%Y-%m-%d %H:%M") in page
    assert body["as_of"] == RollupState.objects.get().refreshed_at.isoformat()
