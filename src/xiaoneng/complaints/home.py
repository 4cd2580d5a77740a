"""Work-home providers of the complaint engine (see ``core.workhome``).

The office (and read-only roles with a wide scope, such as a bureau leader) see the county's
cases by stage and by deadline, linking to the filtered office list; a unit that signs for
and handles cases sees its unit queue's tabs. One query per provider.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoneng.core import workhome

from . import selectors
from .vocab import CLOCK_STATUSES, Status

URGENT = 5  # the cases listed under the cards, earliest deadline first
UNIT_RUNNING = (Status.DISPATCHED, Status.SIGNED, Status.HANDLING)


def urgent_rows(user, statuses) -> list[dict]:
    """The running cases in scope with the earliest resolution deadlines (overdue first)."""
    rows = (
        selectors.complaints_for(user, related=())
        .filter(status__in=statuses, resolve_by__isnull=False)
        .order_by("resolve_by", "id")
        .values("pk", "number", "title", "resolve_by")[:URGENT]
    )
    return [
        {
            "title": f"{r['number']} {r['title']}",
            "url": reverse("complaints:detail", args=[r["pk"]]),
            "due": r["resolve_by"],
        }
        for r in rows
    ]


OFFICE_ITEMS = [
    # (count key, label, list filter, tone, permission needed besides browsing)
    ("to_accept", _("Cases to accept"), "status=registered", "primary", "complaint.dispatch"),
    ("to_dispatch", _("Cases to dispatch"), "status=accepted", "primary", "complaint.dispatch"),
    ("to_verify", _("Replies to verify"), "status=replied", "primary", "complaint.dispatch"),
    ("to_visit", _("Return visits to make"), "status=verified", "primary", "complaint.dispatch"),
    ("to_close", _("Cases to close"), "status=visited", "primary", "complaint.dispatch"),
    (
        "extension_pending",
        _("Extension requests to decide"),
        "extension_pending=true",
        "warning",
        "complaint.dispatch",
    ),
    ("due_soon", _("Cases near their deadline"), "due_soon=true", "warning", None),
    ("overdue", _("Cases past their deadline"), "overdue=true", "danger", None),
]
UNIT_ITEMS = [
    ("to_sign", _("Cases to sign for"), "primary"),
    ("handling", _("Cases to reply to"), "primary"),
    ("due_soon", _("Cases near their deadline"), "warning"),
    ("overdue", _("Cases past their deadline"), "danger"),
]


@workhome.provider(order=10)
def office_cases(user) -> list[workhome.Waiting]:
    if not selectors.browses_all(user):
        return []
    counts = selectors.home_counts(user)
    url = reverse("complaints:queue")
    items = [
        workhome.Waiting(
            key=f"complaints.{key}", label=label, count=counts[key], url=f"{url}?{query}", tone=tone
        )
        for key, label, query, tone, perm in OFFICE_ITEMS
        if perm is None or user.has_permission(perm)
    ]
    items[-1].rows = urgent_rows(user, CLOCK_STATUSES)
    items[-1].rows_title = _("Cases with the earliest deadlines")
    return items


@workhome.provider(order=11)
def unit_cases(user) -> list[workhome.Waiting]:
    if not user.has_permission("complaint.handle") or selectors.browses_all(user):
        return []
    counts = selectors.unit_queue_counts(user)
    url = reverse("complaints:unit")
    items = [
        workhome.Waiting(
            key=f"complaints.{key}",
            label=label,
            count=counts[key],
            url=f"{url}?tab={key}",
            tone=tone,
        )
        for key, label, tone in UNIT_ITEMS
    ]
    items[-1].rows = urgent_rows(user, UNIT_RUNNING)
    items[-1].rows_title = _("Cases with the earliest deadlines")
    return items
