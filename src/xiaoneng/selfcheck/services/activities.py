"""The recurring activities (五个一) and their records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.campaigns.models import Campaign
from xiaoneng.core.models import StoredFile, Unit, User
from xiaoneng.core.services.base import fail

from .. import periods
from ..models import (
    ActivityRecord,
    RecurringActivity,
)
from ..selectors import today
from .common import _created, _files, _manage, _now, _record_for


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
