"""Statistics source of the service time limits (see ``core.statistics``): compliance by
standard over the period, from the stored results (whole-unit rows, in the caller's scope)."""

from __future__ import annotations

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from xiaoneng.core import statistics as stats

from . import selectors

GROUP = _("Service time limits")


@stats.source(
    "servicetimes.by_standard",
    _("Service time compliance by standard"),
    order=75,
    group=GROUP,
    chart=stats.Chart("bar", x="standard", series=("rate",)),
)
def by_standard(user, params: stats.Params) -> stats.Table:
    qs = params.within(
        selectors.results_for(user).filter(
            department__isnull=True, month__gte=params.start, month__lte=params.end
        ),
        "unit",
    )
    rows = (
        qs.values("standard__name", "standard__order")
        .annotate(cases=Sum("cases"), compliant=Sum("compliant"))
        .order_by("standard__order")
    )
    return stats.Table(
        columns=[
            stats.Column("standard", _("Standard")),
            stats.Column("cases", _("Cases measured"), "int"),
            stats.Column("compliant", _("Compliant"), "int"),
            stats.Column("rate", _("Compliance rate (%)"), "percent"),
        ],
        rows=[
            {
                "standard": r["standard__name"],
                "cases": r["cases"],
                "compliant": r["compliant"],
                "rate": round(r["compliant"] * 100 / r["cases"], 1) if r["cases"] else None,
            }
            for r in rows
        ],
    )
