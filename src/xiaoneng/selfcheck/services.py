"""Writes of the self-inspection app. Every function: keyword-only, atomic, validated, audited.

Who may do what (until dedicated permission codes exist, see the app's report):
- ``campaign.manage`` (the office) configures checklist templates, learning requirements and
  recurring-activity definitions, assigns checklists and reviews commitments;
- ``campaign.submit`` (unit admins) records for units in their data scope: checklist answers,
  self-inspection material, commitments, learning records and group sessions, activity
  occurrences and institution rules; they may also hand personal checklists to their people
  and review their people's commitments;
- every person answers their own personal checklists and records their own learning;
- a "problem" answer opens a ledger issue, which needs ``rectification.manage`` unless the
  person answers their own personal checklist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.campaigns.models import Campaign
from xiaoneng.core import audit, clock
from xiaoneng.core.errors import Conflict, Forbidden
from xiaoneng.core.models import Person, StoredFile, Unit, User
from xiaoneng.core.scope import scope_for
from xiaoneng.core.services.base import fail, require_permission, require_writable

from . import ledger, periods
from .models import (
    ActivityRecord,
    ChecklistAnswer,
    ChecklistAssignment,
    ChecklistItem,
    ChecklistTemplate,
    Commitment,
    InstitutionRule,
    LearningKind,
    LearningRecord,
    LearningRequirement,
    LearningSession,
    RecurringActivity,
    RuleType,
)
from .selectors import today
from .workflow import ASSIGNMENT

# --- helpers ---------------------------------------------------------------------------------------


def _manage(actor: User | None) -> None:
    require_permission(actor, "campaign.manage")
    require_writable(actor)


def can_record_for(actor: User | None, unit: Unit) -> bool:
    return bool(
        actor is not None
        and actor.has_permission("campaign.submit")
        and scope_for(actor).contains_unit(unit)
    )


def _record_for(actor: User | None, unit: Unit) -> None:
    if not can_record_for(actor, unit):
        raise Forbidden(_("You may only record for units in your data scope."))
    require_writable(actor)


def _is_self(actor: User | None, person: Person | None) -> bool:
    return bool(actor is not None and person is not None and actor.person_id == person.pk)


def _now():
    return clock.now()


def _files(files: Iterable[StoredFile] | None) -> list[StoredFile]:
    return list(files or [])


def _created(obj, actor) -> None:
    audit.record("create", obj, after=audit.snapshot(obj), actor=actor)


# --- checklist templates ------------------------------------------------------------------------------
@transaction.atomic
def template_create(
    *,
    actor: User | None,
    code: str,
    name: str,
    items: Sequence[dict[str, Any]],
    description: str = "",
    source: str = "",
    target: str = ChecklistTemplate.Target.BOTH,
    is_active: bool = True,
    check: bool = True,
) -> ChecklistTemplate:
    """Configure a checklist (office). Items: [{"title", "text", "guidance"?}] in order."""
    if check:
        _manage(actor)
    errors: dict[str, list[str]] = {}
    if not items:
        errors["items"] = [_("A checklist needs at least one item.")]
    for i, item in enumerate(items):
        if not (item.get("text") or "").strip():
            errors[f"items[{i}].text"] = [_("This field is required.")]
    if ChecklistTemplate.objects.filter(code=code).exists():
        errors["code"] = [_("This code is already used.")]
    fail(errors)
    template = ChecklistTemplate.objects.create(
        code=code,
        name=name,
        description=description,
        source=source,
        target=target,
        is_active=is_active,
    )
    for number, item in enumerate(items, start=1):
        ChecklistItem.objects.create(
            template=template,
            number=number,
            title=(item.get("title") or item["text"])[:100],
            text=item["text"],
            guidance=item.get("guidance", ""),
        )
    _created(template, actor)
    return template


@transaction.atomic
def template_update(
    *, actor: User | None, template: ChecklistTemplate, **changes
) -> ChecklistTemplate:
    """Rename, describe or retire a template; items are fixed once answers exist."""
    _manage(actor)
    allowed = {"name", "description", "source", "target", "is_active", "sort_order"}
    unknown = set(changes) - allowed
    fail({k: [_("This field cannot be changed here.")] for k in sorted(unknown)})
    before = audit.snapshot(template)
    for key, value in changes.items():
        setattr(template, key, value)
    template.save()
    audit.record("update", template, before=before, after=audit.snapshot(template), actor=actor)
    return template


# --- assignments -------------------------------------------------------------------------------------
@transaction.atomic
def assignment_create(
    *,
    actor: User | None,
    template: ChecklistTemplate,
    due_on: dt.date,
    unit: Unit | None = None,
    person: Person | None = None,
    campaign: Campaign | None = None,
) -> ChecklistAssignment:
    """Hand a checklist to a unit or to a person (of their unit) with a due date.

    The office assigns anywhere; a unit admin may hand personal checklists to people in scope."""
    errors: dict[str, list[str]] = {}
    if unit is None and person is None:
        errors["unit"] = [_("Choose a unit or a person.")]
    if person is not None and unit is not None and person.unit_id != unit.pk:
        errors["person"] = [_("The person does not belong to that unit.")]
    if not template.is_active:
        errors["template"] = [_("This checklist is retired.")]
    if person is None and template.target == ChecklistTemplate.Target.PERSON:
        errors["person"] = [_("This checklist is answered by individuals.")]
    if person is not None and template.target == ChecklistTemplate.Target.UNIT:
        errors["person"] = [_("This checklist is answered by units.")]
    fail(errors)
    unit = _unit_of(unit, person)
    if actor is None or not actor.has_permission("campaign.manage"):
        if person is None:
            raise Forbidden(_("Only the office assigns checklists to units."))
        _record_for(actor, unit)
    else:
        require_writable(actor)
    assignment = ChecklistAssignment.objects.create(
        template=template,
        campaign=campaign,
        unit=unit,
        person=person,
        due_on=due_on,
        created_by=actor,
        created_at=_now(),
    )
    _created(assignment, actor)
    return assignment


def assignments_create(
    *,
    actor: User | None,
    template: ChecklistTemplate,
    due_on: dt.date,
    units: Iterable[Unit] = (),
    people: Iterable[Person] = (),
    campaign: Campaign | None = None,
) -> list[ChecklistAssignment]:
    """Assign one checklist to several units and people at once (all or nothing)."""
    with transaction.atomic():
        made = [
            assignment_create(
                actor=actor, template=template, due_on=due_on, unit=u, campaign=campaign
            )
            for u in units
        ]
        made += [
            assignment_create(
                actor=actor, template=template, due_on=due_on, person=p, campaign=campaign
            )
            for p in people
        ]
    return made


def can_answer(actor: User | None, assignment: ChecklistAssignment) -> bool:
    if assignment.person_id and _is_self(actor, assignment.person):
        return True
    return can_record_for(actor, assignment.unit)


def _unit_of(unit: Unit | None, person: Person | None) -> Unit:
    """The unit given, else the person's (validation made sure one of the two is given)."""
    if unit is not None:
        return unit
    assert person is not None
    return person.unit


