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


# Default e-mail and SMS wording for the events someone must act on (admins edit them under
# 通知模板). ``{{ title }}`` and ``{{ body }}`` are the event's own text, ``{{ url }}`` the page.
_STAFF_EMAIL = (
    "{{ title }}",
    "{{ title }}\n\n{{ body }}\n\n请登录效能平台办理：{{ url }}\n\n（本邮件由系统自动发出，请勿回复。）",
)
_STAFF_SMS = ("【效能平台】", "{{ title }}。请及时登录平台办理。")
NOTIFICATION_TEMPLATES: dict[str, dict[str, tuple[str, str]]] = {
    "complaint.dispatched": {"email": _STAFF_EMAIL, "sms": _STAFF_SMS},
    "complaint.sign_reminder": {"email": _STAFF_EMAIL, "sms": _STAFF_SMS},
    "complaint.sign_escalation": {"email": _STAFF_EMAIL, "sms": _STAFF_SMS},
    "complaint.ladder": {"email": _STAFF_EMAIL, "sms": _STAFF_SMS},
    "complaint.escalated": {"email": _STAFF_EMAIL, "sms": _STAFF_SMS},
    "complaint.overdue_reminder": {"email": _STAFF_EMAIL, "sms": _STAFF_SMS},
    "complaint.express_report": {"email": _STAFF_EMAIL, "sms": _STAFF_SMS},
    "complaint.written_criticism": {"email": _STAFF_EMAIL},
    "complaint.extension_requested": {"email": _STAFF_EMAIL},
    "complaint.extension_decided": {"email": _STAFF_EMAIL},
    "complaint.sent_back": {"email": _STAFF_EMAIL},
    # To the complainant's phone (no account): the answer is on the public site.
    "complaint.replied": {"sms": ("【卫生健康投诉】", "{{ title }}{{ body }}")},
}


def seed_notification_templates(NotificationTemplate) -> int:
    """Add the default templates that are missing; never overwrite an admin's edits."""
    created = 0
    for event, channels in NOTIFICATION_TEMPLATES.items():
        for channel, (subject, body) in channels.items():
            _, made = NotificationTemplate.objects.get_or_create(
                event=event, channel=channel, defaults={"subject": subject, "body": body}
            )
            created += made
    return created
