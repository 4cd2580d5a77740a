"""What the annual assessment reads from the other apps: indicator sources and veto conditions.

A *source* computes one figure per unit for a year — ``fn(unit_ids, year) -> {unit_id: Figure}``
— in a bounded number of queries whatever the number of units. A *condition* finds vetoes —
``fn(unit_ids, person_ids, year, params) -> {("unit"|"person", id): [explanation, …]}``.
Other apps add theirs from an ``assessment.py`` module (``@source("inspection_findings")``);
``discover()`` imports them once, like the work home's providers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .vocab import DECIDED_STATUSES, CaseStatus


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


def condition_choices() -> list[tuple[str, str]]:
    discover()
    return [(code, str(label)) for code, (label, _fn) in CONDITIONS.items()]


def year_bounds(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"))


def _rates(rows, label: str) -> dict[int, Figure]:
    out = {}
    for unit_id, part, whole in rows:
        rate = _rate(part, whole)
        text = (
            _("%(label)s %(part)s/%(whole)s = %(rate)s%%")
            % {"label": label, "part": part, "whole": whole, "rate": rate}
            if rate is not None
            else _("%(label)s: none this year") % {"label": label}
        )
        out[unit_id] = Figure(rate, text)
    return out


# --- built-in sources --------------------------------------------------------------------------
@source("complaint_on_time", gettext_lazy("Complaints answered on time (按时办结率)"))
def complaint_on_time(unit_ids: list[int], year: int) -> dict[int, Figure]:
    from xiaoneng.complaints.models import Complaint

    start, end = year_bounds(year)
    rows = (
        Complaint.objects.filter(unit_id__in=unit_ids, replied_at__gte=start, replied_at__lt=end)
        .values("unit_id")
        .annotate(
            whole=Count("pk"),
            part=Count(
                "pk", filter=Q(resolve_by__isnull=True) | Q(replied_at__lte=F("resolve_by"))
            ),
        )
    )
    return _rates([(r["unit_id"], r["part"], r["whole"]) for r in rows], _("answered on time"))


@source("satisfaction", gettext_lazy("Satisfaction of complainants (满意率)"))
def satisfaction(unit_ids: list[int], year: int) -> dict[int, Figure]:
    from xiaoneng.complaints.models import Complaint

    start, end = year_bounds(year)
    rows = (
        Complaint.objects.filter(unit_id__in=unit_ids, replied_at__gte=start, replied_at__lt=end)
        .exclude(satisfaction="")
        .values("unit_id")
        .annotate(
            whole=Count("pk"),
            part=Count("pk", filter=Q(satisfaction__in=("satisfied", "basically_satisfied"))),
        )
    )
    return _rates([(r["unit_id"], r["part"], r["whole"]) for r in rows], _("satisfied"))


@source("ledger_cleared", gettext_lazy("Rectification items closed by their deadline (清零率)"))
def ledger_cleared(unit_ids: list[int], year: int) -> dict[int, Figure]:
    from xiaoneng.rectification.models import RectificationItem

    start, end = year_bounds(year)
    rows = (
        RectificationItem.objects.filter(
            responsible_unit_id__in=unit_ids, deadline__gte=start, deadline__lt=end
        )
        .values("responsible_unit_id")
        .annotate(
            whole=Count("pk"),
            part=Count("pk", filter=Q(status="closed", closed_at__lte=F("deadline"))),
        )
    )
    return _rates(
        [(r["responsible_unit_id"], r["part"], r["whole"]) for r in rows],
        _("closed by the deadline"),
    )


@source("submissions_on_time", gettext_lazy("Campaign reports submitted on time (按时报送率)"))
def submissions_on_time(unit_ids: list[int], year: int) -> dict[int, Figure]:
    from xiaoneng.campaigns.models import Submission

    rows = (
        Submission.objects.filter(unit_id__in=unit_ids, due_on__year=year)
        .values("unit_id")
        .annotate(
            whole=Count("pk"),
            part=Count(
                "pk",
                filter=Q(status__in=("submitted", "accepted"), submitted_at__date__lte=F("due_on")),
            ),
        )
    )
    return _rates([(r["unit_id"], r["part"], r["whole"]) for r in rows], _("on time"))


@source("accountability_cases", gettext_lazy("Accountability cases filed (问责案件数)"))
def accountability_cases(unit_ids: list[int], year: int) -> dict[int, Figure]:
    from .models import Case

    start, end = year_bounds(year)
    rows = (
        Case.objects.filter(unit_id__in=unit_ids, created_at__gte=start, created_at__lt=end)
        .exclude(status__in=(CaseStatus.REGISTERED, CaseStatus.REVIEWING, CaseStatus.DISMISSED))
        .values("unit_id")
        .annotate(n=Count("pk"))
    )
    counts = {r["unit_id"]: r["n"] for r in rows}
    return {
        uid: Figure(Decimal(n), _("%(n)s case(s) filed") % {"n": n}) for uid, n in counts.items()
    }


@source("manual", gettext_lazy("Scored by the office"))
def manual(unit_ids: list[int], year: int) -> dict[int, Figure]:
    return {}


# --- built-in veto conditions ------------------------------------------------------------------
@condition("case_measure", gettext_lazy("A decided accountability measure of the listed kinds"))
def case_measure(
    unit_ids: list[int], person_ids: list[int], year: int, params: dict[str, Any]
) -> dict[tuple[str, int], list[str]]:
    """A decided case in the year with one of ``params["measures"]`` (measure codes) vetoes the
    unit of the case and the person it was decided on."""
    from .models import Subject

    start, end = year_bounds(year)
    codes = list(params.get("measures") or [])
    found: dict[tuple[str, int], list[str]] = defaultdict(list)
    rows = Subject.objects.filter(
        Q(case__unit_id__in=unit_ids) | Q(person_id__in=person_ids),
        case__status__in=DECIDED_STATUSES,
        case__approved_at__gte=start,
        case__approved_at__lt=end,
        measure__code__in=codes,
    ).values_list("case__unit_id", "person_id", "case__number", "name", "measure__name")
    for unit_id, person_id, number, name, measure in rows:
        text = _("Case %(number)s: %(measure)s for %(name)s") % {
            "number": number,
            "measure": measure,
            "name": name,
        }
        if unit_id in unit_ids:
            found[("unit", unit_id)].append(text)
        if person_id in person_ids:
            found[("person", person_id)].append(text)
    return found


@condition("false_rectification", gettext_lazy("False rectification found by a spot check"))
def false_rectification(
    unit_ids: list[int], person_ids: list[int], year: int, params: dict[str, Any]
) -> dict[tuple[str, int], list[str]]:
    from xiaoneng.rectification.models import AccountabilityReferral

    start, end = year_bounds(year)
    reasons = list(params.get("results") or ["false"])
    found: dict[tuple[str, int], list[str]] = defaultdict(list)
    rows = AccountabilityReferral.objects.filter(
        Q(unit_id__in=unit_ids) | Q(item__responsible_person_id__in=person_ids),
        reason__in=reasons,
        created_at__gte=start,
        created_at__lt=end,
    ).values_list("unit_id", "item__responsible_person_id", "item__number")
    for unit_id, person_id, number in rows:
        text = _("Spot check found false rectification of %(item)s") % {"item": number}
        if unit_id in unit_ids:
            found[("unit", unit_id)].append(text)
        if person_id in person_ids:
            found[("person", person_id)].append(text)
    return found
