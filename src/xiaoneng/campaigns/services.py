"""Writes of the campaigns app. Each service is keyword-only, atomic, checks the permission
(``campaign.manage`` for the office, ``campaign.submit`` for units, inside their data scope),
writes, audits, and queues notifications through the outbox.

Sources: PRODUCT.md capabilities 1–3; seeds 000/001/002/003 for the templates.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import NoReturn

from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit, clock
from xiaoneng.core import calendar as workcal
from xiaoneng.core.errors import Forbidden, ValidationFailed
from xiaoneng.core.models import Person, StoredFile, Unit, User
from xiaoneng.core.notify import notify
from xiaoneng.core.scope import scope_for
from xiaoneng.core.services.base import require_permission, require_writable, unit_admins

from . import standards
from .models import (
    Campaign,
    CampaignTemplate,
    EvaluationMethod,
    GroupMember,
    KeyTask,
    KeyTaskProgress,
    LeadingGroup,
    Phase,
    Recurrence,
    ReportingRequirement,
    Submission,
    Target,
    TargetMeasurement,
)
from .workflow import CAMPAIGN, OPEN, SUBMISSION

MAX_OCCURRENCES = 400


# --- helpers ----------------------------------------------------------------------------------------
def _manage(actor) -> None:
    require_permission(actor, "campaign.manage")
    require_writable(actor)


def _today() -> dt.date:
    return timezone.localdate(clock.now())


def _invalid(field: str, message: str) -> NoReturn:
    raise ValidationFailed(message, errors={field: [message]})


def _date(year: int, month: int, day: int) -> dt.date:
    """A seed date in a given year; 2月29日 (or 28) clamps to the month's last day."""
    return dt.date(year, month, min(day, pycalendar.monthrange(year, month)[1]))


def rolled(offset: list[int], year: int) -> dt.date:
    y, m, d = offset
    return _date(year + y, m, d)


