"""Deadlines and traffic lights of rectification items (issue #5).

The default deadline of a new item comes from its type's ``ItemTypeRule`` (data, seeded by a
migration, editable in the admin) through the calendar service. The light is green while on
track, yellow when ≤ 3 working days remain or more than 80 % of the time has passed, red when
overdue. The instant it turns yellow is stored on the item (``yellow_at``) so lists filter by
light with index-friendly comparisons.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from xiaoneng.core import calendar as work_calendar

from .vocab import OPEN_STATUSES, DeadlineUnit, ItemType, Light

YELLOW_REMAINING_WORKING_DAYS = 3
YELLOW_ELAPSED_PERCENT = 80
# Used when the seeded rules are missing (e.g. a flushed test database).
FALLBACK_RULES = {
    ItemType.IMMEDIATE: (5, DeadlineUnit.WORKING_DAYS),
    ItemType.STAGED: (3, DeadlineUnit.MONTHS),
    ItemType.LONG_TERM: (12, DeadlineUnit.MONTHS),
}


def type_rules() -> dict[str, tuple[int, str]]:
    from .models import ItemTypeRule

    rules = dict(FALLBACK_RULES)
    rules.update({r.type: (r.value, r.unit) for r in ItemTypeRule.objects.all()})
    return rules


def default_deadline(item_type: str, start: datetime) -> work_calendar.Deadline:
    value, unit = type_rules().get(item_type, FALLBACK_RULES[ItemType.IMMEDIATE])
    if unit == DeadlineUnit.WORKING_DAYS:
        return work_calendar.add_working_days(start, value)
    if unit == DeadlineUnit.NATURAL_DAYS:
        return work_calendar.add_natural_days(start, value)
    return work_calendar.add_months(start, value)


def end_of_day(day: date) -> datetime:
    """A deadline given as a date ends at 23:59:59 local time of that day."""
    return timezone.make_aware(datetime.combine(day, datetime.max.time().replace(microsecond=0)))


def yellow_at(start: datetime, deadline: datetime) -> datetime:
    """The earlier of: the start of the day from which ≤ 3 working days remain, and 80 % of the
    time from start to deadline."""
    cal = work_calendar.get_calendar()
    day = timezone.localtime(deadline).date()
    # From day D, the working days left are those d with D < d ≤ deadline day: ≤ 3 from the
    # 4th working day counted back from the deadline day (inclusive).
    found = 0
    current = day
    while True:
        if cal.is_working_day(current):
            found += 1
            if found > YELLOW_REMAINING_WORKING_DAYS:
                break
        current -= timedelta(days=1)
        if (day - current).days > 60:
            break
    by_days = timezone.make_aware(datetime.combine(current, datetime.min.time()))
    total = (deadline - start).total_seconds()
    by_share = start + timedelta(seconds=max(0.0, total) * YELLOW_ELAPSED_PERCENT / 100)
    return min(by_days, by_share)


def light(item, now: datetime) -> str | None:
    """green / yellow / red for open items; None once closed."""
    if item.status not in OPEN_STATUSES:
        return None
    if now > item.deadline:
        return Light.RED
    if now >= item.yellow_at:
        return Light.YELLOW
    return Light.GREEN


def light_q(value: str, now: datetime) -> Q:
    """The filter for one light (open items only)."""
    open_ = Q(status__in=OPEN_STATUSES)
    if value == Light.RED:
        return open_ & Q(deadline__lt=now)
    if value == Light.YELLOW:
        return open_ & Q(yellow_at__lte=now, deadline__gte=now)
    if value == Light.GREEN:
        return open_ & Q(yellow_at__gt=now)
    return Q(pk__in=[])


def overdue_q(now: datetime) -> Q:
    return Q(status__in=OPEN_STATUSES, deadline__lt=now)
