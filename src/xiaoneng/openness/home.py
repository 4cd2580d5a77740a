"""Work-home providers of 院务公开: pages awaiting the office's approval, pages returned to
the unit."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoneng.core import workhome

from . import selectors
from .vocab import DisclosureStatus


@workhome.provider(order=75)
def disclosures_waiting(user) -> list[workhome.Waiting]:
    if user.has_permission("openness.manage"):
        status, key, label = (
            DisclosureStatus.SUBMITTED,
            "openness.to_approve",
            _("院务公开 pages to approve"),
        )
    elif user.has_permission("openness.edit"):
        status, key, label = (
            DisclosureStatus.RETURNED,
            "openness.returned",
            _("院务公开 pages returned to you"),
        )
    else:
        return []
    n = selectors.disclosures_for(user).filter(status=status).count()
    url = f"{reverse('openness:disclosures')}?status={status}"
    return [workhome.Waiting(key=key, label=label, count=n, url=url)] if n else []
