"""Statistics sources of the complaint engine (see ``core.statistics``): cases by month,
channel, category and unit, closure and on-time rates, satisfaction, overdue trend,
escalations by rung and the units ranked by on-time closure.

Definitions (all over cases *received* in the period, merged duplicates left out):
办结率 = closed / received; 按时办结率 = closed cases whose reply came by the resolution
deadline / closed; 满意率 = satisfied or basically satisfied / cases with a satisfaction
answer; overdue now = running cases past their deadline today (whatever the period).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.core import clock
from xiaoneng.core import statistics as stats
from xiaoneng.core.scope import scope_for, scoped

from . import rollup
from .models import Category, Complaint, EscalationRule, EscalationStep
from .vocab import CLOCK_STATUSES, Channel, Satisfaction, Status

GROUP = _("Complaints")
stats.as_of_provider(rollup.as_of)
CLOSED = Q(status=Status.CLOSED)
ON_TIME = CLOSED & (Q(resolve_by__isnull=True) | Q(replied_at__lte=F("resolve_by")))
SATISFIED = Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED])
RATED = ~Q(satisfaction="")
UNIT_LIMIT = 30
CATEGORY_LIMIT = 12  # the rest summed as one row


def received(user, params: stats.Params, where: Q | None = None):
    """Cases in scope received in the period (merged duplicates left out), narrowed by unit;
    ``where`` (from the rollup's plan) replaces the period when given."""
    qs = scoped(user, Complaint)
    if where is None:
        qs = qs.filter(received_at__gte=params.since, received_at__lt=params.until)
    else:
        qs = qs.filter(where)
    return params.within(qs.exclude(status=Status.MERGED), "unit").order_by()


def _split(user, params: stats.Params) -> tuple[rollup.Plan, Any]:
    """The rollup's plan for this user and period, and the cases still read live."""
    plan = rollup.plan(user, params)
    return plan, received(user, params, plan.live("received_at"))


def _month_key(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m") if value else ""


@stats.source(
    "complaints.by_month",
    _("Complaints by month"),
    order=10,
    group=GROUP,
    chart=stats.Chart("line", x="month", series=("received", "closed")),
)
def by_month(user, params: stats.Params) -> stats.Table:
    plan, live = _split(user, params)
    rows = (
        live.annotate(month=TruncMonth("received_at"))
        .values("month")
        .annotate(received=Count("id"), closed=Count("id", filter=CLOSED))
    )
    found: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        found[_month_key(r["month"])].update(received=r["received"], closed=r["closed"])
    summed = rollup.sums(plan.rows(rollup.Kind.UNIT), "month", fields=("count", "closed"))
    for r in summed:
        found[r["month"].strftime("%Y-%m")].update(received=r["count"], closed=r["closed"])
    out = []
    for month in params.months():
        key = month.strftime("%Y-%m")
        c = found.get(key, Counter())
        out.append({"month": key, "received": c["received"], "closed": c["closed"]})
    return stats.Table(
        columns=[
            stats.Column("month", _("Month")),
            stats.Column("received", _("Received"), "int"),
            stats.Column("closed", _("Closed"), "int"),
        ],
        rows=out,
    )


@stats.source(
    "complaints.by_channel",
    _("Complaints by channel"),
    order=11,
    group=GROUP,
    chart=stats.Chart("pie", x="channel", series=("count",)),
)
def by_channel(user, params: stats.Params) -> stats.Table:
    plan, live = _split(user, params)
    counts = Counter(dict(live.values_list("channel").annotate(n=Count("id"))))
    for r in rollup.sums(plan.rows(rollup.Kind.CHANNEL), "key"):
        counts[r["key"]] += r["count"]
    rows = [
        {"code": code, "channel": str(label), "count": counts[code]}
        for code, label in Channel.choices
        if counts.get(code)
    ]
    return stats.Table(
        columns=[stats.Column("channel", _("Channel")), stats.Column("count", _("Cases"), "int")],
        rows=rows,
    )


@stats.source(
    "complaints.by_category",
    _("Complaints by category"),
    order=12,
    group=GROUP,
    chart=stats.Chart("hbar", x="category", series=("count",)),
)
def by_category(user, params: stats.Params) -> stats.Table:
    plan, live = _split(user, params)
    counts = Counter(dict(live.values_list("category").annotate(n=Count("id"))))
    for r in rollup.sums(plan.rows(rollup.Kind.CATEGORY), "key"):
        counts[int(r["key"]) if r["key"] else None] += r["count"]
    names = dict(Category.objects.values_list("pk", "name"))
    rows = sorted(
        ({"category": names.get(pk, ""), "count": n} for pk, n in counts.items() if n),
        key=lambda r: (-r["count"], r["category"]),
    )
    if len(rows) > CATEGORY_LIMIT:
        rest = sum(r["count"] for r in rows[CATEGORY_LIMIT - 1 :])
        rows = [
            *rows[: CATEGORY_LIMIT - 1],
            {"category": str(_("Other categories")), "count": rest},
        ]
    return stats.Table(
        columns=[stats.Column("category", _("Category")), stats.Column("count", _("Cases"), "int")],
        rows=rows,
    )


FIGURES = ("received", "closed", "on_time", "rated", "satisfied")


def _unit_rows(user, params: stats.Params) -> list[dict]:
    """Figures per unit (by_unit and unit_ranking both read them: done once per dashboard)."""
    return stats.shared(
        ("complaints.unit_rows", user.pk, *params.key()), lambda: _count_units(user, params)
    )


def _count_units(user, params: stats.Params) -> list[dict]:
    plan, live = _split(user, params)
    # Plain lists, not Counters: 5,000 units at province scale, from two sources each.
    found: dict[int, list[int]] = {}

    def add(unit_id: int, *values: int) -> None:
        acc = found.setdefault(unit_id, [0, 0, 0, 0, 0])
        for i, v in enumerate(values):
            acc[i] += v

    for row in (
        live.filter(unit__isnull=False)
        .values_list("unit_id")
        .annotate(
            received=Count("id"),
            closed=Count("id", filter=CLOSED),
            on_time=Count("id", filter=ON_TIME),
            rated=Count("id", filter=RATED),
            satisfied=Count("id", filter=SATISFIED),
        )
    ):
        add(*row)
    rows = plan.rows(rollup.Kind.UNIT, per_unit=True)
    if rows is not None:
        fields = ("count", "closed", "on_time", "rated", "satisfied")
        for row in (
            rows.filter(unit__isnull=False)
            .values_list("unit_id")
            .annotate(*(Sum(f) for f in fields))
        ):
            add(*row)
    names = stats.unit_names(found)
    return [
        {
            "unit_id": pk,
            "unit": names.get(pk, ""),
            "received": received,
            "closed": closed,
            "on_time": on_time,
            "closed_rate": stats.rate(closed, received),
            "on_time_rate": stats.rate(on_time, closed),
            "satisfaction_rate": stats.rate(satisfied, rated),
        }
        for pk, (received, closed, on_time, rated, satisfied) in found.items()
    ]


UNIT_COLUMNS = [
    stats.Column("unit", _("Unit")),
    stats.Column("received", _("Received"), "int"),
    stats.Column("closed", _("Closed"), "int"),
    stats.Column("closed_rate", _("Closure rate (%)"), "percent"),
    stats.Column("on_time_rate", _("On-time closure rate (%)"), "percent"),
    stats.Column("satisfaction_rate", _("Satisfaction rate (%)"), "percent"),
]


@stats.source(
    "complaints.by_unit",
    _("Complaints by responsible unit"),
    order=13,
    group=GROUP,
    chart=stats.Chart("bar", x="unit", series=("received", "closed")),
)
def by_unit(user, params: stats.Params) -> stats.Table:
    rows = sorted(_unit_rows(user, params), key=lambda r: (-r["received"], r["unit"]))
    return stats.Table(
        columns=UNIT_COLUMNS,
        rows=rows[:UNIT_LIMIT],
        note=_("The %(n)s units with the most cases.") % {"n": UNIT_LIMIT}
        if len(rows) > UNIT_LIMIT
        else "",
    )


@stats.source(
    "complaints.rates",
    _("Closure, on-time and satisfaction rates"),
    order=14,
    group=GROUP,
    chart=stats.Chart("bar", x="metric", series=("value",)),
)
def rates(user, params: stats.Params) -> stats.Table:
    now = clock.now()
    plan, live = _split(user, params)
    totals = Counter(
        live.aggregate(
            received=Count("id"),
            closed=Count("id", filter=CLOSED),
            on_time=Count("id", filter=ON_TIME),
            rated=Count("id", filter=RATED),
            satisfied=Count("id", filter=SATISFIED),
        )
    )
    fields = ("count", "closed", "on_time", "rated", "satisfied")
    for r in rollup.sums(plan.rows(rollup.Kind.UNIT), fields=fields):
        totals.update({f: r[g] for f, g in zip(FIGURES, fields, strict=True)})
    overdue = overdue_now(user, params, now)
    rows = [
        {
            "code": "closed_rate",
            "metric": str(_("Closure rate (%)")),
            "value": stats.rate(totals["closed"], totals["received"]),
            "part": totals["closed"],
            "whole": totals["received"],
        },
        {
            "code": "on_time_rate",
            "metric": str(_("On-time closure rate (%)")),
            "value": stats.rate(totals["on_time"], totals["closed"]),
            "part": totals["on_time"],
            "whole": totals["closed"],
        },
        {
            "code": "satisfaction_rate",
            "metric": str(_("Satisfaction rate (%)")),
            "value": stats.rate(totals["satisfied"], totals["rated"]),
            "part": totals["satisfied"],
            "whole": totals["rated"],
        },
    ]
    return stats.Table(
        columns=[
            stats.Column("metric", _("Figure")),
            stats.Column("value", _("Value (%)"), "percent"),
            stats.Column("part", _("Cases counted"), "int"),
            stats.Column("whole", _("Out of"), "int"),
        ],
        rows=rows,
        note=_("Received in the period: %(received)s; overdue now: %(overdue)s.")
        % {"received": totals["received"], "overdue": overdue},
    )


LATE = Q(replied_at__gt=F("resolve_by")) | Q(replied_at__isnull=True, status__in=CLOCK_STATUSES)


def overdue_now(user, params: stats.Params, now) -> int:
    """Running cases in scope past their deadline now (rates and the overdue trend show it)."""
    return stats.shared(
        ("complaints.overdue_now", user.pk, *params.key(), now),
        lambda: (
            params.within(scoped(user, Complaint), "unit")
            .filter(status__in=CLOCK_STATUSES, resolve_by__lt=now)
            .count()
        ),
    )


@stats.source(
    "complaints.overdue",
    _("Overdue cases by month"),
    order=15,
    group=GROUP,
    chart=stats.Chart("line", x="month", series=("due", "overdue")),
)
def overdue_trend(user, params: stats.Params) -> stats.Table:
    """Per month of the period: cases whose resolution deadline fell in it, and of those the
    ones answered late or still unanswered past it (as of now); the note counts the cases
    overdue right now."""
    now = clock.now()
    base = params.within(scoped(user, Complaint), "unit").order_by().exclude(status=Status.MERGED)
    plan = rollup.plan(user, params)
    rows = (
        base.filter(plan.live("resolve_by"), resolve_by__lt=now)
        .annotate(month=TruncMonth("resolve_by"))
        .values("month")
        .annotate(due=Count("id"), overdue=Count("id", filter=LATE))
    )
    found: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        found[_month_key(r["month"])].update(due=r["due"], overdue=r["overdue"])
    summed = rollup.sums(
        plan.rows(rollup.Kind.DUE, by_at=True), "at_month", fields=("count", "late")
    )
    for r in summed:
        found[r["at_month"].strftime("%Y-%m")].update(due=r["count"], overdue=r["late"])
    now_overdue = overdue_now(user, params, now)
    out = []
    for month in params.months():
        key = month.strftime("%Y-%m")
        c = found.get(key, Counter())
        out.append({"month": key, "due": c["due"], "overdue": c["overdue"]})
    return stats.Table(
        columns=[
            stats.Column("month", _("Month")),
            stats.Column("due", _("Deadlines falling due"), "int"),
            stats.Column("overdue", _("Answered late or still open past the deadline"), "int"),
        ],
        rows=out,
        note=_("Overdue now: %(n)s.") % {"n": now_overdue},
    )


@stats.source(
    "complaints.escalations",
    _("Escalations by rung"),
    order=16,
    group=GROUP,
    chart=stats.Chart("bar", x="rung", series=("count",)),
)
def escalations(user, params: stats.Params) -> stats.Table:
    plan = rollup.plan(user, params)
    steps = EscalationStep.objects.filter(plan.live("at", "complaint__"))
    if not (scope_for(user).everything and params.unit is None):
        # Whole county: every step counts; a semi-join on two million cases would not narrow it.
        steps = steps.filter(
            complaint__in=params.within(scoped(user, Complaint), "unit").values("pk")
        )
    counts: Counter = Counter()
    counts.update(
        dict(
            steps.filter(
                level__isnull=False,
                kind__in=[
                    EscalationStep.Kind.LADDER,
                    EscalationStep.Kind.SIGN_ESCALATION,
                    EscalationStep.Kind.MANUAL,
                ],
            )
            .order_by()
            .values_list("level")
            .annotate(n=Count("id"))
        )
    )
    for r in rollup.sums(plan.rows(rollup.Kind.ESCALATION, by_at=True), "key"):
        counts[int(r["key"])] += r["count"]
    rows = [
        {"level": level, "rung": str(label), "count": counts.get(level, 0)}
        for level, label in EscalationRule.Level.choices
    ]
    return stats.Table(
        columns=[
            stats.Column("rung", _("Escalated to")),
            stats.Column("count", _("Escalations"), "int"),
        ],
        rows=rows,
    )


@stats.source(
    "complaints.unit_ranking",
    _("Top and bottom units by on-time closure"),
    order=17,
    group=GROUP,
    chart=stats.Chart("hbar", x="unit", series=("on_time_rate",)),
)
def unit_ranking(user, params: stats.Params) -> stats.Table:
    """Units with closed cases, by on-time closure rate (then satisfaction, then volume): the
    best five and the worst five (all of them when there are ten or fewer)."""
    rows = [dict(r) for r in _unit_rows(user, params) if r["closed"]]  # shared: copied
    rows.sort(
        key=lambda r: (
            -(r["on_time_rate"] or 0),
            -(r["satisfaction_rate"] or 0),
            -r["closed"],
            r["unit"],
        )
    )
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    picked = rows if len(rows) <= 10 else rows[:5] + rows[-5:]
    return stats.Table(
        columns=[stats.Column("rank", _("Rank"), "int"), *UNIT_COLUMNS],
        rows=picked,
    )
