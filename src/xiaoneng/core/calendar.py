"""The working-day calendar service.

Working days follow the State Council schedule (holidays and make-up working weekends,
调休) entered as data (``CalendarDay``); years marked in ``CalendarYear`` are known. For a
year with no data the calendar falls back to Monday–Friday and flags the answer as
uncertain — it never raises (the schedule for next year is published each November).

Counting rules (PRODUCT.md "Time rules", issue 3):
- N working days end at 23:59:59 of the Nth working day after the day the clock starts;
- N hours count only the hours of working days (24 h from Friday 17:00 → Monday 17:00);
- N natural days end at 23:59:59 of day N; a month ends at the end of the same date next month.

All arithmetic is done in the site's time zone (settings.TIME_ZONE, Asia/Shanghai); answers are
aware datetimes.
"""

from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime

from django.utils import timezone

from .snapshot import Snapshot

FIRST_YEAR = 2000
LAST_YEAR = 2100
END_OF_DAY = dtime(23, 59, 59)
CACHE_SECONDS = 60


@dataclass(frozen=True)
class Deadline:
    at: datetime
    uncertain: bool = False


class WorkCalendar:
    """An immutable snapshot of the calendar.

    Every day of 2000–2100 gets an index; per index the snapshot keeps whether it is a working
    day, how many working days fall on or before it, and where the next year without published
    data starts, so a deadline is a few list lookups (a province recomputes millions of them).
    """

    def __init__(self, exceptions: dict[date, bool], known_years: set[int]):
        self.exceptions = exceptions
        self.known_years = frozenset(known_years)
        # Deadlines follow the site's zone, not a zone a request may have activated.
        self.zone = timezone.get_default_timezone()
        self._utc_shift = _fixed_offset(self.zone)
        first = date(FIRST_YEAR, 1, 1).toordinal()
        last = date(LAST_YEAR, 12, 31).toordinal()
        self._first = first
        working: list[int] = []
        rank: list[int] = []  # rank[k]: working days on or before day first + k
        is_work = bytearray()
        unknown: list[bool] = []
        for ordinal in range(first, last + 1):
            day = date.fromordinal(ordinal)
            flag = self._is_working_day_uncached(day)
            if flag:
                working.append(ordinal)
            is_work.append(flag)
            rank.append(len(working))
            unknown.append(day.year not in self.known_years)
        self._working, self._rank, self._is_work = working, rank, bytes(is_work)
        # unknown_from[k]: the first day index ≥ k in a year with no published schedule
        unknown_from = [0] * len(rank)
        following = len(rank)
        for k in range(len(rank) - 1, -1, -1):
            if unknown[k]:
                following = k
            unknown_from[k] = following
        self._unknown_from = unknown_from
        self._deadlines: dict[int, Deadline] = {}

    def _is_working_day_uncached(self, day: date) -> bool:
        if day.year in self.known_years and day in self.exceptions:
            return self.exceptions[day]
        return day.weekday() < 5

    def _index(self, value: datetime | date) -> int:
        """The day index of a date or of an instant's local date (may fall outside the table)."""
        if isinstance(value, datetime):
            tz = value.tzinfo
            if tz is not None and tz is not self.zone:
                if tz is UTC and self._utc_shift is not None:
                    value = value + self._utc_shift  # what the database hands back
                else:
                    value = value.astimezone(self.zone)
            # A naive datetime is already local wall time.
        return value.toordinal() - self._first

    def _end_deadline(self, k: int, uncertain: bool) -> Deadline:
        key = k * 2 + uncertain
        found = self._deadlines.get(key)
        if found is None:
            end = date.fromordinal(self._first + k)
            found = Deadline(_end_of(end), uncertain)
            self._deadlines[key] = found
        return found

    # --- days -----------------------------------------------------------------------------
    def is_working_day(self, day: date) -> bool:
        k = day.toordinal() - self._first
        if 0 <= k < len(self._is_work):
            return bool(self._is_work[k])
        return day.weekday() < 5

    def _uncertain(self, start: date, end: date) -> bool:
        return any(
            y not in self.known_years for y in range(min(start, end).year, max(start, end).year + 1)
        )

    def nth_working_day_after(self, day: date, n: int) -> date:
        """The Nth working day strictly after `day` (n ≥ 1); n = 0 gives `day` itself."""
        if n <= 0:
            return day
        k = day.toordinal() - self._first
        if 0 <= k < len(self._rank):
            i = self._rank[k] + n - 1
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
        a, b = start.toordinal() - self._first, end.toordinal() - self._first
        if a >= 0 and b < len(self._rank):
            return self._rank[b] - self._rank[a]
        return sum(1 for k in range(1, b - a + 1) if self.is_working_day(start + timedelta(days=k)))

    # --- instants -------------------------------------------------------------------------
    def add_working_days(self, start: datetime | date, n: int) -> Deadline:
        k = self._index(start)
        if n > 0 and 0 <= k < len(self._rank):
            i = self._rank[k] + n - 1
            if i < len(self._working):
                end = self._working[i] - self._first
                return self._end_deadline(end, self._unknown_from[k] <= end)
        day = _local_date(start)
        end_day = self.nth_working_day_after(day, n)
        return Deadline(_end_of(end_day), self._uncertain(day, end_day))

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
        current = _local(start)
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
        a, b = _local(start), _local(end)
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


def _fixed_offset(zone) -> timedelta | None:
    """The zone's UTC offset if it is the same at every month start of the table, else None.

    China has kept +08:00 since 1991, so converting a UTC instant is one addition.
    """
    offsets = {
        zone.utcoffset(datetime(year, month, 1))
        for year in range(FIRST_YEAR, LAST_YEAR + 1)
        for month in range(1, 13)
    }
    return offsets.pop() if len(offsets) == 1 else None


def _zone():
    return timezone.get_default_timezone()


def _aware(value: datetime) -> datetime:
    return timezone.make_aware(value, _zone()) if timezone.is_naive(value) else value


def _local(value: datetime) -> datetime:
    return timezone.localtime(_aware(value), _zone())


def _local_date(value: datetime | date) -> date:
    if isinstance(value, datetime):
        return _local(value).date()
    return value


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, dtime.min), _zone())


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, END_OF_DAY), _zone())


# --- loading and caching ----------------------------------------------------------------------
def _load() -> WorkCalendar:
    from .models import CalendarDay, CalendarYear

    exceptions = {
        d: kind == CalendarDay.Kind.WORKDAY
        for d, kind in CalendarDay.objects.values_list("date", "kind")
    }
    known = set(CalendarYear.objects.values_list("year", flat=True))
    return WorkCalendar(exceptions, known)


_snapshot = Snapshot(_load, models=("core.CalendarDay", "core.CalendarYear"), seconds=CACHE_SECONDS)


def get_calendar() -> WorkCalendar:
    """The current calendar; reloaded after edits in this process and at most every minute elsewhere."""
    return _snapshot.get()


def invalidate(**_kwargs) -> None:
    _snapshot.invalidate()


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
