"""Working-day calendar writes (admins enter each year's State Council schedule); audited."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from .. import audit
from .. import calendar as work_calendar
from ..models import CalendarDay, CalendarYear
from .base import require_permission, require_writable


@transaction.atomic
def calendar_day_set(*, actor, day: date, kind: str, name: str = "") -> CalendarDay:
    """Add or change a holiday / make-up working day (State Council schedule, entered by hand)."""
    require_permission(actor, "calendar.manage")
    require_writable(actor)
    existing = CalendarDay.objects.select_for_update().filter(date=day).first()
    if existing is None:
        obj = CalendarDay.objects.create(date=day, kind=kind, name=name)
        audit.record("create", obj, after=audit.snapshot(obj), actor=actor)
    else:
        before = audit.snapshot(existing)
        existing.kind, existing.name = kind, name
        existing.save()
        obj = existing
        audit.record("update", obj, before=before, after=audit.snapshot(obj), actor=actor)
    transaction.on_commit(work_calendar.invalidate)
    return obj


@transaction.atomic
def calendar_day_remove(*, actor, day: CalendarDay) -> None:
    require_permission(actor, "calendar.manage")
    require_writable(actor)
    audit.record("delete", day, before=audit.snapshot(day), actor=actor)
    day.delete()
    transaction.on_commit(work_calendar.invalidate)


@transaction.atomic
def calendar_year_mark(*, actor, year: int, entered: bool, source: str = "") -> None:
    """Mark a year's schedule as entered (its days apply) or not (Monday–Friday, uncertain)."""
    require_permission(actor, "calendar.manage")
    require_writable(actor)
    current = CalendarYear.objects.select_for_update().filter(year=year).first()
    if entered and current is None:
        obj = CalendarYear.objects.create(year=year, source=source or _("entered by hand"))
        audit.record("create", obj, after=audit.snapshot(obj, exclude=("updated_at",)), actor=actor)
    elif not entered and current is not None:
        audit.record(
            "delete", current, before=audit.snapshot(current, exclude=("updated_at",)), actor=actor
        )
        current.delete()
    transaction.on_commit(work_calendar.invalidate)
