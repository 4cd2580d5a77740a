"""The institution register (建章立制): register, update, review."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.core import audit
from xiaoneng.core.errors import Conflict
from xiaoneng.core.models import Person, StoredFile, Unit, User
from xiaoneng.core.services.base import fail

from ..models import (
    InstitutionRule,
    RuleType,
)
from ..selectors import today
from .common import _created, _now, _record_for


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
