"""Scoped reads of inspections. The office (inspection.manage) sees everything in its data
scope; inspectors see the visits they are assigned to (and those visits' findings); a unit
sees its *published* visits and their findings only — an unpublished visit (暗访 above all)
is a 404 to it, like anything out of scope. 督办单 follow the unit's data scope; bulletins
are the office's and the approvers' until published."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from xiaoneng.core.scope import get_scoped_or_404, scope_for, scoped

from .models import Bulletin, Finding, InspectionPlan, SupervisionOrder, Visit
from .vocab import BulletinStatus, VisitStatus

VISIT_RELATED = ("plan", "unit", "recorded_by")
FINDING_RELATED = ("visit", "visit__plan", "unit", "category", "department", "issue")
ORDER_RELATED = ("unit", "finding", "item", "issue", "responsible_leader")


def _manages(user) -> bool:
    return user.is_authenticated and user.has_permission("inspection.manage")


def plans_for(user) -> QuerySet[InspectionPlan]:
    qs = InspectionPlan.objects.select_related("campaign", "template")
    if _manages(user):
        return qs
    if user.person_id and user.has_permission("inspection.inspect"):
        return qs.filter(visits__team=user.person_id).distinct()
    return qs.none()


def get_plan(user, pk) -> InspectionPlan:
    return _one(plans_for(user), pk)


def _visible(user) -> Q:
    """Assignments (team member) or published visits of units in scope."""
    published = Q(status=VisitStatus.PUBLISHED)
    unit_q = scope_for(user).q(Visit.SCOPE)
    q = published if unit_q is None else published & unit_q
    if user.person_id and user.has_permission("inspection.inspect"):
        q |= Q(team=user.person_id)
    return q


def _one(qs: QuerySet, pk):
    """Missing and out-of-scope are the same 404 (the querysets here are already scoped)."""
    try:
        return qs.get(pk=int(pk))
    except (ValueError, TypeError, qs.model.DoesNotExist) as exc:
        raise Http404 from exc


def visits_for(user) -> QuerySet[Visit]:
    qs = Visit.objects.select_related(*VISIT_RELATED)
    if _manages(user):
        return scoped(user, qs)
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(pk__in=Visit.objects.filter(_visible(user)).values("pk"))


def get_visit(user, pk) -> Visit:
    return _one(visits_for(user), pk)


def findings_for(user) -> QuerySet[Finding]:
    qs = Finding.objects.select_related(*FINDING_RELATED)
    if _manages(user):
        return scoped(user, qs)
    return qs.filter(visit__in=visits_for(user).values("pk"))


def get_finding(user, pk) -> Finding:
    return _one(findings_for(user), pk)


def orders_for(user) -> QuerySet[SupervisionOrder]:
    return scoped(user, SupervisionOrder.objects.select_related(*ORDER_RELATED))


def get_order(user, pk) -> SupervisionOrder:
    return get_scoped_or_404(user, orders_for(user), pk=pk)


def bulletins_for(user) -> QuerySet[Bulletin]:
    qs = Bulletin.objects.all()
    if _manages(user) or user.has_permission("bulletin.approve"):
        return qs
    return qs.filter(status=BulletinStatus.PUBLISHED)


def get_bulletin(user, pk) -> Bulletin:
    return _one(bulletins_for(user), pk)


def public_bulletins() -> QuerySet[Bulletin]:
    return Bulletin.objects.filter(status=BulletinStatus.PUBLISHED).order_by("-published_at")


def public_entries(bulletin: Bulletin):
    return bulletin.entries.filter(approved=True).select_related("unit").order_by("position")


def visits_to_do(user) -> QuerySet[Visit]:
    """The inspector's open assignments (planned or recorded, not yet published)."""
    if not user.person_id:
        return Visit.objects.none()
    return Visit.objects.filter(
        team=user.person_id, status__in=(VisitStatus.PLANNED, VisitStatus.RECORDED)
    )