def _item_id(item: ChecklistItem | int | None) -> int | None:
    return item.pk if isinstance(item, ChecklistItem) else item


def _answer_errors(
    answers: Sequence[dict[str, Any]],
    items: dict[int, ChecklistItem],
    existing: dict[int, ChecklistAnswer],
) -> dict[str, list[str]]:
    """Each answer names an item of the checklist once, says ok or problem (a problem is
    described), and does not change an answer that is already in the ledger."""
    errors: dict[str, list[str]] = {}
    seen: set[int | None] = set()
    if not answers:
        errors["answers"] = [_("Give at least one answer.")]
    for i, entry in enumerate(answers):
        item_id = _item_id(entry.get("item"))
        result = entry.get("result")
        if item_id is None or item_id not in items:
            errors[f"answers.{i}.item"] = [_("This item is not part of the checklist.")]
        elif item_id in seen:
            errors[f"answers.{i}.item"] = [_("This item is answered twice.")]
        seen.add(item_id)
        if result not in ChecklistAnswer.Result.values:
            errors[f"answers.{i}.result"] = [_("Choose “ok” or “problem”.")]
        if (
            result == ChecklistAnswer.Result.PROBLEM
            and not (entry.get("description") or "").strip()
        ):
            errors[f"answers.{i}.description"] = [_("Describe the problem.")]
        old = existing.get(item_id) if item_id is not None else None
        if old is not None and old.issue_id:
            errors[f"answers.{i}.item"] = [
                _("This answer is already in the rectification ledger; update the issue there.")
            ]
    return errors


