"""What the annual assessment reads from inspections (accountability/indicators.py)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.accountability.indicators import Figure, condition, source, year_bounds

from .models import Finding


@source("inspection_findings", gettext_lazy("Serious inspection findings (明查暗访问题数)"))
def inspection_findings(unit_ids: list[int], year: int) -> dict[int, Figure]:
    """较重 and 严重 findings of the year that the unit may see (published visits)."""
    start, end = year_bounds(year)
    rows = (
        Finding.objects.filter(
            unit_id__in=unit_ids,
            found_at__gte=start,
            found_at__lt=end,
            severity__in=("serious", "severe"),
            issue__isnull=False,
        )
        .values("unit_id")
        .annotate(n=Count("pk"))
    )
    return {
        r["unit_id"]: Figure(Decimal(r["n"]), _("%(n)s serious finding(s)") % {"n": r["n"]})
        for r in rows
    }


@condition("severe_finding_open", gettext_lazy("A 严重 finding not rectified"))
def severe_finding_open(
    unit_ids: list[int], person_ids: list[int], year: int, params: dict[str, Any]
) -> dict[tuple[str, int], list[str]]:
    """A 严重 finding of the year whose ledger items are not all closed."""
    start, end = year_bounds(year)
    found: dict[tuple[str, int], list[str]] = defaultdict(list)
    rows = (
        Finding.objects.filter(
            Q(unit_id__in=unit_ids) | Q(people__in=person_ids),
            severity="severe",
            found_at__gte=start,
            found_at__lt=end,
            issue__isnull=False,
        )
        .annotate(open_items=Count("issue__items", filter=~Q(issue__items__status="closed")))
        .filter(open_items__gt=0)
        .values_list("pk", "unit_id", "title")
        .distinct()
    )
    people = defaultdict(set)
    for finding_id, person_id in Finding.people.through.objects.filter(
        finding_id__in=[r[0] for r in rows], person_id__in=person_ids
    ).values_list("finding_id", "person_id"):
        people[finding_id].add(person_id)
    for finding_id, unit_id, title in rows:
        text = _("Severe finding not rectified: %(title)s") % {"title": title}
        if unit_id in unit_ids:
            found[("unit", unit_id)].append(text)
        for person_id in people[finding_id]:
            found[("person", person_id)].append(text)
    return found
