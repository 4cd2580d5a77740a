"""Survey rates (满意率 = (满意 + 基本满意) / 有效答卷; 参评率 = used one-time links / issued) by unit,
department and month, the complaints' return-visit ratings as a separate series, and the
patient figures of a medical-ethics file. Each function is a fixed number of GROUP BY queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.complaints.models import Complaint, ComplaintEvent
from xiaoneng.complaints.vocab import Verification
from xiaoneng.core.models import Department, Person, Unit

from .models import Response, Survey, SurveyToken, TokenBatch
from .services.common import percent
from .vocab import Channel, Satisfaction

VALID = ~Q(satisfaction="")


@dataclass
class Rate:
    key: object
    label: str
    issued: int = 0  # one-time links issued
    used: int = 0  # one-time links answered
    responses: int = 0  # answer sheets (all channels)
    satisfied: int = 0
    basically_satisfied: int = 0
    unsatisfied: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def valid(self) -> int:
        return self.satisfied + self.basically_satisfied + self.unsatisfied

    @property
    def response_rate(self) -> Decimal | None:
        return percent(self.used, self.issued)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return percent(self.satisfied + self.basically_satisfied, self.valid)

    def add(self, satisfaction: str, n: int) -> None:
        if satisfaction == Satisfaction.SATISFIED:
            self.satisfied += n
        elif satisfaction == Satisfaction.BASICALLY_SATISFIED:
            self.basically_satisfied += n
        elif satisfaction == Satisfaction.UNSATISFIED:
            self.unsatisfied += n

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "issued": self.issued,
            "used": self.used,
            "responses": self.responses,
            "valid": self.valid,
            "satisfied": self.satisfied,
            "basically_satisfied": self.basically_satisfied,
            "unsatisfied": self.unsatisfied,
            "response_rate": self.response_rate,
            "satisfaction_rate": self.satisfaction_rate,
        }


def _bounds(start: date | None, end: date | None, name: str) -> Q:
    q = Q()
    if start:
        q &= Q(**{f"{name}__date__gte": start})
    if end:
        q &= Q(**{f"{name}__date__lte": end})
    return q


def _month(value) -> str:
    if isinstance(value, datetime):
        return (
            timezone.localtime(value).strftime("%Y-%m")
            if timezone.is_aware(value)
            else value.strftime("%Y-%m")
        )
    return str(value)[:7]


def survey_rates(
    survey: Survey,
    *,
    by: str = "unit",
    unit_ids=None,
    start: date | None = None,
    end: date | None = None,
) -> list[Rate]:
    """Rates of one survey grouped ``by`` "unit", "department" or "month"; ``unit_ids`` limits
    them to the caller's units (None = all)."""
    qs = Response.objects.filter(survey=survey).filter(_bounds(start, end, "submitted_at"))
    batches = TokenBatch.objects.filter(survey=survey, channel=Channel.TOKEN)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
        batches = batches.filter(unit_id__in=list(unit_ids))
    tokens = SurveyToken.objects.filter(batch__in=batches, used_at__isnull=False)
    tokens = tokens.filter(_bounds(start, end, "used_at"))
    rows: dict[object, Rate] = {}
    if by == "month":
        answered = qs.annotate(k=TruncMonth("submitted_at")).values_list("k", "satisfaction")
        for month, sat, n in answered.annotate(n=Count("id")).order_by():
            row = rows.setdefault(_month(month), Rate(key=_month(month), label=_month(month)))
            row.responses += n
            row.add(sat, n)
        spent = tokens.annotate(k=TruncMonth("used_at")).values_list("k")
        for month, n in spent.annotate(n=Count("id")).order_by():
            rows.setdefault(_month(month), Rate(key=_month(month), label=_month(month))).used += n
        return [rows[k] for k in sorted(rows)]
    name = "department_id" if by == "department" else "unit_id"
    for key, sat, n in qs.values_list(name, "satisfaction").annotate(n=Count("id")).order_by():
        row = rows.setdefault(key, Rate(key=key, label=""))
        row.responses += n
        row.add(sat, n)
    for key, size in batches.values_list(name, "size"):
        rows.setdefault(key, Rate(key=key, label="")).issued += size
    for key, n in tokens.values_list(f"batch__{name}").annotate(n=Count("id")).order_by():
        rows.setdefault(key, Rate(key=key, label="")).used += n
    _label(rows, by)
    return sorted(rows.values(), key=lambda r: (r.key is None, r.label))


def _label(rows: dict[object, Rate], by: str) -> None:
    ids = [k for k in rows if k is not None]
    if by == "department":
        names = {d.pk: str(d) for d in Department.objects.filter(pk__in=ids).select_related("unit")}
    else:
        names = dict(Unit.objects.filter(pk__in=ids).values_list("pk", "name"))
    for key, row in rows.items():
        row.label = names.get(key, "") if key is not None else str(_("Whole unit (no department)"))


def survey_totals(survey: Survey, unit_ids=None) -> Rate:
    total = Rate(key="total", label="")
    for row in survey_rates(survey, by="unit", unit_ids=unit_ids):
        total.issued += row.issued
        total.used += row.used
        total.responses += row.responses
        total.satisfied += row.satisfied
        total.basically_satisfied += row.basically_satisfied
        total.unsatisfied += row.unsatisfied
    return total


def return_visit_rates(
    *, unit_ids=None, start: date | None = None, end: date | None = None
) -> list[Rate]:
    """The complaints' return-visit ratings (回访满意度) per responsible unit: each return
    visit in the period counts once, as a series apart from the surveys."""
    events = ComplaintEvent.objects.filter(action="return_visit").filter(_bounds(start, end, "at"))
    if unit_ids is not None:
        events = events.filter(complaint__unit_id__in=list(unit_ids))
    rows: dict[object, Rate] = {}
    for unit_id, data in events.values_list("complaint__unit_id", "data").order_by():
        sat = (data or {}).get("satisfaction", "")
        row = rows.setdefault(unit_id, Rate(key=unit_id, label=""))
        row.responses += 1
        row.add(sat, 1)
    _label(rows, "unit")
    return sorted(rows.values(), key=lambda r: r.label)


@dataclass
class PatientFigures:
    valid: int
    rate: Decimal | None
    verified_complaints: int


def patient_figures(person: Person, year: int, department: Department | None) -> PatientFigures:
    """For an ethics file: the year's survey answers of the person's department (the unit's when
    the department has none) and the complaints verified 属实 / 部分属实 against the person."""
    year_q = Q(submitted_at__year=year) & VALID
    qs = Response.objects.filter(year_q, department=department) if department else None
    if qs is None or not qs.exists():
        qs = Response.objects.filter(year_q, unit_id=person.unit_id)
    counts = defaultdict(int)
    for sat, n in qs.values_list("satisfaction").annotate(n=Count("id")).order_by():
        counts[sat] += n
    valid = sum(counts.values())
    good = counts[Satisfaction.SATISFIED] + counts[Satisfaction.BASICALLY_SATISFIED]
    complaints = Complaint.objects.filter(
        subject_person=person,
        verification__in=[Verification.TRUE, Verification.PARTLY_TRUE],
        received_at__year=year,
    ).count()
    return PatientFigures(valid=valid, rate=percent(good, valid), verified_complaints=complaints)
