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
    return [
        workhome.Waiting(
            key=f"complaints.{key}", label=label, count=counts[key], url=f"{url}?{query}", tone=tone
        )
        for key, label, query, tone, perm in OFFICE_ITEMS
        if perm is None or user.has_permission(perm)
    ]


@workhome.provider(order=11)
def unit_cases(user) -> list[workhome.Waiting]:
    if not user.has_permission("complaint.handle") or selectors.browses_all(user):
        return []
    counts = selectors.unit_queue_counts(user)
    url = reverse("complaints:unit")
    return [
        workhome.Waiting(
            key=f"complaints.{key}",
            label=label,
            count=counts[key],
            url=f"{url}?tab={key}",
            tone=tone,
        )
        for key, label, tone in UNIT_ITEMS
    ]
