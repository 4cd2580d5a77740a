"""Statistics sources of the ledger (see ``core.statistics``): 清零 progress by unit and by
campaign — items recorded in the period, how many are closed, open and overdue today, and the
closed share."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.campaigns.models import Campaign
from xiaoneng.complaints import rollup as base
from xiaoneng.core import clock
from xiaoneng.core import statistics as stats

from . import deadlines, rollup, selectors
from .models import LedgerRollup

Kind = LedgerRollup.Kind
stats.as_of_provider(rollup.as_of)

GROUP = _("Rectification ledger")
UNIT_LIMIT = 30


def items(user, params: stats.Params, where: Q | None = None):
    """Ledger items in scope recorded in the period (``where``, from the rollup's plan, replaces
    the period when given), narrowed by unit."""
    qs = selectors.items_for(user)
    if where is None:
        qs = qs.filter(created_at__gte=params.since, created_at__lt=params.until)
    else:
        qs = qs.filter(where)
    return params.within(qs, "responsible_unit").order_by()


CLEARANCE_COLUMNS = [
    stats.Column("total", _("Items"), "int"),
    stats.Column("closed", _("Items closed out"), "int"),
    stats.Column("open", _("Items not closed out"), "int"),
    stats.Column("overdue", _("Overdue"), "int"),
    stats.Column("percent", _("Cleared (%)"), "percent"),
]
ROLLUP_KEYS = {"unit": "unit_id", "campaign": "campaign_id"}


def _counts(user, params: stats.Params, by: str) -> dict[Any, list[int]]:
    """[items, closed, overdue now] per unit or campaign: whole past months from the rollup
    (their overdue: open items due in an earlier month, plus this month's counted live), the
    rest of the period live. Plain lists: 5,000 units at province scale."""
    now = clock.now()
    plan = rollup.plan(user, params)
    found: dict[Any, list[int]] = {}

    def add(key, total: int = 0, closed: int = 0, overdue: int = 0) -> None:
        acc = found.setdefault(key, [0, 0, 0])
        acc[0] += total
        acc[1] += closed
        acc[2] += overdue

    for r in selectors.grouped(items(user, params, plan.live("created_at")), by, now=now):
        add(r["key"], r["total"], r["closed"], r["overdue"])
    if not plan.months:
        return found
    field, per_unit = ROLLUP_KEYS[by], by == "unit"
    made = plan.rows(Kind.ITEMS, per_unit=per_unit)
    if made is not None:
        for key, total, closed in made.values_list(field).annotate(Sum("total"), Sum("closed")):
            add(key, total, closed)
    this_month = timezone.localdate(now).replace(day=1)
    due_before = plan.rows(Kind.OPEN, per_unit=per_unit)
    if due_before is not None:
        for key, n in (
            due_before.filter(at_month__lt=this_month).values_list(field).annotate(Sum("total"))
        ):
            add(key, overdue=n)
    covered = Q(
        created_at__gte=base.month_start(plan.months[0]),
        created_at__lt=base.month_start(base.next_month(plan.months[-1])),
    )
    due_now = items(user, params, covered).filter(
        deadlines.overdue_q(now), deadline__gte=base.month_start(this_month)
    )
    for key, n in due_now.values_list(selectors.GROUPS[by][0]).annotate(n=Count("pk")):
        add(key, overdue=n)
    return found


def clearance_rows(user, params: stats.Params, by: str) -> list[dict]:
    return [
        {
            "key": key,
            "total": total,
            "closed": closed,
            "open": total - closed,
            "overdue": overdue,
            "percent": stats.rate(closed, total),
        }
        for key, (total, closed, overdue) in _counts(user, params, by).items()
        if total
    ]


@stats.source(
    "ledger.by_unit",
    _("Ledger clearance by unit"),
    order=30,
    group=GROUP,
    chart=stats.Chart("bar", x="unit", series=("closed", "open"), stack=True),
)
def by_unit(user, params: stats.Params) -> stats.Table:
    rows = clearance_rows(user, params, "unit")
    names = stats.unit_names(r["key"] for r in rows)
    for row in rows:
        row["unit_id"] = row.pop("key")
        row["unit"] = names.get(row["unit_id"], "")
    rows.sort(key=lambda r: (-r["total"], r["unit"]))
    return stats.Table(
        columns=[stats.Column("unit", _("Unit")), *CLEARANCE_COLUMNS],
        rows=rows[:UNIT_LIMIT],
        note=_("The %(n)s units with the most items.") % {"n": UNIT_LIMIT}
        if len(rows) > UNIT_LIMIT
        else "",
    )


@stats.source(
    "ledger.by_campaign",
    _("Ledger clearance by campaign"),
    order=31,
    group=GROUP,
    chart=stats.Chart("bar", x="campaign", series=("closed", "open"), stack=True),
)
def by_campaign(user, params: stats.Params) -> stats.Table:
    rows = sorted(
        clearance_rows(user, params, "campaign"), key=lambda r: (r["key"] is None, r["key"] or 0)
    )
    ids = [r["key"] for r in rows if r["key"]]
    names = dict(Campaign.objects.filter(pk__in=ids).values_list("pk", "name"))
    for row in rows:
        row["campaign_id"] = row.pop("key")
        row["campaign"] = (
            names.get(row["campaign_id"], "") if row["campaign_id"] else str(_("No campaign"))
        )
    return stats.Table(
        columns=[stats.Column("campaign", _("Campaign")), *CLEARANCE_COLUMNS],
        rows=rows,
    )
