"""Statistics sources of campaigns (see ``reports.registry``): submission completion per
campaign — deliverables due in the period (up to today), how many were submitted (on time or
late, accepted included) and how many are still owed past their due date."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from xiaoneng.reports import registry as stats

from . import selectors
from .models import Submission

GROUP = _("Campaigns")
S = Submission.Status
DONE = Q(status__in=[S.SUBMITTED, S.LATE, S.ACCEPTED])


@stats.source(
    "campaigns.completion",
    _("Campaign submission completion"),
    order=40,
    group=GROUP,
    chart=stats.Chart("hbar", x="campaign", series=("rate",)),
)
def completion(user, params: stats.Params) -> stats.Table:
    today = selectors.today()
    last = min(params.end, today)
    qs = params.within(
        selectors.submissions_for(user).filter(due_on__gte=params.start, due_on__lte=last), "unit"
    )
    rows = (
        qs.order_by()
        .values("requirement__campaign_id", "requirement__campaign__name")
        .annotate(
            due=Count("pk"),
            submitted=Count("pk", filter=DONE),
            on_time=Count("pk", filter=Q(status__in=[S.SUBMITTED, S.ACCEPTED])),
            overdue=Count("pk", filter=selectors.overdue_q(today)),
        )
        .order_by("requirement__campaign_id")
    )
    return stats.Table(
        columns=[
            stats.Column("campaign", _("Campaign")),
            stats.Column("due", _("Due"), "int"),
            stats.Column("submitted", _("Submitted"), "int"),
            stats.Column("overdue", _("Owed past due"), "int"),
            stats.Column("rate", _("Completion (%)"), "percent"),
        ],
        rows=[
            {
                "campaign_id": r["requirement__campaign_id"],
                "campaign": r["requirement__campaign__name"],
                "due": r["due"],
                "submitted": r["submitted"],
                "overdue": r["overdue"],
                "rate": stats.rate(r["submitted"], r["due"]),
            }
            for r in rows
        ],
    )