def _link(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # a link must never block a write
        return ""


# --- campaigns --------------------------------------------------------------------------------------
def default_units(issuing_unit: Unit | None) -> list[Unit]:
    qs = Unit.objects.filter(is_active=True)
    if issuing_unit is not None:
        qs = qs.filter(path__startswith=issuing_unit.path).exclude(pk=issuing_unit.pk)
    else:
        qs = qs.exclude(kind=Unit.Kind.BUREAU)
    return list(qs.order_by("sort_order", "code"))


def _check_dates(starts_on, ends_on, field="ends_on"):
    if starts_on and ends_on and ends_on < starts_on:
        _invalid(field, _("The end must not be before the start."))


@transaction.atomic
def campaign_create(
    *,
    actor,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    kind: str = "other",
    doc_number: str = "",
    issuing_unit: Unit | None = None,
    units: Iterable[Unit] | None = None,
    guiding_ideas: str = "",
    goals: str = "",
    reminder_days: int = 2,
    template: CampaignTemplate | None = None,
    group_name: str = "",
    office_name: str = "",
) -> Campaign:
    """A campaign from scratch (or the frame of one made from a template)."""
    _manage(actor)
    if not (name or "").strip():
        _invalid("name", _("This field is required."))
    _check_dates(starts_on, ends_on)
    campaign = Campaign.objects.create(
        template=template,
        name=name.strip(),
        kind=kind,
        doc_number=doc_number,
        issuing_unit=issuing_unit,
        guiding_ideas=guiding_ideas,
        goals=goals,
        starts_on=starts_on,
        ends_on=ends_on,
        reminder_days=reminder_days,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=clock.now(),
    )
    chosen = list(units) if units is not None else default_units(issuing_unit)
    campaign.units.set(chosen)
    suffix = "领导小组"
    room = (LeadingGroup._meta.get_field("name").max_length or 0) - len(suffix)
    LeadingGroup.objects.create(
        campaign=campaign,
        # a campaign name may use the whole of its 200 characters; the group's name has no more
        name=group_name or f"{campaign.name[:room]}{suffix}",
        office_name=office_name or _("Office of the leading group"),
    )
    audit.record(
        "create",
        campaign,
        after={**audit.snapshot(campaign), "units": [u.pk for u in chosen]},
        actor=actor,
    )
    return campaign


def _split_names(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[、，,;；/]", text or "") if p.strip()]


def _match_units(text: str, campaign: Campaign, *, generic_means_all: bool) -> list[Unit]:
    """Units named in a seed's 牵头/责任单位 text; "各……" (every …) means the campaign's units."""
    if not text:
        return []
    if generic_means_all and any(name.startswith("各") for name in _split_names(text)):
        return list(campaign.units.all())
    names = _split_names(text)
    return list(Unit.objects.filter(is_active=True, name__in=names))


@transaction.atomic
def campaign_create_from_template(
    *,
    actor,
    template: CampaignTemplate,
    year: int,
    name: str = "",
    doc_number: str = "",
    issuing_unit: Unit | None = None,
    units: Iterable[Unit] | None = None,
    reminder_days: int = 2,
) -> Campaign:
    """Copy a template with its dates rolled to `year` (the first year): 作风整顿 for 2026 runs
    2026-12-20 → 2027-05-31. Phases, deliverables (a submission per unit and due date), key
    tasks (progress rows for each responsible unit) and targets come along."""
    _manage(actor)
    if not (1900 < int(year) < 2200):
        _invalid("year", _("Enter a year such as 2026."))
    spec = template.spec or {}
    phases = spec.get("phases", [])
    if not phases:
        _invalid("template", _("This template has no phases."))
    year = int(year)
    span = f"{year}" if template.spans_years == 1 else f"{year}—{year + template.spans_years - 1}"
    group = spec.get("group", {})
    campaign = campaign_create(
        actor=actor,
        name=name or f"{span}年{template.name}",
        kind=template.kind,
        doc_number=doc_number,
        issuing_unit=issuing_unit,
        units=units,
        guiding_ideas=template.guiding_ideas,
        goals=template.goals,
        starts_on=rolled(phases[0]["start"], year),
        ends_on=rolled(phases[-1]["end"], year),
        reminder_days=reminder_days,
        template=template,
        group_name=group.get("name", ""),
        office_name=group.get("office_name", ""),
    )
    made = [
        Phase.objects.create(
            campaign=campaign,
            order=i + 1,
            name=p["name"],
            description=p.get("description", ""),
            starts_on=rolled(p["start"], year),
            ends_on=rolled(p["end"], year),
        )
        for i, p in enumerate(phases)
    ]
    for i, r in enumerate(spec.get("requirements", [])):
        requirement_create(
            actor=actor,
            campaign=campaign,
            phase=made[r["phase"]] if r.get("phase") is not None else None,
            name=r["name"],
            description=r.get("description", ""),
            due_on=rolled(r["due"], year),
            recurrence=r.get("recurrence", ""),
            repeat_until=rolled(r["until"], year) if r.get("until") else None,
            sort_order=i,
        )
    for t in spec.get("key_tasks", []):
        key_task_create(
            actor=actor,
            campaign=campaign,
            number=t["number"],
            group=t.get("group", ""),
            title=t["title"],
            content=t.get("content", ""),
            lead_units=_match_units(t.get("lead", ""), campaign, generic_means_all=False),
            responsible_units=_match_units(
                t.get("responsible", ""), campaign, generic_means_all=True
            ),
            lead_text=t.get("lead", ""),
            responsible_text=t.get("responsible", ""),
        )
    for t in spec.get("targets", []):
        unit_text = t.get("unit", "")
        matched = _match_units(unit_text, campaign, generic_means_all=False)
        target_create(
            actor=actor,
            campaign=campaign,
            number=t["number"],
            item=t.get("item", ""),
            content=t["content"],
            standard=t["standard"],
            methods=t.get("methods", []),
            leader_name=t.get("leader", ""),
            responsible_unit=matched[0] if len(matched) == 1 else None,
            responsible_office=t.get("office", "") or ("" if matched else unit_text),
            responsible_person=t.get("person", ""),
        )
    return campaign


@transaction.atomic
def campaign_update(*, actor, campaign: Campaign, **changes) -> Campaign:
    _manage(actor)
    allowed = {
        "name",
        "kind",
        "doc_number",
        "issuing_unit",
        "guiding_ideas",
        "goals",
        "starts_on",
        "ends_on",
        "reminder_days",
        "units",
    }
    unknown = set(changes) - allowed
    if unknown:
        _invalid(sorted(unknown)[0], _("This field cannot be changed here."))
    before = audit.snapshot(campaign)
    units = changes.pop("units", None)
    for key, value in changes.items():
        setattr(campaign, key, value)
    _check_dates(campaign.starts_on, campaign.ends_on)
    campaign.save()
    if units is not None:
        campaign.units.set(units)
    audit.record("update", campaign, before=before, after=audit.snapshot(campaign), actor=actor)
    return campaign


def _transition_campaign(actor, campaign: Campaign, name: str) -> Campaign:
    _manage(actor)
    before = campaign.status
    CAMPAIGN.apply(campaign, name)
    audit.record(
        name, campaign, before={"status": before}, after={"status": campaign.status}, actor=actor
    )
    return campaign


@transaction.atomic
def campaign_start(*, actor, campaign: Campaign) -> Campaign:
    """草拟 → 进行中: units see the campaign, reminders start."""
    return _transition_campaign(actor, campaign, "start")


@transaction.atomic
def campaign_close(*, actor, campaign: Campaign) -> Campaign:
    return _transition_campaign(actor, campaign, "close")


# --- leading groups and phases ------------------------------------------------------------------------
@transaction.atomic
def group_save(
    *,
    actor,
    campaign: Campaign,
    unit: Unit | None = None,
    name: str = "",
    office_name: str = "",
    office_director: Person | None = None,
    members: Iterable[tuple[Person, str]] = (),
) -> LeadingGroup:
    """The campaign's leading group (unit empty; the office) or a unit's own group (the unit's
    campaign.submit users may keep theirs). Members: (person, leader/deputy/member)."""
    if unit is None:
        _manage(actor)
    elif not actor.has_permission("campaign.manage"):
        require_permission(actor, "campaign.submit")
        require_writable(actor)
        if not scope_for(actor).contains_unit(unit):
            raise Forbidden(_("That unit is outside your data scope."))
    members = list(members)
    if not any(role == GroupMember.Role.LEADER for _p, role in members) and members:
        _invalid("members", _("Name the leader of the group."))
    group, created = LeadingGroup.objects.get_or_create(
        campaign=campaign, unit=unit, defaults={"name": name or campaign.name}
    )
    before = None if created else audit.snapshot(group)
    group.name = name or group.name
    group.office_name = office_name
    group.office_director = office_director
    group.save()
    group.members.all().delete()
    GroupMember.objects.bulk_create(
        GroupMember(group=group, person=p, role=role, sort_order=i)
        for i, (p, role) in enumerate(members)
    )
    audit.record(
        "create" if created else "update",
        group,
        before=before,
        after={**audit.snapshot(group), "members": [[p.pk, r] for p, r in members]},
        actor=actor,
    )
    return group


@transaction.atomic
def phase_save(
    *,
    actor,
    campaign: Campaign,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    description: str = "",
    phase: Phase | None = None,
) -> Phase:
    _manage(actor)
    _check_dates(starts_on, ends_on)
    if phase is None:
        last = campaign.phases.order_by("-order").first()
        phase = Phase(campaign=campaign, order=(last.order + 1) if last else 1)
        before = None
    else:
        before = audit.snapshot(phase)
    phase.name, phase.description = name, description
    phase.starts_on, phase.ends_on = starts_on, ends_on
    phase.save()
    audit.record(
        "create" if before is None else "update",
        phase,
        before=before,
        after=audit.snapshot(phase),
        actor=actor,
    )
    return phase


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
    from .selectors import late_submissions

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


# --- key tasks -----------------------------------------------------------------------------------------
@transaction.atomic
def key_task_create(
    *,
    actor,
    campaign: Campaign,
    number: int,
    title: str,
    group: str = "",
    content: str = "",
    lead_units: Iterable[Unit] = (),
    responsible_units: Iterable[Unit] = (),
    lead_text: str = "",
    responsible_text: str = "",
) -> KeyTask:
    _manage(actor)
    if campaign.key_tasks.filter(number=number).exists():
        _invalid("number", _("This number is already used in the campaign."))
    task = KeyTask.objects.create(
        campaign=campaign,
        number=number,
        group=group,
        title=title,
        content=content,
        lead_text=lead_text,
        responsible_text=responsible_text,
    )
    lead, responsible = list(lead_units), list(responsible_units)
    task.lead_units.set(lead)
    task.responsible_units.set(responsible)
    KeyTaskProgress.objects.bulk_create(KeyTaskProgress(task=task, unit=u) for u in responsible)
    audit.record(
        "create",
        task,
        after={
            **audit.snapshot(task),
            "lead_units": [u.pk for u in lead],
            "responsible_units": [u.pk for u in responsible],
        },
        actor=actor,
    )
    return task


@transaction.atomic
def key_task_report(
    *,
    actor,
    task: KeyTask,
    unit: Unit,
    status: str,
    note: str = "",
    files: Iterable[StoredFile] = (),
) -> KeyTaskProgress:
    """A responsible unit reports its progress on a key task."""
    if not actor.has_permission("campaign.manage"):
        _may_submit_for(actor, unit)
    else:
        require_writable(actor)
    if status not in KeyTaskProgress.Status.values:
        _invalid("status", _("Choose a valid status."))
    try:
        row = KeyTaskProgress.objects.select_for_update().get(task=task, unit=unit)
    except KeyTaskProgress.DoesNotExist:
        _invalid("unit", _("This unit is not responsible for the task."))
    before = audit.snapshot(row)
    row.status, row.note = status, note
    row.updated_at, row.updated_by = clock.now(), actor
    row.save()
    files = list(files)
    if files:
        row.files.add(*files)
    audit.record("update", row, before=before, after=audit.snapshot(row), actor=actor)
    return row


# --- targets ---------------------------------------------------------------------------------------------
def _methods(values: Iterable[str]) -> list[str]:
    methods = list(dict.fromkeys(values or []))
    bad = [m for m in methods if m not in EvaluationMethod.values]
    if bad:
        _invalid("methods", _("Unknown evaluation method: %(m)s") % {"m": ", ".join(bad)})
    return methods


def _apply_standard(target: Target) -> None:
    parsed = standards.parse(target.standard)
    target.comparator = parsed.comparator
    target.value = parsed.value
    target.measure_unit = parsed.unit


@transaction.atomic
def target_create(
    *,
    actor,
    campaign: Campaign,
    number: str,
    content: str,
    standard: str,
    item: str = "",
    methods: Iterable[str] = (),
    leader_name: str = "",
    responsible_unit: Unit | None = None,
    responsible_office: str = "",
    responsible_person: str = "",
) -> Target:
    """A row of the target decomposition table; the standard is parsed ("≥95%" → ≥, 95, %)."""
    _manage(actor)
    number = str(number).strip()
    if not number:
        _invalid("number", _("This field is required."))
    if campaign.targets.filter(number=number).exists():
        _invalid("number", _("This number is already used in the campaign."))
    target = Target(
        campaign=campaign,
        number=number,
        item=item,
        content=content,
        standard=standard.strip(),
        methods=_methods(methods),
        leader_name=leader_name,
        responsible_unit=responsible_unit,
        responsible_office=responsible_office,
        responsible_person=responsible_person,
    )
    _apply_standard(target)
    target.save()
    audit.record("create", target, after=audit.snapshot(target), actor=actor)
    return target


TARGET_FIELDS = (
    "item",
    "content",
    "standard",
    "methods",
    "leader_name",
    "responsible_unit",
    "responsible_office",
    "responsible_person",
)


@transaction.atomic
def target_update(*, actor, target: Target, **changes) -> bool:
    """Change a target row; returns whether anything changed (measurements are re-judged when
    the standard changes)."""
    _manage(actor)
    unknown = set(changes) - set(TARGET_FIELDS)
    if unknown:
        _invalid(sorted(unknown)[0], _("This field cannot be changed here."))
    if "methods" in changes:
        changes["methods"] = _methods(changes["methods"])
    before = audit.snapshot(target)
    changed = [k for k, v in changes.items() if getattr(target, k) != v]
    if not changed:
        return False
    for key in changed:
        setattr(target, key, changes[key])
    _apply_standard(target)
    target.save()
    if "standard" in changed:
        for m in target.measurements.all():
            m.met = standards.judge(target.comparator, target.value, m.value)
            m.save(update_fields=["met"])
    audit.record("update", target, before=before, after=audit.snapshot(target), actor=actor)
    return True


@transaction.atomic
def measurement_record(
    *,
    actor,
    target: Target,
    period: str,
    value: Decimal,
    evidence: str = "",
    files: Iterable[StoredFile] = (),
) -> TargetMeasurement:
    """A measured value for a period, judged met / not met against the standard at once.
    The responsible unit (campaign.submit in its scope) or the office records it; recording
    the same period again replaces the value."""
    if not actor.has_permission("campaign.manage"):
        if target.responsible_unit is None:
            raise Forbidden(_("Only the office records measurements for this target."))
        _may_submit_for(actor, target.responsible_unit)
    else:
        require_writable(actor)
    period = (period or "").strip()
    if not period:
        _invalid("period", _("This field is required."))
    if value is None:
        _invalid("value", _("This field is required."))
    value = Decimal(value)
    met = standards.judge(target.comparator, target.value, value)
    existing = target.measurements.filter(period=period).first()
    before = audit.snapshot(existing) if existing else None
    m = existing or TargetMeasurement(target=target, period=period)
    m.value, m.evidence, m.met = value, evidence, met
    m.reported_by, m.reported_at = actor, clock.now()
    try:
        with transaction.atomic():
            m.save()
    except IntegrityError:  # a concurrent report of the same period
        from xiaoneng.core.errors import Conflict

        raise Conflict(
            _("Someone else recorded this period at the same time; reload and try again.")
        )
    files = list(files)
    if files:
        m.files.add(*files)
    audit.record(
        "create" if before is None else "update",
        m,
        before=before,
        after=audit.snapshot(m),
        actor=actor,
    )
    return m
