"""Setting a campaign up by hand (issue 20): its frame, phases (names, dates, order), leading
groups (组长 / 副组长 / 成员, the office and its director, people from the org chart), reporting
requirements and key tasks with deadlines. Every edit is audited; a changed date re-dates what
the units still owe and tells them (a template's default schedule says 默认日程，请按文件调整).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from xiaoneng.core import audit, clock
from xiaoneng.core.errors import Forbidden
from xiaoneng.core.models import Person, Unit
from xiaoneng.core.notify import outbox_deliver
from xiaoneng.core.scope import scope_for
from xiaoneng.core.services.base import fail, require, unit_admins

from ..models import (
    Campaign,
    GroupMember,
    KeyTask,
    KeyTaskProgress,
    LeadingGroup,
    Phase,
    ReportingRequirement,
    Submission,
)
from ..workflow import OPEN
from .common import _check_text, _link, _manage

CAMPAIGN_FIELDS = (
    "name",
    "kind",
    "doc_number",
    "issuing_unit",
    "guiding_ideas",
    "goals",
    "starts_on",
    "ends_on",
    "reminder_days",
)


# --- the campaign's frame ------------------------------------------------------------------------------
@transaction.atomic
def campaign_update(*, actor, campaign: Campaign, **changes) -> Campaign:
    """The office edits the campaign's name, document number, dates, texts (audited)."""
    _manage(actor)
    unknown = set(changes) - set(CAMPAIGN_FIELDS)
    if unknown:
        fail({sorted(unknown)[0]: [_("This field cannot be changed here.")]})
    errors: dict[str, list[str]] = {}
    if "name" in changes:
        changes["name"] = _check_text(changes["name"], "name", errors)
    starts_on = changes.get("starts_on", campaign.starts_on)
    ends_on = changes.get("ends_on", campaign.ends_on)
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = [_("The end must not be before the start.")]
    fail(errors)
    before = audit.snapshot(campaign)
    for key, value in changes.items():
        setattr(campaign, key, value)
    campaign.save()
    audit.record("update", campaign, before=before, after=audit.snapshot(campaign), actor=actor)
    return campaign


# --- re-dating what the units owe -------------------------------------------------------------------------
def _shift_requirement(requirement: ReportingRequirement, delta: dt.timedelta) -> list[Submission]:
    """Move the requirement's due date (and series end) by ``delta``, and with it every
    submission still owed (未报送 / 已退回); handed-in ones keep their date. Returns the moved."""
    if not delta:
        return []
    requirement.due_on += delta
    if requirement.repeat_until:
        requirement.repeat_until += delta
    requirement.save(update_fields=["due_on", "repeat_until"])
    subs = list(requirement.submissions.select_related("unit"))
    kept = {(s.unit_id, s.due_on) for s in subs if s.status not in OPEN}
    owing = sorted(
        (s for s in subs if s.status in OPEN), key=lambda s: s.due_on, reverse=delta.days > 0
    )
    moved = []
    for sub in owing:
        new = sub.due_on + delta
        if (sub.unit_id, new) in kept:
            continue  # that date is already handed in for this unit: leave this one as it was
        Submission.objects.filter(pk=sub.pk).update(due_on=new)
        sub.old_due_on, sub.due_on = sub.due_on, new  # type: ignore[attr-defined]
        moved.append(sub)
    return moved