@transaction.atomic
def assignment_answer(
    *,
    actor: User | None,
    assignment: ChecklistAssignment,
    answers: Sequence[dict[str, Any]],
) -> ChecklistAssignment:
    """Record answers (无问题 / 有问题 + description and files). Each new "problem" answer opens
    a ledger issue (source self_inspection) in the same transaction and is linked to it
    (PRODUCT.md capability 4; seed 000: 对自查的问题，要即查即改). The assignment completes
    when every item has an answer. An answer whose issue is in the ledger is changed there."""
    assignment = ChecklistAssignment.objects.select_for_update().get(pk=assignment.pk)
    if not can_answer(actor, assignment):
        raise Forbidden(_("You may not answer this checklist."))
    require_writable(actor)
    if assignment.status == ChecklistAssignment.Status.COMPLETED:
        raise Conflict(_("This checklist is already completed."))
    items = {i.pk: i for i in assignment.template.items.all()}
    existing = {a.item_id: a for a in assignment.answers.all()}
    fail(_answer_errors(answers, items, existing))
    opens_issues = any(e["result"] == ChecklistAnswer.Result.PROBLEM for e in answers)
    if opens_issues and not (
        (assignment.person_id and _is_self(actor, assignment.person))
        or (actor is not None and actor.has_permission("rectification.manage"))
    ):
        raise Forbidden(_("Recording problems in the ledger needs the rectification permission."))
    now = _now()
    for entry in answers:
        item_id = _item_id(entry["item"])
        assert item_id is not None  # validated above
        answer = existing.get(item_id)
        before = audit.snapshot(answer) if answer else None
        if answer is None:
            answer = ChecklistAnswer(assignment=assignment, item=items[item_id])
        answer.result = entry["result"]
        answer.description = (entry.get("description") or "").strip()
        answer.answered_by = actor
        answer.answered_at = now
        answer.save()
        answer.files.set(_files(entry.get("files")))
        if answer.result == ChecklistAnswer.Result.PROBLEM:
            answer.issue = ledger.open_issue(answer, actor=actor)
            answer.save(update_fields=["issue"])
        audit.record(
            "update" if before else "create",
            answer,
            before=before,
            after=audit.snapshot(answer),
            actor=actor,
        )
    if assignment.answers.count() >= len(items):
        before = audit.snapshot(assignment)
        ASSIGNMENT.apply(assignment, "complete", completed_at=now)
        audit.record(
            "complete", assignment, before=before, after=audit.snapshot(assignment), actor=actor
        )
    return assignment


@transaction.atomic
def assignment_attach_material(
    *,
    actor: User | None,
    assignment: ChecklistAssignment,
    text: str = "",
    files: Iterable[StoredFile] = (),
) -> ChecklistAssignment:
    """Attach the written self-inspection material (书面自查材料, seed 000)."""
    if not can_answer(actor, assignment):
        raise Forbidden(_("You may not answer this checklist."))
    require_writable(actor)
    files = _files(files)
    fail({} if text.strip() or files else {"text": [_("Write the material or attach a file.")]})
    before = audit.snapshot(assignment)
    if text.strip():
        assignment.material_text = text.strip()
        assignment.save(update_fields=["material_text"])
    assignment.material_files.add(*files)
    after = audit.snapshot(assignment) | {"material_files": [f.pk for f in files]}
    audit.record("attach_material", assignment, before=before, after=after, actor=actor)
    return assignment


