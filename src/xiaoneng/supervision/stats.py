"""Statistics source of social supervision (see ``core.statistics``): what supervisors filed in
the period, per unit concerned, and what the office made of it. Only the office sees it (the
reports themselves are the office's)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xiaoneng.core import statistics as stats

from . import selectors
from .vocab import ReportStatus as R


@stats.source(
    "supervision.reports",
    _("Supervisor reports by unit"),
    order=75,
    group=_("Social supervisors"),
    permission="supervision.manage",
    chart=stats.Chart(
        "hbar", x="unit", series=("complaint", "issue", "noted", "waiting"), stack=True
    ),
)
def reports_by_unit(user, params: stats.Params) -> stats.Table:
    qs = params.within(
        selectors.reports_for(user).filter(
            submitted_at__gte=params.since, submitted_at__lt=params.until
        ),
        "unit",
    )
    rows = (
        qs.order_by()
        .values("unit_id", "unit__name")
        .annotate(
            total=Count("pk"),
            complaint=Count("pk", filter=Q(status=R.COMPLAINT)),
            issue=Count("pk", filter=Q(status=R.ISSUE)),
            noted=Count("pk", filter=Q(status=R.NOTED)),
            waiting=Count("pk", filter=Q(status=R.SUBMITTED)),
        )
        .order_by("-total", "unit__name")
    )
    return stats.Table(
        columns=[
            stats.Column("unit", _("Unit")),
            stats.Column("total", _("Filed"), "int"),
            stats.Column("complaint", _("Handled as a complaint"), "int"),
            stats.Column("issue", _("Entered in the rectification ledger"), "int"),
            stats.Column("noted", _("Noted by the office"), "int"),
            stats.Column(
                "waiting", pgettext_lazy("supervisor report", "Awaiting the office"), "int"
            ),
        ],
        rows=[
            {
                "unit_id": r["unit_id"],
                "unit": r["unit__name"],
                "total": r["total"],
                "complaint": r["complaint"],
                "issue": r["issue"],
                "noted": r["noted"],
                "waiting": r["waiting"],
            }
            for r in rows
        ],
    )
