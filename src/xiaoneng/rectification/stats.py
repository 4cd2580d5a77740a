"""Statistics sources of the ledger (see ``reports.registry``): 清零 progress by unit — items
recorded in the period, how many are closed, open and overdue today, and the closed share."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from xiaoneng.core import clock
from xiaoneng.reports import registry as stats

from . import selectors

GROUP = _("Rectification ledger")
UNIT_LIMIT = 30


def items(user, params: stats.Params):
    """Ledger items in scope recorded in the period, narrowed by unit."""
    qs = selectors.items_for(user).filter(created_at__gte=params.since, created_at__lt=params.until)
    return params.within(qs, "responsible_unit")


CLEARANCE_COLUMNS = [
    stats.Column("total", _("Items"), "int"),
    stats.Column("closed", _("Items closed out"), "int"),
    stats.Column("open", _("Items not closed out"), "int"),
    stats.Column("overdue", _("Overdue"), "int"),
    stats.Column("percent", _("Cleared (%)"), "percent"),
]


def clearance_rows(qs, by: str) -> list[dict]:
    rows = selectors.grouped(qs, by, now=clock.now())
    return [
        {
            "key": r["key"],
            "label": r["label"],
            "total": r["total"],
            "closed": r["closed"],
            "open": r["total"] - r["closed"],
            "overdue": r["overdue"],
            "percent": stats.rate(r["closed"], r["total"]),
        }
        for r in rows
    ]


@stats.source(
    "ledger.by_unit",
    _("Ledger clearance by unit"),
    order=30,
    group=GROUP,
    chart=stats.Chart("bar", x="unit", series=("closed", "open"), stack=True),
)
def by_unit(user, params: stats.Params) -> stats.Table:
    rows = clearance_rows(items(user, params), "unit")
    for row in rows:
        row["unit"] = row.pop("label")
        row["unit_id"] = row.pop("key")
    rows.sort(key=lambda r: (-r["total"], r["unit"]))
    return stats.Table(
        columns=[stats.Column("unit", _("Unit")), *CLEARANCE_COLUMNS],
        rows=rows[:UNIT_LIMIT],
        note=_("The %(n)s units with the most items.") % {"n": UNIT_LIMIT}
        if len(rows) > UNIT_LIMIT
        else "",
    )
