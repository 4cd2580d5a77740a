"""Scoped reads of 领导接待日 and 院务公开, and the public reads of the public site."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, QuerySet

from xiaoneng.core import clock
from xiaoneng.core.models import Unit
from xiaoneng.core.scope import get_scoped_or_404, scoped

from .models import Disclosure, DisclosureItem, ReceptionDay, ReceptionVisit
from .providers import contributed_standards
from .vocab import Section

PUBLIC_PAST_DAYS = 30  # a reception day stays on the public roster for a month afterwards


def receptions_for(user) -> QuerySet[ReceptionDay]:
    return (
        scoped(user, ReceptionDay)
        .select_related("unit", "leader")
        .annotate(visit_count=Count("visits"))
        .order_by("-starts_at", "-id")
    )


def get_reception(user, pk: int) -> ReceptionDay:
    return get_scoped_or_404(user, ReceptionDay.objects.select_related("unit", "leader"), pk=pk)


def visits_of(reception: ReceptionDay) -> QuerySet[ReceptionVisit]:
    return reception.visits.select_related("complaint", "leader")


def disclosures_for(user) -> QuerySet[Disclosure]:
    return (
        scoped(user, Disclosure)
        .select_related("unit")
        .annotate(item_count=Count("items"))
        .order_by("unit__path", "id")
    )


def get_disclosure(user, pk: int) -> Disclosure:
    return get_scoped_or_404(user, Disclosure.objects.select_related("unit"), pk=pk)


def get_item(user, pk: int) -> DisclosureItem:
    return get_scoped_or_404(user, DisclosureItem.objects.select_related("disclosure__unit"), pk=pk)


def grouped(rows: list[dict]) -> list[tuple[str, Any, list[dict]]]:
    """(section code, label, rows) for each section, in the page order."""
    return [(s.value, s.label, [r for r in rows if r["section"] == s.value]) for s in Section]


# --- the public site ---------------------------------------------------------------------------
def public_roster() -> QuerySet[ReceptionDay]:
    since = clock.now() - timedelta(days=PUBLIC_PAST_DAYS)
    return ReceptionDay.objects.filter(ends_at__gte=since, unit__is_active=True).select_related(
        "unit", "leader"
    )


def public_units() -> QuerySet[Unit]:
    """Units with an approved (published) 院务公开 page."""
    return Unit.objects.filter(is_active=True, disclosure__published_at__isnull=False).order_by(
        "path"
    )


def public_disclosure(unit: Unit) -> list[dict] | None:
    """The approved content of a unit's page plus the standards contributed by the
    service-standards table; None when nothing was ever approved."""
    disclosure = Disclosure.objects.filter(unit=unit, published_at__isnull=False).first()
    if disclosure is None:
        return None
    return contributed_standards(unit) + list(disclosure.published)
