"""Scoped reads of social supervision. The office (scope 全部) sees the roster and every report;
a supervisor (scope 仅本人) sees their own appointment and only the reports they filed — anyone
else's report is the same 404 as a missing one. Units see neither (the reports carry no unit
scope): they see the complaint or issue made of a report in their own apps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from xiaoneng.complaints.selectors import public_view
from xiaoneng.core.scope import get_scoped_or_404, scoped
from xiaoneng.inspections.selectors import visits_to_do
from xiaoneng.selfcheck.models import ActivityRecord

from .models import ActivityParticipation, Report, Supervisor
from .vocab import ReportStatus


def may_manage(user) -> bool:
    return bool(user and user.is_authenticated and user.has_permission("supervision.manage"))


def supervisors_for(user) -> QuerySet[Supervisor]:
    return scoped(user, Supervisor).select_related("person__unit")


def get_supervisor(user, pk) -> Supervisor:
    return get_scoped_or_404(user, supervisors_for(user), pk=pk)


def reports_for(user) -> QuerySet[Report]:
    return scoped(user, Report).select_related("supervisor__person", "unit", "complaint", "issue")


def get_report(user, pk) -> Report:
    return get_scoped_or_404(user, reports_for(user), pk=pk)


def my_reports(user) -> QuerySet[Report]:
    """What the signed-in supervisor filed (nothing for anyone else)."""
    if not user.person_id:
        return Report.objects.none()
    return reports_for(user).filter(supervisor__person_id=user.person_id)


def my_inspection_visits(user):
    """The inspection visits the office put this supervisor on (明查暗访 teams), still to do.

    A supervisor accompanies the team and observes (行风监督): the inspectors (``inspection.inspect``)
    record the checklist and findings; the supervisor's role has no inspection permission, so
    the visit's pages stay closed to them (404) and its services refuse them (403). What they
    saw goes in through their own report (``report_create``), which the office triages."""
    return visits_to_do(user).select_related("unit", "plan").order_by("scheduled_on", "id")


def to_triage(user) -> QuerySet[Report]:
    if not may_manage(user):
        return Report.objects.none()
    return reports_for(user).filter(status=ReportStatus.SUBMITTED).order_by("submitted_at", "id")


def report_counts(user) -> dict[str, int]:
    return dict(
        reports_for(user).values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )


@dataclass(frozen=True)
class Outcome:
    """What a supervisor may see of what became of their report: the public words of the
    complaint (已受理 / 办理中 / 已答复 / 已办结 and the reply), the ledger issue's progress, or the
    office's answer — never internal notes, handlers' names or other cases."""

    label: str
    number: str = ""
    reply: str = ""
    replied_at: datetime | None = None
    answer: str = ""


def outcome(report: Report) -> Outcome:
    if report.status == ReportStatus.COMPLAINT and report.complaint is not None:
        view = public_view(report.complaint)
        reply = view.reject_reason or view.reply
        return Outcome(
            label=view.status_label,
            number=view.number,
            reply=reply,
            replied_at=view.replied_at,
            answer=report.answer,
        )
    if report.status == ReportStatus.ISSUE and report.issue is not None:
        items = report.issue.items.aggregate(
            total=Count("id"), open=Count("id", filter=~Q(status="closed"))
        )
        if not items["total"]:
            label = _("Entered in the ledger; measures being set")
        elif items["open"]:
            label = _("Being rectified")
        else:
            label = _("Rectified and closed")
        return Outcome(label=label, number=report.issue.number, answer=report.answer)
    return Outcome(label=report.get_status_display(), answer=report.answer)


def activities_of(supervisor: Supervisor):
    """The 五个一 activities the office added this supervisor to (newest first)."""
    return ActivityParticipation.objects.filter(supervisor=supervisor).select_related(
        "record__activity", "record__unit"
    )


def my_activities(user):
    """The supervisor's own 五个一 activities (scope: their person)."""
    if not user.person_id:
        return ActivityParticipation.objects.none()
    return (
        scoped(user, ActivityParticipation)
        .filter(supervisor__person_id=user.person_id)
        .select_related("record__activity", "record__unit")
    )


def activity_records(user) -> list[ActivityRecord]:
    """The 五个一 records the office may add a supervisor to (the latest 200 in scope)."""
    qs = scoped(user, ActivityRecord).select_related("activity", "unit")
    return list(qs.order_by("-held_on", "-id")[:200])
