"""Periods of recurring activities: "2026-10" (a month) and "2026-Q4" (a quarter)."""

from __future__ import annotations

import datetime as dt

MONTHLY = "monthly"
QUARTERLY = "quarterly"


def period_of(day: dt.date, frequency: str) -> str:
    if frequency == QUARTERLY:
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def bounds(period: str) -> tuple[dt.date, dt.date]:
    """First and last day of a period."""
    year_text, part = period.split("-")
    year = int(year_text)
    if part.upper().startswith("Q"):
        quarter = int(part[1:])
        if not 1 <= quarter <= 4:
            raise ValueError(period)
        first_month, last_month = 3 * quarter - 2, 3 * quarter
    else:
        first_month = last_month = int(part)
        if not 1 <= first_month <= 12:
            raise ValueError(period)
    start = dt.date(year, first_month, 1)
    end = (
        dt.date(year + 1, 1, 1) if last_month == 12 else dt.date(year, last_month + 1, 1)
    ) - dt.timedelta(days=1)
    return start, end


def frequency_of(period: str) -> str:
    return QUARTERLY if "Q" in period.upper() else MONTHLY


def shift(period: str, steps: int) -> str:
    """The period `steps` periods later (negative: earlier)."""
    start, _end = bounds(period)
    if frequency_of(period) == QUARTERLY:
        index = start.year * 4 + (start.month - 1) // 3 + steps
        return f"{index // 4}-Q{index % 4 + 1}"
    index = start.year * 12 + start.month - 1 + steps
    return f"{index // 12}-{index % 12 + 1:02d}"


def last_completed(day: dt.date, frequency: str) -> str:
    """The latest period that has ended before `day` (last month / last quarter)."""
    return shift(period_of(day, frequency), -1)


def recent(day: dt.date, frequency: str, count: int) -> list[str]:
    """The current period and the `count - 1` before it, oldest first."""
    current = period_of(day, frequency)
    return [shift(current, -i) for i in range(count - 1, -1, -1)]
