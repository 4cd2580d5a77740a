"""Clocks: deadline computation with the working-day calendar vs a naive day-by-day loop, and
one SLA sweep over the open cases of the loaded database."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta

from bench.common import emit, setup_django


def deadlines(*, mode: str, db: str, n: int) -> dict:
    setup_django(db)
    from django.utils import timezone

    from xiaoneng.core import calendar as work_calendar
    from xiaoneng.core.models import CalendarDay

    cal = work_calendar.get_calendar()
    rng = random.Random(7)
    # Instants in UTC, as the database hands them back.
    base = datetime(2024, 1, 1, 0, 0, tzinfo=UTC)
    cases = [
        (
            base + timedelta(minutes=rng.randrange(3 * 365 * 24 * 60)),
            rng.choice((1, 3, 5, 10, 15, 20)),
        )
        for _ in range(n)
    ]
    t = time.perf_counter()
    fast = [cal.add_working_days(start, days).at for start, days in cases]
    calendar_s = time.perf_counter() - t

    # The naive loop: walk day by day, asking "is this a working day?" of the holiday table.
    exceptions = {
        d: kind == "workday" for d, kind in CalendarDay.objects.values_list("date", "kind")
    }

    def naive(start, days):
        day = timezone.localtime(start).date()
        while days:
            day += timedelta(days=1)
            working = exceptions.get(day, day.weekday() < 5)
            if working:
                days -= 1
        return timezone.make_aware(datetime.combine(day, work_calendar.END_OF_DAY))

    t = time.perf_counter()
    slow = [naive(start, days) for start, days in cases]
    naive_s = time.perf_counter() - t
    mismatches = sum(1 for a, b in zip(fast, slow, strict=True) if a != b)
    return emit(
        "clock_deadlines",
        {
            "cases": n,
            "calendar_seconds": round(calendar_s, 2),
            "naive_seconds": round(naive_s, 2),
            "per_second": round(n / calendar_s),
            "ratio_speedup": round(naive_s / calendar_s, 1),
            "mismatches": mismatches,
            "target": "≥ 20 × the naive loop",
        },
        mode=mode,
    )


def sweep(*, mode: str, db: str) -> dict:
    setup_django(db)
    from xiaoneng.complaints.escalation import sweep as run_sweep
    from xiaoneng.complaints.models import Complaint
    from xiaoneng.complaints.vocab import CLOCK_STATUSES, OPEN_STATUSES
    from xiaoneng.core import clock

    open_cases = Complaint.objects.filter(status__in=OPEN_STATUSES).count()
    running = Complaint.objects.filter(status__in=CLOCK_STATUSES).count()
    now = clock.now()
    t = time.perf_counter()
    with clock.frozen_now(now):
        result = run_sweep(now)
    first = time.perf_counter() - t
    t = time.perf_counter()
    with clock.frozen_now(now):
        again = run_sweep(now)
    second = time.perf_counter() - t
    return emit(
        "clock_sla_sweep",
        {
            "open_cases": open_cases,
            "clock_running": running,
            "seconds": round(first, 2),
            "examined": result.examined,
            "steps": dict(result.steps),
            "repeat_seconds": round(second, 2),
            "repeat_steps": sum(again.steps.values()),
            "target": "one sweep over 200,000 open cases < 5 s",
        },
        mode=mode,
    )
