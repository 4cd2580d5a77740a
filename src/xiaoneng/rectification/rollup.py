"""The ledger's statistics rollup (统计汇总): 清零 figures per responsible unit, created month and
campaign, for the dashboard's whole past months (``LedgerRollup``).

A province's ledger holds a million items; counting them live per unit and per campaign costs
about half a second each. The rollup keeps the items and closed items, and the open items by
deadline month: how many are overdue is then the open items whose deadline month has passed plus
those of the current month past their deadline, counted live (few). Refreshed with the complaint
rollup (same worker task, same ``xiaoneng stats-rebuild``), by the items' and issues'
``updated_at``; the reading side shares the complaint rollup's ``plan`` (whole months before the
current one from the rollup, the rest live; department and personal scopes read live).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, Min, Q
from django.db.models.functions import TruncMonth

from xiaoneng.complaints import rollup as base
from xiaoneng.core import statistics as stats

from .models import LedgerRollup, RectificationItem
from .vocab import OPEN_STATUSES, ItemStatus

STATE = "ledger"
Kind = LedgerRollup.Kind


def _month_rows(month: dt.date) -> list[LedgerRollup]:
    since, until = base.month_start(month), base.month_start(base.next_month(month))
    items = RectificationItem.objects.filter(created_at__gte=since, created_at__lt=until).order_by()
    rows: list[LedgerRollup] = []
    totals: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def add(kind: str, unit_id, campaign_id, at_month=None, **counts: int) -> None:
        rows.append(
            LedgerRollup(
                month=month,
                kind=kind,
                unit_id=unit_id,
                campaign_id=campaign_id,
                at_month=at_month,
                **counts,
            )
        )
        for name, n in counts.items():
            totals[(kind, campaign_id, at_month)][name] += n

    for r in items.values("responsible_unit_id", "issue__campaign_id").annotate(
        n=Count("pk"), c=Count("pk", filter=Q(status=ItemStatus.CLOSED))
    ):
        add(
            Kind.ITEMS,
            r["responsible_unit_id"],
            r["issue__campaign_id"],
            total=r["n"],
            closed=r["c"],
        )
    open_items = (
        items.filter(status__in=OPEN_STATUSES)
        .annotate(at=TruncMonth("deadline"))
        .values("responsible_unit_id", "issue__campaign_id", "at")
        .annotate(n=Count("pk"))
    )
    for r in open_items:
        add(
            Kind.OPEN,
            r["responsible_unit_id"],
            r["issue__campaign_id"],
            base.month_of(r["at"]),
            total=r["n"],
        )
    for (kind, campaign_id, at_month), counts in totals.items():
        rows.append(
            LedgerRollup(
                month=month,
                kind=kind,
                all_units=True,
                campaign_id=campaign_id,
                at_month=at_month,
                **counts,
            )
        )
    return rows


@transaction.atomic
def refresh(months: Iterable[dt.date]) -> int:
    """Recompute these created months whole; returns the rows written."""
    wanted = sorted({m.replace(day=1) for m in months if m is not None})
    if not wanted:
        return 0
    LedgerRollup.objects.filter(month__in=wanted).delete()
    written = 0
    for month in wanted:
        rows = _month_rows(month)
        LedgerRollup.objects.bulk_create(rows, batch_size=5000)
        written += len(rows)
    return written


def dirty_months(since: dt.datetime) -> set[dt.date]:
    """Created months of the items changed, or whose issue changed (its campaign), since then."""
    changed = [
        RectificationItem.objects.filter(updated_at__gte=since),
        RectificationItem.objects.filter(issue__updated_at__gte=since),
    ]
    months = set()
    for qs in changed:
        found = qs.order_by().annotate(m=TruncMonth("created_at")).values_list("m", flat=True)
        months.update(base.month_of(m) for m in found.distinct())
    return {m for m in months if m is not None}


@transaction.atomic
def rebuild() -> dict[str, Any]:
    """Every month from the first item to now."""
    return base.rebuild_state(
        STATE,
        model=LedgerRollup,
        first=RectificationItem.objects.aggregate(m=Min("created_at"))["m"],
        refresh=refresh,
    )


@transaction.atomic
def refresh_dirty() -> dict[str, Any]:
    return base.refresh_state(STATE, dirty=dirty_months, refresh=refresh, rebuild=rebuild)


def as_of() -> dt.datetime | None:
    return base.state_as_of(STATE)


def plan(user, params: stats.Params) -> base.Plan:
    """The complaint rollup's split of the period, over the ledger's rows (an item's scope has
    no owner clause)."""
    return base.plan(user, params, state=STATE, model=LedgerRollup, owner=False)
