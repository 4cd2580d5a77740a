"""Scoped reads of campaigns. Everything starts from the user's data scope: a unit sees the
campaigns it is in (not drafts) and only its own submissions and progress rows; the office
(campaign.manage, scope 全部) sees everything. Out of scope and missing are the same 404."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import clock
from xiaoneng.core.models import Unit
from xiaoneng.core.scope import get_scoped_or_404, scope_for, scoped

from .models import (
    Campaign,
    CampaignTemplate,
    GroupMember,
    KeyTask,
    KeyTaskProgress,
    LeadingGroup,
    Phase,
    ReportingRequirement,
    Submission,
    Target,
    TargetMeasurement,
)
from .workflow import OPEN

S = Submission.Status


def today() -> dt.date:
    return timezone.localdate(clock.now())


def may_manage(user) -> bool:
    return bool(user and user.is_authenticated and user.has_permission("campaign.manage"))


def templates_for(user) -> QuerySet[CampaignTemplate]:
    return CampaignTemplate.objects.filter(is_active=True)


def campaigns_for(user) -> QuerySet[Campaign]:
    qs = scoped(user, Campaign).select_related("template", "issuing_unit")
    if not may_manage(user):
        qs = qs.exclude(status=Campaign.Status.DRAFT)
    # The scope rule reaches the units through a many-to-many: one row per campaign.
    return Campaign.objects.filter(pk__in=qs.values("pk")).select_related(
        "template", "issuing_unit"
    )


def get_campaign(user, pk) -> Campaign:
    """Missing and out of scope are the same 404 (campaigns_for already applies the scope)."""
    try:
        return campaigns_for(user).get(pk=int(pk))
    except (Campaign.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404 from exc


def units_of(campaign: Campaign, user) -> QuerySet[Unit]:
    """The campaign's units the user may see (all of them for the office)."""
    return scoped(user, campaign.units.all()).order_by("sort_order", "code")


def phases_of(campaign: Campaign) -> list[Phase]:
    return list(campaign.phases.order_by("order"))


def current_phase(phases: list[Phase], on: dt.date | None = None) -> Phase | None:
    """The phase containing today; between phases the last one started; before all, none."""
    on = on or today()
    started = [p for p in phases if p.starts_on <= on]
    for phase in started:
        if phase.ends_on >= on:
            return phase
    return started[-1] if started else None


def groups_of(campaign: Campaign) -> list[LeadingGroup]:
    """The campaign's leading group first, then the units' groups, with members in order."""
    members = GroupMember.objects.select_related("person__unit").order_by("sort_order", "id")
    return list(
        campaign.groups.select_related("unit", "office_director")
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by(F("unit__path").asc(nulls_first=True), "id")
    )


def group_members_of(campaign: Campaign) -> QuerySet[GroupMember]:
    return GroupMember.objects.filter(group__campaign=campaign).select_related("group__unit")


def requirements_for(user) -> QuerySet[ReportingRequirement]:
    visible = campaigns_for(user)
    qs = ReportingRequirement.objects.filter(campaign__in=visible)
    if not may_manage(user):
        qs = qs.filter(pk__in=scoped(user, ReportingRequirement).values("pk"))
    return qs.select_related("campaign", "phase", "template_file")


def submissions_for(user) -> QuerySet[Submission]:
    qs = scoped(user, Submission).filter(requirement__campaign__in=campaigns_for(user))
    return qs.select_related("requirement__campaign", "requirement__phase", "unit")


def get_submission(user, pk) -> Submission:
    return get_scoped_or_404(user, submissions_for(user), pk=pk)


def is_overdue(sub: Submission, on: dt.date | None = None) -> bool:
    """逾期: not (re)submitted and the due date has passed — true from the day after."""
    return sub.status in OPEN and sub.due_on < (on or today())


def display_status(sub: Submission, on: dt.date | None = None) -> tuple[str, str]:
    """(code, label) as shown: "overdue" replaces pending/returned once past due."""
    if is_overdue(sub, on):
        label = _("Overdue")
        if sub.status == S.RETURNED:
            label = _("Returned, overdue")
        return "overdue", label
    return sub.status, sub.get_status_display()


def overdue_q(on: dt.date | None = None) -> Q:
    return Q(status__in=OPEN, due_on__lt=on or today())


def key_tasks_for(user) -> QuerySet[KeyTask]:
    return KeyTask.objects.filter(campaign__in=campaigns_for(user)).prefetch_related(
        "lead_units", "responsible_units"
    )


def progress_for(user) -> QuerySet[KeyTaskProgress]:
    return scoped(user, KeyTaskProgress).filter(task__campaign__in=campaigns_for(user))


def targets_for(user) -> QuerySet[Target]:
    """The target table is read by everyone in the campaign; measurements are written by the
    responsible unit or the office (services)."""
    return Target.objects.filter(campaign__in=campaigns_for(user)).select_related(
        "responsible_unit", "campaign"
    )


def measurements_for(user) -> QuerySet[TargetMeasurement]:
    return TargetMeasurement.objects.filter(target__in=targets_for(user)).select_related(
        "target", "reported_by"
    )


# --- campaign page -----------------------------------------------------------------------------------
@dataclass
class Cell:
    submission: Submission | None
    code: str = "none"
    label: str = ""
    done: int = 0
    total: int = 0


@dataclass
class Matrix:
    requirements: list[ReportingRequirement]
    rows: list[tuple[Unit, list[Cell]]]
    counts: dict[str, int] = field(default_factory=dict)


