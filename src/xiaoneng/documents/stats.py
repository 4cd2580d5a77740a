"""Statistics sources of official documents (see ``core.statistics``): documents issued per
month by kind, over the documents issued by the units in the reader's scope (成文日期 in the
period)."""

from __future__ import annotations

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from xiaoneng.core import statistics as stats
from xiaoneng.core.scope import scoped

from .models import Document
from .vocab import DocumentKind, DocumentStatus

GROUP = _("Official documents")
KINDS = tuple(code for code, _label in DocumentKind.choices)


@stats.source(
    "documents.by_month",
    _("Documents issued by month"),
    order=80,
    group=GROUP,
    chart=stats.Chart("bar", x="month", series=KINDS, stack=True),
)
def by_month(user, params: stats.Params) -> stats.Table:
    qs = params.within(
        scoped(user, Document).filter(
            status=DocumentStatus.ISSUED, dated__gte=params.start, dated__lte=params.end
        ),
        "unit",
    ).order_by()
    counts: dict[tuple[str, str], int] = {}
    for r in qs.annotate(month=TruncMonth("dated")).values("month", "kind").annotate(n=Count("pk")):
        counts[(r["month"].strftime("%Y-%m"), r["kind"])] = r["n"]
    rows = []
    for month in params.months():
        key = month.strftime("%Y-%m")
        row: dict = {"month": key}
        row.update({kind: counts.get((key, kind), 0) for kind in KINDS})
        row["total"] = sum(row[kind] for kind in KINDS)
        rows.append(row)
    return stats.Table(
        columns=[
            stats.Column("month", _("Month")),
            *(stats.Column(code, label, "int") for code, label in DocumentKind.choices),
            stats.Column("total", _("All kinds"), "int"),
        ],
        rows=rows,
        note=_("Documents issued by the units in your scope, by date of issue (成文日期)."),
    )
