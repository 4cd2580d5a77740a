"""Accountability cases as typical cases of an exposure bulletin (issue #14: a bulletin is
composed from findings, complaints and accountability cases). Registered in the
inspections composer's source registry from ``AppConfig.ready()``: inspections never imports
accountability (accountability imports inspections)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xiaoneng.inspections import bulletin_sources

from .models import Case
from .selectors import cases_for
from .vocab import DECIDED_STATUSES

KEY = "accountability"


def _decided(user):
    return cases_for(user).filter(status__in=DECIDED_STATUSES)


def candidates(user, limit: int) -> list[bulletin_sources.Candidate]:
    """Decided cases (approved on): only a decision may be exposed."""
    rows = _decided(user).order_by("-approved_at", "-id")[:limit]
    return [
        bulletin_sources.Candidate(
            pk=c.pk,
            label=f"{c.number} · {c.title}",
            note=str(c.get_status_display()),
            unit=c.unit.name,
        )
        for c in rows
    ]


def _entry(case: Case) -> dict:
    subjects = list(case.subjects.all())
    measures = sorted({s.measure.name for s in subjects if s.measure_id})
    handling = (
        gettext("Accountability case %(number)s: %(measures)s.")
        % {"number": case.number, "measures": "、".join(measures)}
        if measures
        else gettext("Accountability case %(number)s.") % {"number": case.number}
    )
    return {
        "source_object": case,
        "unit": case.unit,
        "title": case.title[:200],
        "text": case.summary or case.title,
        "handling": handling,  # measures only: names are published only with the tick
        "names": "、".join(s.name for s in subjects)[:200],
    }


def entries(user, ids: Sequence[int]) -> list[dict]:
    cases = _decided(user).filter(pk__in=ids).prefetch_related("subjects__measure")
    return [_entry(c) for c in cases.order_by("approved_at", "id")]


def register() -> None:
    bulletin_sources.register(
        bulletin_sources.Source(
            key=KEY,
            label=_("Typical cases: decided accountability cases"),
            candidates=candidates,
            entries=entries,
        )
    )
