"""Reference data seeded at migrate time: built-in roles and the holiday calendar.

Functions take model classes so data migrations can pass historical models.
"""

from __future__ import annotations


def seed_roles(Role) -> int:
    from .permissions import BUILTIN_ROLES

    created = 0
    for code, (name, scope, perms, read_only) in BUILTIN_ROLES.items():
        _, was_created = Role.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "data_scope": scope,
                "permissions": perms,
                "read_only": read_only,
                "is_builtin": True,
            },
        )
        created += was_created
    return created


def seed_calendar(CalendarDay, CalendarYear) -> int:
    """Holidays and make-up working days from the chinese-calendar package (2004–2026)."""
    from chinese_calendar import constants

    rows = {}
    for day, name in constants.holidays.items():
        rows[day] = CalendarDay(date=day, kind="holiday", name=_holiday_name(name))
    for day, name in constants.workdays.items():
        rows[day] = CalendarDay(date=day, kind="workday", name=_holiday_name(name))
    existing = set(CalendarDay.objects.values_list("date", flat=True))
    CalendarDay.objects.bulk_create(
        [r for d, r in sorted(rows.items()) if d not in existing], batch_size=500
    )
    years = sorted({d.year for d in rows})
    for year in years:
        CalendarYear.objects.get_or_create(year=year, defaults={"source": "chinese-calendar"})
    return len(rows) - len(existing & set(rows))


_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def _holiday_name(value) -> str:
    text = getattr(value, "value", value)
    if isinstance(text, tuple | list):
        text = text[0]
    text = str(text)
    return _NAMES.get(text, text)[:50]
