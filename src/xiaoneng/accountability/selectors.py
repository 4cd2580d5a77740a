"""Scoped reads of accountability, the assessment and nominations."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from xiaoneng.core.scope import scoped

from .models import Assessment, AssessmentScheme, Case, Nomination, Subject
from .policies import visible_cases
from .vocab import CaseStatus, SchemeStatus


def cases_for(user) -> QuerySet[Case]:
    return visible_cases(user).select_related("unit", "department").distinct()


def get_case(user, pk: int) -> Case:
    case = cases_for(user).filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def case_counts(user) -> dict[str, int]:
    rows = visible_cases(user).values("status").annotate(n=Count("pk", distinct=True))
    return {r["status"]: r["n"] for r in rows}


def my_decisions(user) -> QuerySet[Subject]:
    """The decisions served on this user (and only those)."""
    if not user.is_authenticated or not user.person_id:
        return Subject.objects.none()
    return Subject.objects.filter(
        person_id=user.person_id,
        case__status__in=(CaseStatus.SERVED, CaseStatus.APPEALING, CaseStatus.CLOSED),
    ).select_related("case", "case__unit", "measure")


def schemes_for(user) -> QuerySet[AssessmentScheme]:
    """The office and leaders see every scheme; others the published ones."""
    if not user.is_authenticated:
        return AssessmentScheme.objects.none()
    if user.has_permission("assessment.manage") or user.has_permission("accountability.view"):
        return AssessmentScheme.objects.all()
    return AssessmentScheme.objects.filter(status=SchemeStatus.PUBLISHED)


def get_scheme(user, pk: int) -> AssessmentScheme:
    scheme = schemes_for(user).filter(pk=pk).first()
    if scheme is None:
        raise Http404
    return scheme


def assessments_for(user, scheme: AssessmentScheme) -> QuerySet[Assessment]:
    qs = Assessment.objects.filter(scheme=scheme)
    if not user.has_permission("assessment.manage"):
        qs = scoped(user, qs)
    return qs.select_related("unit").order_by("rank", "unit__path")


def get_assessment(user, pk: int) -> Assessment:
    assessment = Assessment.objects.select_related("scheme", "unit").filter(pk=pk).first()
    if (
        assessment is None
        or not schemes_for(user).filter(pk=assessment.scheme_id).exists()
        or not assessments_for(user, assessment.scheme).filter(pk=pk).exists()
    ):
        raise Http404
    return assessment


def nominations_for(user) -> QuerySet[Nomination]:
    if not user.is_authenticated:
        return Nomination.objects.none()
    if user.has_permission("award.decide"):
        qs = Nomination.objects.all()
    else:
        qs = scoped(user, Nomination)
    return qs.select_related("unit", "person")


def get_nomination(user, pk: int) -> Nomination:
    nomination = nominations_for(user).filter(pk=pk).first()
    if nomination is None:
        raise Http404
    return nomination


def visible_findings(user, findings: list[dict]) -> list[dict]:
    """The check's findings as this user may read them: cases and vetoes are the office's,
    纪检监察's and leaders' business, so a nominating unit learns only that there are some."""
    if user.has_permission("award.decide") or user.has_permission("accountability.view"):
        return findings
    blocking = [f for f in findings if f.get("blocking")]
    if not blocking:
        return []
    return [
        {
            "kind": "restricted",
            "blocking": True,
            "text": _("The check found matters that the efficiency office must weigh."),
        }
    ]


def open_cases_q() -> Q:
    return ~Q(status__in=(CaseStatus.DISMISSED, CaseStatus.CLOSED))
