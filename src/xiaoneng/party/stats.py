"""Dashboard source of 创先争优: star ratings of the period's years by scheme and level."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from xiaoneng.core import statistics as stats

from . import selectors

LEVELS = ("5", "4", "3", "2", "1", "0")


@stats.source(
    "party.star_ratings",
    _("Star ratings by scheme and level"),
    order=90,
    group=_("Party building (创先争优)"),
    chart=stats.Chart("bar", x="scheme", series=LEVELS[:-1], stack=True),
)
def star_ratings(user, params: stats.Params) -> stats.Table:
    qs = params.within(selectors.ratings_for(user), "unit").filter(
        year__gte=params.start.year, year__lte=params.end.year
    )
    rows: dict[str, dict] = {}
    for name, stars, n in (
        qs.values_list("scheme__name", "stars").annotate(n=Count("pk")).order_by("scheme__name")
    ):
        row = rows.setdefault(name, {"scheme": name, **dict.fromkeys(LEVELS, 0)})
        row[str(min(stars, 5))] += n
    columns = [stats.Column("scheme", _("Star scheme"))]
    columns += [stats.Column(s, _("%(n)s stars") % {"n": s}, "int") for s in LEVELS[:-1]]
    columns.append(stats.Column("0", _("Below one star"), "int"))
    return stats.Table(columns=columns, rows=list(rows.values()))
