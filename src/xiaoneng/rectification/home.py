"""Work-home providers of the ledger (see ``core.workhome``): items near or past their
deadline and items sent back for the units that rectify; close-out requests for those who
verify. One query, linking to the filtered ledger."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoneng.core import clock, workhome
from xiaoneng.core.scope import scoped

from . import deadlines
from .models import RectificationItem
from .vocab import OPEN_STATUSES, ItemStatus

ITEMS = [
    # (count key, label, ledger filter, tone, permission)
    ("due_soon", _("Ledger items due soon"), "light=yellow", "warning", "rectification.manage"),
    ("overdue", _("Ledger items overdue"), "overdue=true", "danger", "rectification.manage"),
    ("reopened", _("Ledger items sent back"), "status=reopened", "warning", "rectification.manage"),
    (
        "to_verify",
        _("Close-outs to verify"),
        "status=close_requested",
        "primary",
        "rectification.verify",
    ),
]


@workhome.provider(order=20)
def ledger_items(user) -> list[workhome.Waiting]:
    wanted = [row for row in ITEMS if user.has_permission(row[4])]
    if not wanted:
        return []
    now = clock.now()
    counts = (
        scoped(user, RectificationItem)
        .filter(status__in=OPEN_STATUSES)  # every count is of open items: the status index
        .order_by()
        .aggregate(
            due_soon=Count("pk", filter=deadlines.light_q("yellow", now)),
            overdue=Count("pk", filter=deadlines.overdue_q(now)),
            reopened=Count("pk", filter=Q(status=ItemStatus.REOPENED)),
            to_verify=Count("pk", filter=Q(status=ItemStatus.CLOSE_REQUESTED)),
        )
    )
    url = reverse("rectification:ledger")
    items = [
        workhome.Waiting(
            key=f"rectification.{key}",
            label=label,
            count=counts[key],
            url=f"{url}?{query}",
            tone=tone,
        )
        for key, label, query, tone, _perm in wanted
    ]
    if user.has_permission("rectification.manage"):
        items[0].rows = urgent_rows(user)
        items[0].rows_title = _("Ledger items with the earliest deadlines")
    return items


def urgent_rows(user, limit: int = 5) -> list[dict]:
    """The open items in scope with the earliest deadlines (overdue first)."""
    rows = (
        scoped(user, RectificationItem)
        .filter(status__in=OPEN_STATUSES)
        .order_by("deadline", "id")
        .values("pk", "number", "measures", "deadline")[:limit]
    )
    return [
        {
            "title": f"{r['number']} {r['measures'][:40]}",
            "url": reverse("rectification:item", args=[r["pk"]]),
            "due": r["deadline"],
        }
        for r in rows
    ]
