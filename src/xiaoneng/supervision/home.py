"""Work-home providers: reports waiting for the office's decision; for a supervisor, their
reports the office has decided on (to read the outcome)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoneng.core import workhome

from . import selectors


@workhome.provider(order=45)
def reports_to_triage(user) -> list[workhome.Waiting]:
    if not selectors.may_manage(user):
        return []
    count = selectors.to_triage(user).count()
    if not count:
        return []
    return [
        workhome.Waiting(
            key="supervision.to_triage",
            label=_("Supervisor reports to triage"),
            count=count,
            url=reverse("supervision:triage_list"),
        )
    ]


@workhome.provider(order=46)
def my_reports_waiting(user) -> list[workhome.Waiting]:
    if not user.has_permission("supervision.report"):
        return []
    count = selectors.my_reports(user).filter(status="submitted").count()
    if not count:
        return []
    return [
        workhome.Waiting(
            key="supervision.mine_waiting",
            label=_("My reports awaiting the office"),
            count=count,
            url=reverse("supervision:mine"),
        )
    ]
