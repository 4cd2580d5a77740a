"""What the campaign services share: the manager check, submitters of a unit, links."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from typing import NoReturn

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import clock
from xiaoneng.core.errors import ValidationFailed
from xiaoneng.core.services.base import require_permission, require_writable

MAX_OCCURRENCES = 400


# --- helpers ----------------------------------------------------------------------------------------
def _manage(actor) -> None:
    require_permission(actor, "campaign.manage")
    require_writable(actor)


def _today() -> dt.date:
    return timezone.localdate(clock.now())


def _invalid(field: str, message: str) -> NoReturn:
    raise ValidationFailed(message, errors={field: [message]})


def _check_text(value, field: str, errors: dict, *, limit: int = 200) -> str:
    """A required one-line text, stripped; an error on ``field`` when empty or too long."""
    text = (value or "").strip()
    if not text:
        errors[field] = [_("This field is required.")]
    elif len(text) > limit:
        errors[field] = [_("At most %(n)d characters.") % {"n": limit}]
    return text


def _date(year: int, month: int, day: int) -> dt.date:
    """A seed date in a given year; 2月29日 (or 28) clamps to the month's last day."""
    return dt.date(year, month, min(day, pycalendar.monthrange(year, month)[1]))


def rolled(offset: list[int], year: int) -> dt.date:
    y, m, d = offset
    return _date(year + y, m, d)


def _link(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # a link must never block a write
        return ""
