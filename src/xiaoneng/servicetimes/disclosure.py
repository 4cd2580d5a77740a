"""The unit's service time limits on its 院务公开 page (openness.providers)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from xiaoneng.core.models import Unit

from .selectors import standards_for_unit


def limit_text(minutes: int) -> str:
    if minutes >= 60 and minutes % 60 == 0:
        return _("within %(hours)d hours") % {"hours": minutes // 60}
    return _("within %(minutes)d minutes") % {"minutes": minutes}


def unit_standards(unit: Unit) -> list[dict]:
    """Effective standards (overrides applied) as rows of the public page."""
    return [
        {
            "title": s.name,
            "time_limit": limit_text(s.limit_minutes),
            "content": s.standard.source_quote,
        }
        for s in standards_for_unit(unit)
    ]
