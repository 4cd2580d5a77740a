"""The working-day calendar service.

Working days follow the State Council schedule (holidays and make-up working weekends,
调休) entered as data (``CalendarDay``); years marked in ``CalendarYear`` are known. For a
year with no data the calendar falls back to Monday–Friday and flags the answer as
uncertain — it never raises (the schedule for next year is published each November).

Counting rules (PRODUCT.md "Time rules", issue 3):
- N working days end at 23:59:59 of the Nth working day after the day the clock starts;
- N hours count only the hours of working days (24 h from Friday 17:00 → Monday 17:00);
- N natural days end at 23:59:59 of day N; a month ends at the end of the same date next month.

All arithmetic is done in local time (Asia/Shanghai); answers are aware datetimes.
"""

from __future__ import annotations

import calendar as pycalendar
import threading
import time
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dtime

from django.db.models.signals import post_delete, post_save
from django.utils import timezone

FIRST_YEAR = 2000
LAST_YEAR = 2100
END_OF_DAY = dtime(23, 59, 59)
CACHE_SECONDS = 60


@dataclass(frozen=True)
class Deadline:
    at: datetime
    uncertain: bool = False


class WorkCalendar:
    """An immutable snapshot of the calendar; cheap to query (bisect over working-day ordinals)."""

    def __init__(self, exceptions: dict[date, bool], known_years: set[int]):
        self.exceptions = exceptions
        self.known_years = frozenset(known_years)
        first = date(FIRST_YEAR, 1, 1).toordinal()
        last = date(LAST_YEAR, 12, 31).toordinal()
        self._first, self._last = first, last
        self._working = [o for o in range(first, last + 1) if self._is_working_ordinal(o)]

    def _is_working_ordinal(self, ordinal: int) -> bool:
        day = date.fromordinal(ordinal)
        if day.year in self.known_years and day in self.exceptions:
            return self.exceptions[day]
        return day.weekday() < 5

    # --- days -----------------------------------------------------------------------------
    def is_known(self, day: date) -> bool:
        return day.year in self.known_years

    def is_working_day(self, day: date) -> bool:
        ordinal = day.toordinal()
        if self._first <= ordinal <= self._last:
            i = bisect_left(self._working, ordinal)
            return i < len(self._working) and self._working[i] == ordinal
        return day.weekday() < 5

    def _uncertain(self, start: date, end: date) -> bool:
        return any(
            y not in self.known_years for y in range(min(start, end).year, max(start, end).year + 1)
        )

    def nth_working_day_after(self, day: date, n: int) -> date:
        """The Nth working day strictly after `day` (n ≥ 1); n = 0 gives `day` itself."""
        if n <= 0:
            return day
        ordinal = day.toordinal()
        if self._first <= ordinal <= self._last:
            i = bisect_right(self._working, ordinal) + n - 1
            if i < len(self._working):
                return date.fromordinal(self._working[i])
        current = day  # beyond the table: plain Monday–Friday
        while n:
            current += timedelta(days=1)
            if self.is_working_day(current):
                n -= 1
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Working days d with start < d ≤ end (negative if end is before start)."""
        if end < start:
            return -self.working_days_between(end, start)
        a, b = start.toordinal(), end.toordinal()
        if self._first <= a and b <= self._last:
            return bisect_right(self._working, b) - bisect_right(self._working, a)
        return sum(1 for k in range(1, b - a + 1) if self.is_working_day(start + timedelta(days=k)))

    # --- instants -------------------------------------------------------------------------
    def add_working_days(self, start: datetime | date, n: int) -> Deadline:
        day = _local_date(start)
        end = self.nth_working_day_after(day, n)
        return Deadline(_end_of(end), self._uncertain(day, end))

    def add_natural_days(self, start: datetime | date, n: int) -> Deadline:
        day = _local_date(start)
        end = day + timedelta(days=n)
        return Deadline(_end_of(end), False)

    def add_months(self, start: datetime | date, n: int) -> Deadline:
        day = _local_date(start)
        month0 = day.month - 1 + n
        year, month = day.year + month0 // 12, month0 % 12 + 1
        end = date(year, month, min(day.day, pycalendar.monthrange(year, month)[1]))
        return Deadline(_end_of(end), False)

    def add_working_seconds(self, start: datetime, seconds: float) -> Deadline:
        """Move forward counting only time that falls on working days."""
        current = timezone.localtime(_aware(start))
        first_day = current.date()
        remaining = float(seconds)
        while True:
            day = current.date()
            if not self.is_working_day(day):
                next_day = self.nth_working_day_after(day, 1)
                current = _start_of(next_day)
                continue
            day_end = _start_of(day + timedelta(days=1))
            available = (day_end - current).total_seconds()
            if remaining <= available:
                result = current + timedelta(seconds=remaining)
                return Deadline(result, self._uncertain(first_day, result.date()))
            remaining -= available
            current = day_end

    def add_hours(self, start: datetime, hours: float) -> Deadline:
        return self.add_working_seconds(start, hours * 3600)

    def working_seconds_between(self, start: datetime, end: datetime) -> float:
        """Seconds of working-day time between two instants (used to extend a clock after a pause)."""
        a, b = timezone.localtime(_aware(start)), timezone.localtime(_aware(end))
        if b <= a:
            return 0.0
        total = 0.0
        day = a.date()
        while day <= b.date():
            if self.is_working_day(day):
                lo = max(a, _start_of(day))
                hi = min(b, _start_of(day + timedelta(days=1)))
                if hi > lo:
                    total += (hi - lo).total_seconds()
            day += timedelta(days=1)
        return total


def _aware(value: datetime) -> datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _local_date(value: datetime | date) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(_aware(value)).date()
    return value


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, dtime.min))


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, END_OF_DAY))


# --- loading and caching ----------------------------------------------------------------------
_lock = threading.Lock()
_cached: tuple[float, WorkCalendar] | None = None


def get_calendar() -> WorkCalendar:
    """The current calendar; reloaded after edits in this process and at most every minute elsewhere."""
    global _cached
    with _lock:
        if _cached is not None and time.monotonic() - _cached[0] < CACHE_SECONDS:
            return _cached[1]
    from .models import CalendarDay, CalendarYear

    exceptions = {
        d: kind == CalendarDay.Kind.WORKDAY
        for d, kind in CalendarDay.objects.values_list("date", "kind")
    }
    known = set(CalendarYear.objects.values_list("year", flat=True))
    cal = WorkCalendar(exceptions, known)
    with _lock:
        _cached = (time.monotonic(), cal)
    return cal


def invalidate(**_kwargs) -> None:
    global _cached
    with _lock:
        _cached = None


def _connect_signals() -> None:
    from .models import CalendarDay, CalendarYear

    for model in (CalendarDay, CalendarYear):
        post_save.connect(
            invalidate, sender=model, dispatch_uid=f"calendar-invalidate-save-{model.__name__}"
        )
        post_delete.connect(
            invalidate, sender=model, dispatch_uid=f"calendar-invalidate-del-{model.__name__}"
        )


# Convenience functions: the calendar service's public face.
def is_working_day(day: date) -> bool:
    return get_calendar().is_working_day(day)


def add_working_days(start: datetime | date, n: int) -> Deadline:
    return get_calendar().add_working_days(start, n)


def add_natural_days(start: datetime | date, n: int) -> Deadline:
    return get_calendar().add_natural_days(start, n)


def add_hours(start: datetime, hours: float) -> Deadline:
    return get_calendar().add_hours(start, hours)


def add_months(start: datetime | date, n: int) -> Deadline:
    return get_calendar().add_months(start, n)


def working_days_between(start: datetime | date, end: datetime | date) -> int:
    return get_calendar().working_days_between(_local_date(start), _local_date(end))
