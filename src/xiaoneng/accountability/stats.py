"""Statistics sources of accountability (see ``reports.registry``): cases by unit and the
measures decided in the period, and the year's assessment scores. Cases are the office's,
纪检监察's and leaders' business, so these need ``accountability.view``."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from xiaoneng.reports import registry as stats

from .models import Assessment, AssessmentScheme, Subject
from .policies import VIEW, visible_cases
from .vocab import DECIDED_STATUSES, OPEN_STATUSES

GROUP = _("Accountability")


@stats.source(
    "accountability.by_unit",
    _("Accountability cases by unit"),
    order=70,
    group=GROUP,
    permission=VIEW,
    chart=stats.Chart("bar", x="unit", series=("open", "decided"), stack=True),
)
def by_unit(user, params: stats.Params) -> stats.Table:
    qs = params.within(
        visible_cases(user).filter(created_at__gte=params.since, created_at__lt=params.until),
        "unit",
    )
    rows = (
        qs.values("unit_id", "unit__name")
        .annotate(
            total=Count("pk", distinct=True),
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES), distinct=True),
            decided=Count("pk", filter=Q(status__in=DECIDED_STATUSES), distinct=True),
        )
        .order_by("-total", "unit__name")
    )
    return stats.Table(
        columns=[
            stats.Column("unit", _("Unit")),
            stats.Column("total", _("Cases"), "int"),
            stats.Column("open", _("Open"), "int"),
            stats.Column("decided", _("Decided"), "int"),
        ],
        rows=[
            {
                "unit": r["unit__name"],
                "unit_id": r["unit_id"],
                "total": r["total"],
                "open": r["open"],
                "decided": r["decided"],
            }
            for r in rows
        ],
    )


@stats.source(
    "accountability.by_measure",
    _("Measures decided"),
    order=71,
    group=GROUP,
    permission=VIEW,
    chart=stats.Chart("pie", x="measure", series=("people",)),
)
def by_measure(user, params: stats.Params) -> stats.Table:
    cases = params.within(
        visible_cases(user).filter(
            status__in=DECIDED_STATUSES,
            approved_at__gte=params.since,
            approved_at__lt=params.until,
        ),
        "unit",
    )
    rows = (
        Subject.objects.filter(case__in=cases.values("pk"), measure__isnull=False)
        .values("measure__name", "measure__rank")
        .annotate(people=Count("pk"))
        .order_by("measure__rank")
    )
    return stats.Table(
        columns=[stats.Column("measure", _("Measure")), stats.Column("people", _("People"), "int")],
        rows=[{"measure": r["measure__name"], "people": r["people"]} for r in rows],
    )


@stats.source(
    "assessment.scores",
    _("Annual assessment scores"),
    order=72,
    group=GROUP,
    permission=VIEW,
    chart=stats.Chart("hbar", x="unit", series=("score",)),
)
def scores(user, params: stats.Params) -> stats.Table:
    scheme = AssessmentScheme.objects.filter(year__lte=params.end.year).order_by("-year").first()
    rows = []
    if scheme is not None:
        qs = params.within(Assessment.objects.filter(scheme=scheme), "unit")
        rows = [
            {
                "unit": a.unit.name,
                "unit_id": a.unit_id,
                "score": float(a.score),
                "grade": a.get_grade_display(),
                "rank": a.rank,
            }
            for a in qs.select_related("unit").order_by("rank", "unit__path")
        ]
    return stats.Table(
        columns=[
            stats.Column("unit", _("Unit")),
            stats.Column("score", _("Score"), "int"),
            stats.Column("grade", _("Grade")),
            stats.Column("rank", _("Rank"), "int"),
        ],
        rows=rows,
    )