def _tell_units(campaign: Campaign, moved: list[Submission], *, headline: str, key: str) -> int:
    """One notice per unit listing its re-dated deliverables (outbox, after commit)."""
    if campaign.status == Campaign.Status.DRAFT or not moved:
        return 0
    by_unit: dict[int, list[Submission]] = defaultdict(list)
    for sub in moved:
        by_unit[sub.unit_id].append(sub)
    stamp = clock.now().isoformat()
    sent = 0
    for subs in by_unit.values():
        unit = subs[0].unit
        lines = [
            f"「{s.requirement.name}」由 {s.old_due_on} 调整为 {s.due_on}"  # type: ignore[attr-defined]
            for s in sorted(subs, key=lambda s: s.due_on)
        ]
        sent += outbox_deliver(
            unit_admins(unit, permission="campaign.submit"),
            title=f"【报送时间调整】{campaign.name}",
            body=f"{headline}。{unit.name}应报送材料的时间调整如下：" + "；".join(lines) + "。",
            link=_link("campaigns:detail", campaign.pk),
            kind="campaigns.deadline_changed",
            dedup_key=f"campaigns:redate:{key}:{unit.pk}:{stamp}",
        )
    return sent


# --- phases -----------------------------------------------------------------------------------------------
def _phase_errors(name: str, starts_on, ends_on) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    _check_text(name, "name", errors, limit=100)
    if not starts_on:
        errors["starts_on"] = [_("This field is required.")]
    if not ends_on:
        errors["ends_on"] = [_("This field is required.")]
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = [_("The end must not be before the start.")]
    return errors


@transaction.atomic
def phase_add(
    *,
    actor,
    campaign: Campaign,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    description: str = "",
) -> Phase:
    """A phase appended after the last one (move it with ``phase_move``)."""
    _manage(actor)
    fail(_phase_errors(name, starts_on, ends_on))
    last = campaign.phases.aggregate(n=Max("order"))["n"] or 0
    phase = Phase.objects.create(
        campaign=campaign,
        order=last + 1,
        name=name.strip(),
        description=description or "",
        starts_on=starts_on,
        ends_on=ends_on,
    )
    audit.record("create", phase, after=audit.snapshot(phase), actor=actor)
    return phase


@transaction.atomic
def phase_update(
    *,
    actor,
    phase: Phase,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    description: str = "",
) -> Phase:
    """Rename or re-date a phase. When its end moves, the deliverables of the phase move by the
    same number of days: what the units still owe is re-dated and each unit gets a notice
    (handed-in and accepted submissions keep their dates)."""
    _manage(actor)
    fail(_phase_errors(name, starts_on, ends_on))
    phase = Phase.objects.select_for_update().get(pk=phase.pk)
    before = audit.snapshot(phase)
    delta = ends_on - phase.ends_on
    phase.name, phase.description = name.strip(), description or ""
    phase.starts_on, phase.ends_on = starts_on, ends_on
    phase.save()
    moved: list[Submission] = []
    for requirement in phase.requirements.order_by("id"):
        moved += _shift_requirement(requirement, delta)
    audit.record(
        "update",
        phase,
        before=before,
        after={**audit.snapshot(phase), "redated": [s.pk for s in moved]},
        actor=actor,
    )
    _tell_units(
        phase.campaign,
        moved,
        headline=f"「{phase.name}」阶段时间调整为 {starts_on} 至 {ends_on}",
        key=f"phase:{phase.pk}",
    )
    return phase


@transaction.atomic
def phase_move(*, actor, phase: Phase, direction: str) -> Phase:
    """Swap a phase with its neighbour ("up" / "down"); orders stay 1…n."""
    _manage(actor)
    if direction not in ("up", "down"):
        fail({"direction": [_("Choose up or down.")]})
    phases = list(phase.campaign.phases.select_for_update().order_by("order"))
    i = next(k for k, p in enumerate(phases) if p.pk == phase.pk)
    j = i - 1 if direction == "up" else i + 1
    if not 0 <= j < len(phases):
        return phases[i]
    phases[i], phases[j] = phases[j], phases[i]
    _renumber(phases)
    audit.record(
        "reorder",
        phase.campaign,
        after={"phases": [p.pk for p in phases]},
        actor=actor,
    )
    return next(p for p in phases if p.pk == phase.pk)


def _renumber(phases: list[Phase]) -> None:
    # Two passes so the (campaign, order) constraint never sees a duplicate.
    top = 1000 + len(phases)
    for k, p in enumerate(phases):
        Phase.objects.filter(pk=p.pk).update(order=top + k)
    for k, p in enumerate(phases):
        p.order = k + 1
        Phase.objects.filter(pk=p.pk).update(order=p.order)


