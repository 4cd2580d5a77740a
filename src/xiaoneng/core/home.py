"""The core's work-home provider (see ``core.workhome``): unread notices in the inbox."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import workhome
from .models import Message


@workhome.provider(order=90)
def unread_notices(user) -> list[workhome.Waiting]:
    count = Message.objects.filter(recipient=user, read_at__isnull=True).count()
    user.inbox_unread_now = count  # the header's badge on the same page reuses it
    return [
        workhome.Waiting(
            key="core.unread",
            label=_("Unread notices"),
            count=count,
            url=reverse("inbox") + "?unread=1",
        )
    ]
