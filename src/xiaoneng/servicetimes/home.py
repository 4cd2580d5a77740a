"""Work-home provider: ledger proposals waiting for the office's decision."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoneng.core import workhome

from . import selectors
from .vocab import ProposalStatus


@workhome.provider(order=75)
def service_time_proposals(user) -> list[workhome.Waiting]:
    if not selectors.may_manage(user):
        return []
    count = selectors.proposals_for(user).filter(status=ProposalStatus.PROPOSED).count()
    if not count:
        return []
    return [
        workhome.Waiting(
            key="servicetimes.proposals",
            label=_("Service-time proposals to decide"),
            count=count,
            url=reverse("servicetimes:proposals"),
            tone="warning",
        )
    ]
