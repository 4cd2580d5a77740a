"""Public commitments (公开承诺): record and review."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.campaigns.models import Campaign
from xiaoneng.core import audit
from xiaoneng.core.errors import Forbidden
from xiaoneng.core.models import Person, StoredFile, Unit, User
from xiaoneng.core.scope import scope_for
from xiaoneng.core.services.base import fail, require_writable

from ..models import (
    Commitment,
)
from .checklists import _unit_of
from .common import _created, _files, _is_self, _now, _record_for, can_record_for


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