@transaction.atomic
def phase_delete(*, actor, phase: Phase) -> None:
    """Remove a phase; its deliverables stay (no longer tied to a phase), orders close up."""
    _manage(actor)
    campaign = phase.campaign
    before = audit.snapshot(phase)
    audit.record("delete", phase, before=before, actor=actor)
    phase.delete()
    _renumber(list(campaign.phases.select_for_update().order_by("order")))


# --- leading groups ---------------------------------------------------------------------------------------
def _may_edit_group(actor, unit: Unit | None) -> None:
    """The campaign's group is the office's; a unit's own group may be kept by the unit."""
    if unit is None or actor.has_permission("campaign.manage"):
        _manage(actor)
        return
    require(actor, "campaign.submit")
    if not scope_for(actor).contains_unit(unit):
        raise Forbidden(_("That unit is outside your data scope."))


def _check_person(person: Person | None, unit: Unit | None, field: str, errors) -> None:
    if person is None:
        return
    if not person.is_active:
        errors[field] = [_("This person is no longer active.")]
    elif unit is not None and not person.unit.path.startswith(unit.path):
        errors[field] = [_("This person does not work in the unit.")]


@transaction.atomic
def group_save(
    *,
    actor,
    campaign: Campaign,
    unit: Unit | None = None,
    name: str = "",
    office_name: str = "",
    office_director: Person | None = None,
) -> LeadingGroup:
    """The campaign's leading group (unit empty) or a unit's group for the campaign: its name,
    its office (办公室) and the office director (办公室主任) from the org chart."""
    _may_edit_group(actor, unit)
    errors: dict[str, list[str]] = {}
    if unit is not None and not campaign.units.filter(pk=unit.pk).exists():
        errors["unit"] = [_("This unit is not in the campaign.")]
    _check_person(office_director, unit, "office_director", errors)
    fail(errors)
    group = LeadingGroup.objects.select_for_update().filter(campaign=campaign, unit=unit).first()
    before = audit.snapshot(group) if group else None
    default = f"{unit.name if unit else campaign.name}{campaign.name if unit else ''}领导小组"
    if group is None:
        group = LeadingGroup(campaign=campaign, unit=unit)
    group.name = (name or "").strip()[:200] or group.name or default[:200]
    group.office_name = (office_name or "").strip()[:200]
    group.office_director = office_director
    group.save()
    audit.record(
        "update" if before else "create",
        group,
        before=before,
        after=audit.snapshot(group),
        actor=actor,
    )
    return group


@transaction.atomic
def group_member_add(
    *, actor, group: LeadingGroup, person: Person, role: str, sort_order: int | None = None
) -> GroupMember:
    """组长 / 副组长 / 成员: one row per person; a group has one leader (组长)."""
    _may_edit_group(actor, group.unit)
    errors: dict[str, list[str]] = {}
    if role not in GroupMember.Role.values:
        errors["role"] = [_("Select a valid choice.")]
    if person is None:
        errors["person"] = [_("This field is required.")]
    else:
        _check_person(person, group.unit, "person", errors)
        if group.members.filter(person=person).exists():
            errors["person"] = [_("This person is already in the group.")]
    if role == GroupMember.Role.LEADER and group.members.filter(role=role).exists():
        errors["role"] = [_("The group already has a leader; remove them first.")]
    fail(errors)
    if sort_order is None:
        rank = [GroupMember.Role.LEADER, GroupMember.Role.DEPUTY, GroupMember.Role.MEMBER]
        sort_order = rank.index(GroupMember.Role(role)) * 100 + group.members.count()
    member = GroupMember.objects.create(
        group=group, person=person, role=role, sort_order=sort_order
    )
    audit.record("create", member, after=audit.snapshot(member), actor=actor)
    return member


