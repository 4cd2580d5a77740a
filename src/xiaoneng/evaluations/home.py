"""Work-home providers (core.workhome): consequences to decide and rounds to close for the
office, ethics files waiting for a grade for the unit reviewers. Two queries each at most."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoneng.core import workhome

from . import selectors


@workhome.provider(order=60)
def consequences_to_decide(user) -> list[workhome.Waiting]:
    if not user.has_permission("evaluation.manage"):
        return []
    count = selectors.pending_consequences(user).count()
    if not count:
        return []
    return [
        workhome.Waiting(
            key="evaluations.consequences",
            label=_("Evaluation consequences to confirm"),
            count=count,
            url=reverse("evaluations:consequences") + "?status=proposed",
            tone="warning",
        )
    ]


@workhome.provider(order=61)
def rounds_voting(user) -> list[workhome.Waiting]:
    if not user.has_permission("evaluation.manage"):
        return []
    count = selectors.rounds_to_close(user).count()
    if not count:
        return []
    return [
        workhome.Waiting(
            key="evaluations.rounds_open",
            label=_("Evaluation rounds in voting"),
            count=count,
            url=reverse("evaluations:rounds"),
        )
    ]


@workhome.provider(order=62)
def ethics_to_grade(user) -> list[workhome.Waiting]:
    if not user.has_permission("ethics.grade"):
        return []
    count = selectors.files_to_grade(user).count()
    if not count:
        return []
    return [
        workhome.Waiting(
            key="evaluations.ethics_to_grade",
            label=_("Medical-ethics files to grade"),
            count=count,
            url=reverse("evaluations:ethics") + "?grade=none",
        )
    ]
