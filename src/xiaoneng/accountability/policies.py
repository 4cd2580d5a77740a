"""Who sees accountability cases (issue #19 › Privacy).

Cases are visible to the office, 纪检监察室 and bureau leaders (``accountability.view`` within
their data scope) and to the principal leader of the unit concerned for that unit's cases —
never to a person the case examines, who sees only the decision served on them
(``selectors.my_decisions``)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from xiaoneng.core.scope import scoped

from .models import Case

VIEW = "accountability.view"


def visible_cases(user) -> QuerySet[Case]:
    if user is None or not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    if user.has_permission(VIEW):
        qs = scoped(user, Case)
    elif user.person_id:
        qs = Case.objects.filter(unit__principal_id=user.person_id)
    else:
        return Case.objects.none()
    if user.person_id and not user.is_superuser:
        qs = qs.exclude(Q(subjects__person_id=user.person_id))
    return qs


def can_manage(user) -> bool:
    return user.has_permission("accountability.manage")


def can_approve(user) -> bool:
    return user.has_permission("accountability.approve")