def _pick(subs: list[Submission], on: dt.date) -> Submission:
    """The occurrence to show for a (recurring) deliverable: the first still open and due, else
    the next one coming, else the last."""
    open_subs = [s for s in subs if s.status in OPEN]
    due = [s for s in open_subs if s.due_on < on]
    if due:
        return due[0]
    if open_subs:
        return open_subs[0]
    return subs[-1]


def submission_matrix(campaign: Campaign, user, on: dt.date | None = None) -> Matrix:
    """Units × deliverables with each cell's state (a recurring deliverable shows the
    occurrence that needs attention and "done / total")."""
    on = on or today()
    requirements = list(campaign.requirements.order_by("due_on", "sort_order", "id"))
    units = list(units_of(campaign, user))
    subs = scoped(user, Submission).filter(requirement__campaign=campaign).order_by("due_on", "id")
    by_key: dict[tuple[int, int], list[Submission]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for sub in subs:
        by_key[(sub.unit_id, sub.requirement_id)].append(sub)
        counts[display_status(sub, on)[0]] += 1
    rows = []
    for unit in units:
        cells = []
        for req in requirements:
            found = by_key.get((unit.pk, req.pk), [])
            if not found:
                cells.append(Cell(None))
                continue
            shown = _pick(found, on)
            shown.requirement = req
            shown.unit = unit
            code, label = display_status(shown, on)
            done = sum(1 for s in found if s.status in (S.SUBMITTED, S.LATE, S.ACCEPTED))
            cells.append(Cell(shown, code, label, done, len(found)))
        rows.append((unit, cells))
    return Matrix(requirements, rows, dict(counts))


def late_submissions(campaign: Campaign, on: dt.date | None = None) -> QuerySet[Submission]:
    return (
        Submission.objects.filter(requirement__campaign=campaign)
        .filter(overdue_q(on))
        .select_related("requirement", "unit")
    )


@dataclass
class TaskRow:
    task: KeyTask
    progress: list[KeyTaskProgress]
    done: int
    total: int

    @property
    def overall(self) -> str:
        if self.total and self.done == self.total:
            return KeyTaskProgress.Status.DONE
        if any(p.status != KeyTaskProgress.Status.NOT_STARTED for p in self.progress):
            return KeyTaskProgress.Status.IN_PROGRESS
        return KeyTaskProgress.Status.NOT_STARTED


def key_task_rows(campaign: Campaign, user) -> list[TaskRow]:
    progress = KeyTaskProgress.objects.select_related("unit").order_by(
        "unit__sort_order", "unit_id"
    )
    if not may_manage(user):
        progress = progress.filter(pk__in=scoped(user, KeyTaskProgress).values("pk"))
    tasks = (
        campaign.key_tasks.order_by("number")
        .prefetch_related("lead_units", Prefetch("progress", queryset=progress))
        .annotate(
            n_total=Count("progress", distinct=True),
            n_done=Count(
                "progress",
                filter=Q(progress__status=KeyTaskProgress.Status.DONE),
                distinct=True,
            ),
        )
    )
    if may_manage(user):
        return [TaskRow(t, list(t.progress.all()), t.n_done, t.n_total) for t in tasks]
    # A unit sees its own rows: its progress counted over its units, not "1 / 22".
    rows = []
    for t in tasks:
        own = list(t.progress.all())
        done = sum(1 for p in own if p.status == KeyTaskProgress.Status.DONE)
        rows.append(TaskRow(t, own, done, len(own)))
    return rows


@dataclass
class TargetRow:
    target: Target
    latest: TargetMeasurement | None
    measurements: list[TargetMeasurement]


def target_rows(campaign: Campaign) -> list[TargetRow]:
    targets = (
        campaign.targets.select_related("responsible_unit")
        .prefetch_related(
            Prefetch("measurements", queryset=TargetMeasurement.objects.order_by("period"))
        )
        .order_by("id")
    )
    rows = []
    for t in targets:
        ms = list(t.measurements.all())
        rows.append(TargetRow(t, ms[-1] if ms else None, ms))
    return rows


def targets_summary(rows: list[TargetRow]) -> dict[str, int]:
    measured = [r for r in rows if r.latest is not None]
    return {
        "total": len(rows),
        "measured": len(measured),
        "met": sum(1 for r in measured if r.latest and r.latest.met),
        "not_met": sum(1 for r in measured if r.latest and r.latest.met is False),
    }


def issue_counts(campaign: Campaign, user) -> dict[str, int]:
    """Issues found and closed for the campaign in the rectification ledger (``Issue.campaign``,
    read through its reverse relation so this app does not import the ledger); an issue counts as
    closed when it has items and all are closed."""
    qs = scoped(user, campaign.ledger_issues.all())
    found = qs.count()
    closed = (
        qs.annotate(
            n_items=Count("items", distinct=True),
            n_open=Count("items", filter=~Q(items__status="closed"), distinct=True),
        )
        .filter(n_items__gt=0, n_open=0)
        .count()
    )
    return {"found": found, "closed": closed}


def my_open_submissions(user) -> QuerySet[Submission]:
    if not user.has_permission("campaign.submit") or scope_for(user).everything:
        return Submission.objects.none()
    return (
        submissions_for(user)
        .filter(status__in=OPEN, requirement__campaign__status=Campaign.Status.ACTIVE)
        .order_by("due_on", "id")
    )
