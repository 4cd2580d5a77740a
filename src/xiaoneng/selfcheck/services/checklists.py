"""Checklist templates and assignments (自查): assign, answer (a problem opens a ledger issue), attach material."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.campaigns.models import Campaign
from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict, Forbidden
from xiaoneng.core.models import Person, StoredFile, Unit, User
from xiaoneng.core.services.base import fail, require_writable

from .. import ledger
from ..models import (
    ChecklistAnswer,
    ChecklistAssignment,
    ChecklistItem,
    ChecklistTemplate,
)
from ..workflow import ASSIGNMENT
from .common import _created, _files, _is_self, _manage, _now, _record_for, can_record_for


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
