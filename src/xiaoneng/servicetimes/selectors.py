"""Scoped reads of the service time limits."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from xiaoneng.core.models import Unit
from xiaoneng.core.scope import get_scoped_or_404, scoped

from . import engine
from .models import (
    ComplianceResult,
    LedgerProposal,
    LogImport,
    LogSource,
    ServiceStandard,
    StandardOverride,
)
from .vocab import MANAGE


@dataclass(frozen=True)
class EffectiveStandard:
    """A standard as it applies in one unit (its override applied)."""

    standard: ServiceStandard
    limit_minutes: int
    threshold_percent: Decimal
    overridden: bool

    @property
    def name(self) -> str:
        return self.standard.name


def standards_for_unit(unit: Unit) -> list[EffectiveStandard]:
    """The active standards with the unit's overrides applied (those it switched off left out).
    Public reference data: the unit's service standards page (院务公开) reads this."""
    out = []
    for s in ServiceStandard.objects.filter(is_active=True).prefetch_related("overrides"):
        o = next((o for o in s.overrides.all() if o.unit_id == unit.pk), None)
        if o is not None and not o.is_active:
            continue
        out.append(
            EffectiveStandard(
                standard=s,
                limit_minutes=(o.limit_minutes if o and o.limit_minutes else s.limit_minutes),
                threshold_percent=(
                    o.threshold_percent
                    if o and o.threshold_percent is not None
                    else s.threshold_percent
                ),
                overridden=o is not None,
            )
        )
    return out


def may_manage(user) -> bool:
    return bool(user.has_permission(MANAGE))


def may_view(user) -> bool:
    return bool(user.has_permission(MANAGE) or user.has_permission("stats.view"))


def results_for(user) -> QuerySet[ComplianceResult]:
    if not may_view(user):
        return ComplianceResult.objects.none()
    return scoped(user, ComplianceResult).select_related("standard", "unit", "department")


def get_result(user, pk: int) -> ComplianceResult:
    return get_scoped_or_404(user, results_for(user), pk=pk)


def worst_cases(result: ComplianceResult) -> list[dict]:
    """A result's worst cases (drill-down): read from the event store, the caller having got
    the result through ``get_result`` (in scope)."""
    return engine.worst_cases(result)


def proposals_for(user) -> QuerySet[LedgerProposal]:
    if not may_view(user):
        return LedgerProposal.objects.none()
    return scoped(user, LedgerProposal).select_related(
        "unit", "result", "result__standard", "issue"
    )


def get_proposal(user, pk: int) -> LedgerProposal:
    return get_scoped_or_404(user, proposals_for(user), pk=pk)


def sources() -> QuerySet[LogSource]:
    return LogSource.objects.all()


def imports_for(user) -> QuerySet[LogImport]:
    """Imports are the office's business: a unit admin sees none."""
    if not may_manage(user):
        return LogImport.objects.none()
    return LogImport.objects.select_related("source", "job", "created_by")


def overrides_for(user) -> QuerySet[StandardOverride]:
    return scoped(user, StandardOverride).select_related("standard", "unit")
