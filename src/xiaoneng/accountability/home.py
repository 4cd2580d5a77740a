"""Work-home providers of accountability: cases past a step's limit and proposals to approve."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoneng.core import clock, workhome

from .policies import visible_cases
from .vocab import CaseStatus


@workhome.provider(order=60)
def accountability_waiting(user) -> list[workhome.Waiting]:
    approve = user.has_permission("accountability.approve")
    manage = user.has_permission("accountability.manage")
    if not (approve or manage):
        return []
    now = clock.now()
    counts = visible_cases(user).aggregate(
        proposed=Count("pk", filter=Q(status=CaseStatus.PROPOSED), distinct=True),
        overdue=Count(
            "pk",
            filter=Q(step_due_at__lt=now)
            & ~Q(status__in=(CaseStatus.DISMISSED, CaseStatus.CLOSED, CaseStatus.SERVED)),
            distinct=True,
        ),
    )
    url = reverse("accountability:list")
    items = []
    if approve:
        items.append(
            workhome.Waiting(
                key="accountability.to_approve",
                label=_("Accountability proposals to approve"),
                count=counts["proposed"],
                url=f"{url}?status={CaseStatus.PROPOSED}",
            )
        )
    if manage:
        items.append(
            workhome.Waiting(
                key="accountability.overdue",
                label=_("Accountability cases past a time limit"),
                count=counts["overdue"],
                url=url,
                tone="danger",
            )
        )
    return items
