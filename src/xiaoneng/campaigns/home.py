"""Work-home providers of campaigns (see ``core.workhome``): the deliverables a unit owes
(and how many are overdue), and for the office the submissions waiting for review, one line
per campaign. One query each."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoneng.core import workhome

from . import selectors
from .models import Campaign, Submission


@workhome.provider(order=30)
def reports_owed(user) -> list[workhome.Waiting]:
    if not user.has_permission("campaign.submit"):
        return []
    counts = (
        selectors.my_open_submissions(user)
        .order_by()
        .aggregate(owed=Count("pk"), overdue=Count("pk", filter=selectors.overdue_q()))
    )
    url = reverse("campaigns:list")
    return [
        workhome.Waiting(
            key="campaigns.owed", label=_("Reports owed"), count=counts["owed"], url=f"{url}#mine"
        ),
        workhome.Waiting(
            key="campaigns.overdue",
            label=_("Reports overdue"),
            count=counts["overdue"],
            url=f"{url}?owed=overdue#mine",
            tone="danger",
        ),
    ]


@workhome.provider(order=31)
def reports_to_review(user) -> list[workhome.Waiting]:
    if not selectors.may_manage(user):
        return []
    waiting = Q(status__in=[Submission.Status.SUBMITTED, Submission.Status.LATE])
    rows = (
        selectors.submissions_for(user)
        .filter(waiting, requirement__campaign__status=Campaign.Status.ACTIVE)
        .order_by()
        .values("requirement__campaign_id", "requirement__campaign__name")
        .annotate(n=Count("pk"))
        .order_by("requirement__campaign_id")
    )
    items = [
        workhome.Waiting(
            key=f"campaigns.to_review.{row['requirement__campaign_id']}",
            label=_("Reports to review: %(campaign)s")
            % {"campaign": row["requirement__campaign__name"]},
            count=row["n"],
            url=reverse("campaigns:review", args=[row["requirement__campaign_id"]]),
        )
        for row in rows
    ]
    if not items:
        items.append(
            workhome.Waiting(
                key="campaigns.to_review",
                label=_("Reports to review"),
                count=0,
                url=reverse("campaigns:list"),
            )
        )
    return items
