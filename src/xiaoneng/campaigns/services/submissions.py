"""Reporting requirements and the units submissions (报送): due dates, submit, accept, return, urge."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit, clock
from xiaoneng.core import calendar as workcal
from xiaoneng.core.errors import Forbidden
from xiaoneng.core.models import StoredFile, Unit, User
from xiaoneng.core.notify import notify
from xiaoneng.core.scope import scope_for
from xiaoneng.core.services.base import require_permission, require_writable, unit_admins

from ..models import (
    Campaign,
    Phase,
    Recurrence,
    ReportingRequirement,
    Submission,
)
from ..workflow import OPEN, SUBMISSION
from .common import MAX_OCCURRENCES, _date, _invalid, _link, _manage, _today


# --- reporting requirements and submissions -------------------------------------------------------------
def due_dates(due_on: dt.date, recurrence: str, repeat_until: dt.date | None) -> list[dt.date]:
    """A one-off due date, or every week / month from `due_on` up to `repeat_until`."""
    if not recurrence:
        return [due_on]
    if repeat_until is None or repeat_until < due_on:
        _invalid(
            "repeat_until", _("A recurring deliverable needs an end date after the first due date.")
        )
    dates: list[dt.date] = []
    k = 0
    while True:
        if recurrence == Recurrence.WEEKLY:
            day = due_on + dt.timedelta(weeks=k)
        else:
            month0 = due_on.month - 1 + k
            day = _date(due_on.year + month0 // 12, month0 % 12 + 1, due_on.day)
        if day > repeat_until:
            return dates
        dates.append(day)
        k += 1
        if k > MAX_OCCURRENCES:
            _invalid("repeat_until", _("Too many occurrences; choose a shorter period."))


@transaction.atomic
def requirement_create(
    *,
    actor,
    campaign: Campaign,
    name: str,
    due_on: dt.date,
    phase: Phase | None = None,
    units: Iterable[Unit] | None = None,
    description: str = "",
    recurrence: str = "",
    repeat_until: dt.date | None = None,
    template_file: StoredFile | None = None,
    sort_order: int = 0,
) -> ReportingRequirement:
    """A deliverable the units owe; one submission per unit and due date is created now, so a
    missing one is visible (未报送, then 逾期) without waiting for any sweep."""
    _manage(actor)
    if phase is not None and phase.campaign_id != campaign.pk:
        _invalid("phase", _("The phase belongs to another campaign."))
    if recurrence not in Recurrence.values:
        _invalid("recurrence", _("Choose once, weekly or monthly."))
    dates = due_dates(due_on, recurrence, repeat_until)
    owing = list(units) if units is not None else list(campaign.units.all())
    if not owing:
        _invalid("units", _("Choose at least one unit."))
    requirement = ReportingRequirement.objects.create(
        campaign=campaign,
        phase=phase,
        name=name,
        description=description,
        due_on=due_on,
        recurrence=recurrence,
        repeat_until=repeat_until if recurrence else None,
        template_file=template_file,
        sort_order=sort_order,
    )
    requirement.units.set(owing)
    Submission.objects.bulk_create(
        Submission(requirement=requirement, unit=u, due_on=d) for u in owing for d in dates
    )
    audit.record(
        "create",
        requirement,
        after={
            **audit.snapshot(requirement),
            "units": [u.pk for u in owing],
            "due_dates": [d.isoformat() for d in dates],
        },
        actor=actor,
    )
    return requirement


def _may_submit_for(actor, unit: Unit) -> None:
    require_permission(actor, "campaign.submit")
    require_writable(actor)
    if not scope_for(actor).contains_unit(unit):
        raise Forbidden(_("That unit is outside your data scope."))


@transaction.atomic
def submission_submit(
    *, actor, submission: Submission, text: str = "", files: Iterable[StoredFile] = ()
) -> Submission:
    """The unit hands in the deliverable: 已报送 by the due date, 逾期报送 after it."""
    _may_submit_for(actor, submission.unit)
    files = list(files)
    if not (text or "").strip() and not files:
        _invalid("files", _("Attach the document or write the text."))
    campaign = submission.requirement.campaign
    if campaign.status != Campaign.Status.ACTIVE:
        from xiaoneng.core.errors import Conflict

        raise Conflict(_("The campaign is not in progress."))
    now = clock.now()
    late = timezone.localdate(now) > submission.due_on
    before = {"status": submission.status}
    SUBMISSION.apply(
        submission,
        "submit_late" if late else "submit",
        text=text or "",
        submitted_at=now,
        submitted_by=actor,
        return_reason="",
    )
    submission.files.set(files)
    audit.record(
        "submit",
        submission,
        before=before,
        after={"status": submission.status, "files": [f.pk for f in files]},
        actor=actor,
    )
    return submission


@transaction.atomic
def submission_accept(*, actor, submission: Submission) -> Submission:
    _manage(actor)
    before = {"status": submission.status}
    SUBMISSION.apply(submission, "accept", reviewed_at=clock.now(), reviewed_by=actor)
    audit.record(
        "accept", submission, before=before, after={"status": submission.status}, actor=actor
    )
    notify(
        event="campaigns.submission_accepted",
        dedup_key=f"campaigns:submission:{submission.pk}:accepted",
        recipients=unit_admins(submission.unit, permission="campaign.submit"),
        subject=f"【报送】「{submission.requirement.name}」已通过",
        body=f"{submission.requirement.campaign.name}：{submission.unit.name}报送的「{submission.requirement.name}」已审核通过。",
        link=_link("campaigns:submission", submission.pk),
    )
    return submission


@transaction.atomic
def submission_return(*, actor, submission: Submission, reason: str) -> Submission:
    """The office sends the deliverable back; the reason is required and goes to the unit."""
    _manage(actor)
    if not (reason or "").strip():
        _invalid("reason", _("Give the reason for returning it."))
    before = {"status": submission.status}
    now = clock.now()
    SUBMISSION.apply(
        submission, "return", reviewed_at=now, reviewed_by=actor, return_reason=reason.strip()
    )
    audit.record(
        "return",
        submission,
        before=before,
        after={"status": submission.status},
        actor=actor,
        reason=reason.strip(),
    )
    notify(
        event="campaigns.submission_returned",
        dedup_key=f"campaigns:submission:{submission.pk}:returned:{now.isoformat()}",
        recipients=unit_admins(submission.unit, permission="campaign.submit"),
        subject=f"【报送退回】「{submission.requirement.name}」被退回",
        body=f"退回原因：{reason.strip()}。请修改后重新报送。",
        link=_link("campaigns:submission", submission.pk),
    )
    return submission


@transaction.atomic
def submissions_urge(*, actor, campaign: Campaign) -> int:
    """催报: one click reminds every unit that is late on any deliverable (one message per
    late submission, at most once a day each). Returns the number of late submissions."""
    _manage(actor)
    from ..selectors import late_submissions

    day = _today()
    late = list(late_submissions(campaign, day))
    for sub in late:
        notify(
            event="campaigns.submission_urged",
            dedup_key=f"campaigns:submission:{sub.pk}:urge:{day.isoformat()}",
            recipients=unit_admins(sub.unit, permission="campaign.submit"),
            subject=f"【催报】「{sub.requirement.name}」已超期（应于 {sub.due_on} 前报送）",
            body=f"{campaign.name}：{sub.unit.name}尚未报送「{sub.requirement.name}」，请尽快报送。",
            link=_link("campaigns:submission", sub.pk),
        )
    audit.record("urge", campaign, after={"late": [s.pk for s in late]}, actor=actor)
    return len(late)


def remind(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Reminders for every open submission of a campaign in progress: N working days before the
    due date (N = the campaign's reminder_days) and from the day after it (逾期). Idempotent:
    each reminder has a dedup key, so running it twice (or every hour) sends nothing twice."""
    now = now or clock.now()
    day = timezone.localdate(now)
    counts = {"due_soon": 0, "overdue": 0, "queued": 0}
    open_subs = Submission.objects.filter(
        status__in=OPEN, requirement__campaign__status=Campaign.Status.ACTIVE
    ).select_related("requirement__campaign", "unit")
    admins: dict[int, list[User]] = {}
    with clock.frozen_now(now):
        for sub in open_subs.filter(due_on__gte=day, due_on__lte=day + dt.timedelta(days=60)):
            n = sub.requirement.campaign.reminder_days
            if workcal.working_days_between(day, sub.due_on) > n:
                continue
            counts["due_soon"] += 1
            recipients = admins.setdefault(
                sub.unit_id, unit_admins(sub.unit, permission="campaign.submit")
            )
            counts["queued"] += notify(
                event="campaigns.submission_due",
                dedup_key=f"campaigns:submission:{sub.pk}:due:{sub.due_on.isoformat()}",
                recipients=recipients,
                subject=f"【报送提醒】「{sub.requirement.name}」应于 {sub.due_on} 前报送",
                body=f"{sub.requirement.campaign.name}：请在 {sub.due_on} 前报送「{sub.requirement.name}」。",
                link=_link("campaigns:submission", sub.pk),
            )
        for sub in open_subs.filter(due_on__lt=day):
            counts["overdue"] += 1
            recipients = admins.setdefault(
                sub.unit_id, unit_admins(sub.unit, permission="campaign.submit")
            )
            counts["queued"] += notify(
                event="campaigns.submission_overdue",
                dedup_key=f"campaigns:submission:{sub.pk}:overdue:{sub.due_on.isoformat()}",
                recipients=recipients,
                subject=f"【超期未报】「{sub.requirement.name}」已超期（应于 {sub.due_on} 前报送）",
                body=f"{sub.requirement.campaign.name}：{sub.unit.name}尚未报送「{sub.requirement.name}」，请尽快报送。",
                link=_link("campaigns:submission", sub.pk),
            )
    return counts
