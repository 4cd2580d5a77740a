"""What the annual assessment reads from evaluations (accountability/indicators.py)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.accountability.indicators import Figure, condition, source, year_bounds

from .models import Subject


@source("democratic_evaluation", gettext_lazy("Democratic evaluation score (民主评议得分)"))
def democratic_evaluation(unit_ids: list[int], year: int) -> dict[int, Figure]:
    """The unit's average score (0–100) over the year's closed rounds that evaluated it."""
    start, end = year_bounds(year)
    rows = (
        Subject.objects.filter(
            unit_id__in=unit_ids,
            person__isnull=True,
            score__isnull=False,
            round__closed_at__gte=start,
            round__closed_at__lt=end,
        )
        .values("unit_id")
        .annotate(avg=Avg("score"), n=Count("pk"))
    )
    out = {}
    for r in rows:
        value = Decimal(r["avg"]).quantize(Decimal("0.01"))
        out[r["unit_id"]] = Figure(
            value,
            _("democratic evaluation %(score)s (%(n)s round(s))") % {"score": value, "n": r["n"]},
        )
    return out


@condition("poor_evaluation", gettext_lazy("A 差 result in a democratic evaluation"))
def poor_evaluation(
    unit_ids: list[int], person_ids: list[int], year: int, params: dict[str, Any]
) -> dict[tuple[str, int], list[str]]:
    start, end = year_bounds(year)
    found: dict[tuple[str, int], list[str]] = defaultdict(list)
    rows = Subject.objects.filter(
        Q(unit_id__in=unit_ids, person__isnull=True) | Q(person_id__in=person_ids),
        is_poor=True,
        round__closed_at__gte=start,
        round__closed_at__lt=end,
    ).values_list("unit_id", "person_id", "round__title")
    for unit_id, person_id, title in rows:
        text = _("Poor result in %(round)s") % {"round": title}
        if person_id is None and unit_id in unit_ids:
            found[("unit", unit_id)].append(text)
        elif person_id in person_ids:
            found[("person", person_id)].append(text)
    return found
