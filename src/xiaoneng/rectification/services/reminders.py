"""The deadline reminders of open items."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import clock
from xiaoneng.core.models import User
from xiaoneng.core.notify import notify
from xiaoneng.core.services.base import (
    unit_admins,
    user_of,
)

from ..models import (
    RectificationItem,
)
from .common import item_link


# --- reminders ---------------------------------------------------------------------------------
def send_reminders(*, now: datetime | None = None) -> dict[str, int]:
    """Before the deadline (yellow) and at/after it (red): remind the responsible unit's admins
    and person. Dedup keys name the deadline, so a sweep can run any number of times and a new
    deadline (reopened item) reminds again."""
    from ..vocab import OPEN_STATUSES

    now = now or clock.now()
    sent = {"due_soon": 0, "overdue": 0}
    open_items = RectificationItem.objects.filter(status__in=OPEN_STATUSES).select_related(
        "responsible_unit", "responsible_person"
    )
    buckets = (
        ("due_soon", open_items.filter(yellow_at__lte=now, deadline__gte=now)),
        ("overdue", open_items.filter(deadline__lt=now)),
    )
    admins_by_unit: dict[int, list[User]] = {}
    for kind, qs in buckets:
        for item in qs.iterator(chunk_size=500):
            key = f"{kind}:{item.deadline.isoformat()}"
            if item.last_reminder == key:
                continue
            if item.responsible_unit_id not in admins_by_unit:
                admins_by_unit[item.responsible_unit_id] = unit_admins(
                    item.responsible_unit, permission="rectification.manage"
                )
            recipients = list(admins_by_unit[item.responsible_unit_id])
            person_user = user_of(item.responsible_person)
            if person_user is not None:
                recipients.append(person_user)
            deadline = timezone.localtime(item.deadline).strftime("%Y-%m-%d %H:%M")
            with transaction.atomic():
                notify(
                    event=f"rectification_{kind}",
                    dedup_key=f"rectification:item:{item.pk}:{kind}:{item.deadline.isoformat()}",
                    recipients=recipients,
                    subject=(
                        _("Rectification item %(number)s is due on %(deadline)s")
                        if kind == "due_soon"
                        else _("Rectification item %(number)s is overdue (deadline %(deadline)s)")
                    )
                    % {"number": item.number, "deadline": deadline},
                    body=item.measures[:500],
                    link=item_link(item),
                )
                RectificationItem.objects.filter(pk=item.pk).update(last_reminder=key)
            sent[kind] += 1
    return sent
