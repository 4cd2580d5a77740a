"""What the annual assessment reads from the apps: indicator sources and veto conditions.

A *source* computes one figure per unit for a year — ``fn(unit_ids, year) -> {unit_id: Figure}``
— in a bounded number of queries whatever the number of units. A *condition* finds vetoes —
``fn(unit_ids, person_ids, year, params) -> {("unit"|"person", id): [explanation, …]}``.
Each app adds its own from an ``assessment.py`` module::

    from xiaoneng.core import indicators

    @indicators.source("inspection_findings", _("Serious inspection findings"))
    def inspection_findings(unit_ids, year): ...

``discover()`` imports them once, like the work home's providers. The registry lives in core
so that the apps that lend figures never import the app that computes the assessment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules


@dataclass
class Figure:
    value: Decimal | None  # a rate in %, or a count; None when there is nothing to measure
    explanation: str


SourceFn = Callable[[list[int], int], dict[int, Figure]]
ConditionFn = Callable[
    [list[int], list[int], int, dict[str, Any]], dict[tuple[str, int], list[str]]
]
SOURCES: dict[str, tuple[Any, SourceFn]] = {}
CONDITIONS: dict[str, tuple[Any, ConditionFn]] = {}
_discovered = False


def source(code: str, label) -> Callable[[SourceFn], SourceFn]:
    def register(fn: SourceFn) -> SourceFn:
        SOURCES[code] = (label, fn)
        return fn

    return register


def condition(code: str, label) -> Callable[[ConditionFn], ConditionFn]:
    def register(fn: ConditionFn) -> ConditionFn:
        CONDITIONS[code] = (label, fn)
        return fn

    return register


def discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("assessment")
        _discovered = True


def source_choices() -> list[tuple[str, str]]:
    discover()
    return [(code, str(label)) for code, (label, _fn) in SOURCES.items()]


def year_bounds(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)
