"""Work-home providers of self-inspection (see ``core.workhome``): the checklists this user
answers (and how many are past their due date), and the learning requirements in force that
the user has not met yet. Queries: one for checklists; one for the requirements plus one per
requirement in force (an administrator's short list, not the data size)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoneng.core import workhome
from xiaoneng.core.scope import scoped

from . import selectors
from .models import ChecklistAssignment, LearningRequirement


@workhome.provider(order=40)
def checklists_due(user) -> list[workhome.Waiting]:
    """The same rows as selectors.my_assignments (the "my checklists" page)."""
    mine = Q(person_id=user.person_id) if user.person_id else Q(pk__in=[])
    if user.has_permission("campaign.submit"):
        mine |= Q(person__isnull=True)
    counts = (
        scoped(user, ChecklistAssignment)
        .filter(mine, status=ChecklistAssignment.Status.OPEN)
        .order_by()
        .aggregate(
            open=Count("pk", distinct=True),
            overdue=Count("pk", filter=Q(due_on__lt=selectors.today()), distinct=True),
        )
    )
    if not counts["open"] and not user.person_id:
        return []
    url = reverse("selfcheck:mine")
    return [
        workhome.Waiting(
            key="selfcheck.checklists",
            label=_("Checklists to answer"),
            count=counts["open"],
            url=url,
        ),
        workhome.Waiting(
            key="selfcheck.checklists_overdue",
            label=_("Checklists overdue"),
            count=counts["overdue"],
            url=url,
            tone="danger",
        ),
    ]


@workhome.provider(order=41)
def learning_short(user) -> list[workhome.Waiting]:
    if not user.person_id:
        return []
    if not LearningRequirement.objects.filter(is_active=True).exists():
        return []
    short = selectors.requirements_short(user.person_id, on=selectors.today())
    return [
        workhome.Waiting(
            key="selfcheck.learning_short",
            label=_("Learning requirements not yet met"),
            count=short,
            url=reverse("selfcheck:compliance"),
            tone="warning",
        )
    ]