@transaction.atomic
def group_member_remove(*, actor, member: GroupMember) -> None:
    _may_edit_group(actor, member.group.unit)
    audit.record("delete", member, before=audit.snapshot(member), actor=actor)
    member.delete()


# --- requirements and key tasks ------------------------------------------------------------------------
@transaction.atomic
def requirement_update(
    *,
    actor,
    requirement: ReportingRequirement,
    name: str,
    due_on: dt.date,
    description: str = "",
    phase: Phase | None = None,
) -> ReportingRequirement:
    """Rename or re-date a deliverable: owed submissions move with the due date (a series moves
    as a whole) and the units are told."""
    _manage(actor)
    errors: dict[str, list[str]] = {}
    name = _check_text(name, "name", errors, limit=100)
    if not due_on:
        errors["due_on"] = [_("This field is required.")]
    if phase is not None and phase.campaign_id != requirement.campaign_id:
        errors["phase"] = [_("The phase belongs to another campaign.")]
    fail(errors)
    requirement = ReportingRequirement.objects.select_for_update().get(pk=requirement.pk)
    before = audit.snapshot(requirement)
    moved = _shift_requirement(requirement, due_on - requirement.due_on)
    requirement.name, requirement.description, requirement.phase = name, description or "", phase
    requirement.save(update_fields=["name", "description", "phase"])
    audit.record(
        "update",
        requirement,
        before=before,
        after={**audit.snapshot(requirement), "redated": [s.pk for s in moved]},
        actor=actor,
    )
    _tell_units(
        requirement.campaign,
        moved,
        headline=f"「{requirement.name}」报送时间调整",
        key=f"requirement:{requirement.pk}",
    )
    return requirement


@transaction.atomic
def key_task_update(
    *,
    actor,
    task: KeyTask,
    title: str,
    content: str = "",
    group: str = "",
    due_on: dt.date | None = None,
    lead_units: Iterable[Unit] | None = None,
    responsible_units: Iterable[Unit] | None = None,
) -> KeyTask:
    """Edit a key task: text, deadline (完成时限), lead and responsible units (a new responsible
    unit gets its progress row; one dropped keeps its reported progress out of the count)."""
    _manage(actor)
    errors: dict[str, list[str]] = {}
    title = _check_text(title, "title", errors, limit=200)
    fail(errors)
    before = audit.snapshot(task)
    old_due = task.due_on
    task.title, task.content, task.group, task.due_on = title, content or "", group or "", due_on
    task.save()
    after = audit.snapshot(task)
    if lead_units is not None:
        lead = list(lead_units)
        task.lead_units.set(lead)
        after["lead_units"] = [u.pk for u in lead]
    if responsible_units is not None:
        responsible = list(responsible_units)
        task.responsible_units.set(responsible)
        KeyTaskProgress.objects.filter(task=task).exclude(unit__in=responsible).filter(
            status=KeyTaskProgress.Status.NOT_STARTED
        ).delete()
        have = set(task.progress.values_list("unit_id", flat=True))
        KeyTaskProgress.objects.bulk_create(
            KeyTaskProgress(task=task, unit=u) for u in responsible if u.pk not in have
        )
        after["responsible_units"] = [u.pk for u in responsible]
    audit.record("update", task, before=before, after=after, actor=actor)
    campaign = task.campaign
    if due_on != old_due and due_on and campaign.status != Campaign.Status.DRAFT:
        stamp = clock.now().isoformat()
        for unit in task.responsible_units.all():
            outbox_deliver(
                unit_admins(unit, permission="campaign.submit"),
                title=f"【重点任务时限】{campaign.name}",
                body=f"重点任务{task.number}「{task.title}」的完成时限为 {due_on}。",
                link=_link("campaigns:detail", campaign.pk),
                kind="campaigns.deadline_changed",
                dedup_key=f"campaigns:task:{task.pk}:due:{unit.pk}:{stamp}",
            )
    return task