# --- commitments ---------------------------------------------------------------------------------------
@transaction.atomic
def commitment_create(
    *,
    actor: User | None,
    content: str,
    committed_on: dt.date,
    audience: str,
    unit: Unit | None = None,
    person: Person | None = None,
    campaign: Campaign | None = None,
    is_public: bool = False,
    person_consents: bool = False,
) -> Commitment:
    """A unit's or a person's public commitment (seed 000: 教师要向主管领导承诺，班子成员要通过
    教师会、公示栏…公开承诺). A person records their own; a unit admin records for the unit."""
    errors: dict[str, list[str]] = {}
    if not content.strip():
        errors["content"] = [_("This field is required.")]
    if audience not in Commitment.Audience.values:
        errors["audience"] = [_("Choose to whom the commitment is made.")]
    if unit is None and person is None:
        errors["unit"] = [_("Choose a unit or a person.")]
    if person is not None and unit is not None and person.unit_id != unit.pk:
        errors["person"] = [_("The person does not belong to that unit.")]
    fail(errors)
    unit = _unit_of(unit, person)
    if not _is_self(actor, person):
        _record_for(actor, unit)
    commitment = Commitment.objects.create(
        unit=unit,
        person=person,
        campaign=campaign,
        content=content.strip(),
        committed_on=committed_on,
        audience=audience,
        is_public=is_public,
        person_consents=person_consents if person is not None else False,
        created_by=actor,
        created_at=_now(),
    )
    _created(commitment, actor)
    return commitment


def can_review(actor: User | None, commitment: Commitment) -> bool:
    if actor is None or _is_self(actor, commitment.person):
        return False
    if actor.has_permission("campaign.manage") and scope_for(actor).contains_unit(commitment.unit):
        return True
    return commitment.person_id is not None and can_record_for(actor, commitment.unit)


@transaction.atomic
def commitment_review(
    *,
    actor: User | None,
    commitment: Commitment,
    fulfilment: str,
    note: str = "",
    evidence: Iterable[StoredFile] = (),
) -> Commitment:
    """Review whether a commitment was kept (已兑现 / 部分兑现 / 未兑现, with evidence). The
    office reviews any; a unit admin reviews their people's (never one's own)."""
    if not can_review(actor, commitment):
        raise Forbidden(_("You may not review this commitment."))
    require_writable(actor)
    errors: dict[str, list[str]] = {}
    if (
        fulfilment not in Commitment.Fulfilment.values
        or fulfilment == Commitment.Fulfilment.PENDING
    ):
        errors["fulfilment"] = [_("Choose fulfilled, partly fulfilled or not fulfilled.")]
    if fulfilment != Commitment.Fulfilment.FULFILLED and not note.strip():
        errors["note"] = [_("Say what was not kept.")]
    fail(errors)
    before = audit.snapshot(commitment)
    commitment.fulfilment = fulfilment
    commitment.review_note = note.strip()
    commitment.reviewed_at = _now()
    commitment.reviewed_by = actor
    commitment.save()
    commitment.review_evidence.add(*_files(evidence))
    audit.record("review", commitment, before=before, after=audit.snapshot(commitment), actor=actor)
    return commitment


# --- learning ---------------------------------------------------------------------------------------------
@transaction.atomic
def requirement_create(
    *,
    actor: User | None,
    name: str,
    measure: str,
    minimum: Decimal,
    starts_on: dt.date,
    ends_on: dt.date,
    maximum: Decimal | None = None,
    campaign: Campaign | None = None,
    check: bool = True,
) -> LearningRequirement:
    """A learning minimum per person (seed 003: 个人自学不少于40学时，集中学习不少于10学时)."""
    if check:
        _manage(actor)
    errors: dict[str, list[str]] = {}
    if measure not in LearningRequirement.Measure.values:
        errors["measure"] = [_("Unknown measure.")]
    if minimum < 0:
        errors["minimum"] = [_("Must not be negative.")]
    if maximum is not None and maximum < minimum:
        errors["maximum"] = [_("Must not be below the minimum.")]
    if ends_on < starts_on:
        errors["ends_on"] = [_("Must not be before the start.")]
    fail(errors)
    requirement = LearningRequirement.objects.create(
        name=name,
        measure=measure,
        minimum=minimum,
        maximum=maximum,
        starts_on=starts_on,
        ends_on=ends_on,
        campaign=campaign,
    )
    _created(requirement, actor)
    return requirement


