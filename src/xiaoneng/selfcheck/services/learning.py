"""Learning requirements and records (学习教育), group sessions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.campaigns.models import Campaign
from xiaoneng.core import audit
from xiaoneng.core.models import Person, StoredFile, Unit, User
from xiaoneng.core.scope import scope_for
from xiaoneng.core.services.base import fail

from ..models import (
    LearningKind,
    LearningRecord,
    LearningRequirement,
    LearningSession,
)
from .common import _created, _files, _is_self, _manage, _now, _record_for


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
