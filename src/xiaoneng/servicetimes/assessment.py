"""What the annual assessment reads from the service time limits (core/indicators.py)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.core.indicators import Figure, source

from .models import ComplianceResult


@source("service_time_rate", gettext_lazy("Service time compliance rate (限时服务达标率)"))
def service_time_rate(unit_ids: list[int], year: int) -> dict[int, Figure]:
    """Compliant cases of all standards over the year's cases (whole-unit monthly results)."""
    rows = (
        ComplianceResult.objects.filter(
            unit_id__in=unit_ids,
            department__isnull=True,
            month__gte=date(year, 1, 1),
            month__lt=date(year + 1, 1, 1),
        )
        .values("unit_id")
        .annotate(cases=Sum("cases"), compliant=Sum("compliant"))
    )
    out = {}
    for r in rows:
        if not r["cases"]:
            continue
        rate = (Decimal(r["compliant"]) * 100 / r["cases"]).quantize(Decimal("0.1"), ROUND_HALF_UP)
        out[r["unit_id"]] = Figure(
            rate,
            _("%(compliant)s of %(cases)s cases within the time limit")
            % {"compliant": r["compliant"], "cases": r["cases"]},
        )
    return out