def _learning_errors(hours: Decimal, kind: str, topic: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if hours is None or hours < 0 or hours > 24:
        errors["hours"] = [_("Between 0 and 24 hours.")]
    if kind not in LearningKind.values:
        errors["kind"] = [_("Unknown kind.")]
    if not topic.strip():
        errors["topic"] = [_("This field is required.")]
    return errors


@transaction.atomic
def learning_record_create(
    *,
    actor: User | None,
    person: Person,
    date: dt.date,
    hours: Decimal,
    kind: str,
    topic: str,
    notes: str = "",
    essays: Iterable[StoredFile] = (),
    campaign: Campaign | None = None,
) -> LearningRecord:
    """One person's learning (学习教育): their own, or entered by their unit."""
    fail(_learning_errors(hours, kind, topic))
    if not _is_self(actor, person):
        _record_for(actor, person.unit)
    record = LearningRecord.objects.create(
        person=person,
        unit=person.unit,
        campaign=campaign,
        date=date,
        hours=hours,
        kind=kind,
        topic=topic.strip(),
        notes=notes,
        created_by=actor,
        created_at=_now(),
    )
    record.essays.set(_files(essays))
    _created(record, actor)
    return record


@transaction.atomic
def group_session_record(
    *,
    actor: User | None,
    unit: Unit,
    attendees: Sequence[Person],
    date: dt.date,
    hours: Decimal,
    topic: str,
    kind: str = LearningKind.GROUP,
    notes: str = "",
    campaign: Campaign | None = None,
) -> LearningSession:
    """A group session entered once: each attendee gets a learning record of its hours."""
    _record_for(actor, unit)
    errors = _learning_errors(hours, kind, topic)
    if not attendees:
        errors["attendees"] = [_("Choose the attendees.")]
    scope = scope_for(actor)
    outside = [p.name for p in attendees if not scope.contains_unit(p.unit)]
    if outside:
        errors["attendees"] = [_("Outside your data scope: %s") % "、".join(outside)]
    fail(errors)
    now = _now()
    session = LearningSession.objects.create(
        unit=unit,
        campaign=campaign,
        date=date,
        hours=hours,
        kind=kind,
        topic=topic.strip(),
        notes=notes,
        created_by=actor,
        created_at=now,
    )
    unique = {p.pk: p for p in attendees}.values()
    LearningRecord.objects.bulk_create(
        [
            LearningRecord(
                person=p,
                unit=p.unit,
                campaign=campaign,
                session=session,
                date=date,
                hours=hours,
                kind=kind,
                topic=session.topic,
                notes=notes,
                created_by=actor,
                created_at=now,
            )
            for p in unique
        ]
    )
    audit.record(
        "create",
        session,
        after=audit.snapshot(session) | {"attendees": [p.pk for p in unique]},
        actor=actor,
    )
    return session


# --- recurring activities (五个一) ---------------------------------------------------------------------
@transaction.atomic
def activity_create(
    *,
    actor: User | None,
    code: str,
    name: str,
    frequency: str,
    active_from: dt.date,
    description: str = "",
    all_units: bool = True,
    units: Iterable[Unit] = (),
    campaign: Campaign | None = None,
    active_until: dt.date | None = None,
) -> RecurringActivity:
    """Define a recurring activity and the units that owe it (office)."""
    _manage(actor)
    units = list(units)
    errors: dict[str, list[str]] = {}
    if frequency not in RecurringActivity.Frequency.values:
        errors["frequency"] = [_("Monthly or quarterly.")]
    if RecurringActivity.objects.filter(code=code).exists():
        errors["code"] = [_("This code is already used.")]
    if not all_units and not units:
        errors["units"] = [_("Choose the units that owe the activity.")]
    fail(errors)
    activity = RecurringActivity.objects.create(
        code=code,
        name=name,
        description=description,
        frequency=frequency,
        all_units=all_units,
        campaign=campaign,
        active_from=active_from,
        active_until=active_until,
    )
    activity.units.set(units)
    _created(activity, actor)
    return activity


@transaction.atomic
def activity_record_create(
    *,
    actor: User | None,
    activity: RecurringActivity,
    unit: Unit,
    held_on: dt.date,
    participants: str = "",
    participant_count: int = 0,
    notes: str = "",
    photos: Iterable[StoredFile] = (),
) -> ActivityRecord:
    """A unit records one occurrence (date, participants, notes, photos) of a 五个一 activity."""
    _record_for(actor, unit)
    errors: dict[str, list[str]] = {}
    if not activity.is_active:
        errors["activity"] = [_("This activity is no longer owed.")]
    if held_on > today():
        errors["held_on"] = [_("Must not be in the future.")]
    fail(errors)
    record = ActivityRecord.objects.create(
        activity=activity,
        unit=unit,
        period=periods.period_of(held_on, activity.frequency),
        held_on=held_on,
        participants=participants,
        participant_count=participant_count,
        notes=notes,
        created_by=actor,
        created_at=_now(),
    )
    record.photos.set(_files(photos))
    _created(record, actor)
    return record


# --- institution register (建章立制) --------------------------------------------------------------------
@transaction.atomic
def rule_create(
    *,
    actor: User | None,
    unit: Unit,
    rule_type: str,
    adopted_on: dt.date,
    name: str = "",
    document: StoredFile | None = None,
    owner: Person | None = None,
    next_review_on: dt.date | None = None,
    notes: str = "",
) -> InstitutionRule:
    """Register one of a unit's rules (seed 000: 全面制定和实行"十项制度")."""
    _record_for(actor, unit)
    errors: dict[str, list[str]] = {}
    if rule_type not in RuleType.values:
        errors["rule_type"] = [_("Unknown rule type.")]
    elif rule_type == RuleType.CUSTOM and not name.strip():
        errors["name"] = [_("Name the rule.")]
    if owner is not None and owner.unit_id != unit.pk:
        errors["owner"] = [_("The person does not belong to that unit.")]
    if next_review_on is not None and next_review_on < adopted_on:
        errors["next_review_on"] = [_("Must not be before the adoption date.")]
    fail(errors)
    rule = InstitutionRule.objects.create(
        unit=unit,
        rule_type=rule_type,
        name=name.strip() or str(RuleType(rule_type).label),
        document=document,
        owner=owner,
        adopted_on=adopted_on,
        next_review_on=next_review_on,
        notes=notes,
        created_by=actor,
        created_at=_now(),
    )
    _created(rule, actor)
    return rule


RULE_FIELDS = {"name", "document", "owner", "adopted_on", "next_review_on", "notes", "is_active"}


@transaction.atomic
def rule_update(*, actor: User | None, rule: InstitutionRule, **changes) -> InstitutionRule:
    """Revise a rule (a review moves next_review_on on; retiring sets is_active=False)."""
    _record_for(actor, rule.unit)
    unknown = set(changes) - RULE_FIELDS
    fail({k: [_("This field cannot be changed here.")] for k in sorted(unknown)})
    owner = changes.get("owner")
    if owner is not None and owner.unit_id != rule.unit_id:
        fail({"owner": [_("The person does not belong to that unit.")]})
    before = audit.snapshot(rule)
    for key, value in changes.items():
        setattr(rule, key, value)
    rule.save()
    audit.record("update", rule, before=before, after=audit.snapshot(rule), actor=actor)
    return rule


@transaction.atomic
def rule_review(
    *,
    actor: User | None,
    rule: InstitutionRule,
    next_review_on: dt.date,
    document: StoredFile | None = None,
    notes: str = "",
) -> InstitutionRule:
    """Record that a rule was reviewed (复审, seed 000: 建立健全长效机制): the next review date
    moves into the future, a revised document may replace the old one. Ends the reminders of
    the sweep for the old date."""
    _record_for(actor, rule.unit)
    if not rule.is_active:
        raise Conflict(_("This rule is no longer in force."))
    if next_review_on <= today():
        fail({"next_review_on": [_("Must be in the future.")]})
    before = audit.snapshot(rule)
    rule.next_review_on = next_review_on
    if document is not None:
        rule.document = document
    if notes.strip():
        rule.notes = f"{rule.notes}\n{notes.strip()}".strip()
    rule.save()
    audit.record("review", rule, before=before, after=audit.snapshot(rule), actor=actor)
    return rule
