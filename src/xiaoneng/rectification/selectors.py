"""Scoped reads of the ledger: issues, items, filters, counts (清零 progress), spot checks."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q, QuerySet

from xiaoneng.core import clock
from xiaoneng.core.scope import get_scoped_or_404, scoped

from . import deadlines
from .models import (
    Issue,
    ItemEvent,
    RectificationItem,
    SpotCheck,
)
from .vocab import ItemStatus

ITEM_RELATED = (
    "issue",
    "issue__unit",
    "responsible_unit",
    "responsible_department",
    "responsible_person",
    "responsible_leader",
    "closed_by",
)
# What the ledger's table shows: each join more costs the planner (8 joins were 75 ms of
# planning for a 20-row page, issue #18).
LEDGER_RELATED = ("issue", "responsible_unit", "responsible_person", "responsible_leader")
ISSUE_RELATED = ("unit", "department", "category", "complaint", "found_by")


def issues_for(user) -> QuerySet[Issue]:
    return scoped(user, Issue).select_related(*ISSUE_RELATED)


def get_issue(user, pk) -> Issue:
    return get_scoped_or_404(user, Issue.objects.select_related(*ISSUE_RELATED), pk=pk)


def items_for(user, related: tuple[str, ...] = ITEM_RELATED) -> QuerySet[RectificationItem]:
    return scoped(user, RectificationItem).select_related(*related)


def get_item(user, pk) -> RectificationItem:
    return get_scoped_or_404(user, RectificationItem.objects.select_related(*ITEM_RELATED), pk=pk)


# Plain equality filters: parameter → lookup.
EQUAL_FILTERS = {
    "campaign": "issue__campaign_id",
    "source": "issue__source",
    "status": "status",
    "type": "type",
    "deadline_after": "deadline__date__gte",
    "deadline_before": "deadline__date__lte",
}


def filter_items(qs: QuerySet, params: dict, *, now: datetime | None = None) -> QuerySet:
    """The list filters shared by the ledger page, the export and the API: unit (and below),
    campaign, source, status, type, light, overdue, deadline range, issue, number, text."""
    now = now or clock.now()
    qs = qs.filter(**{lookup: params[k] for k, lookup in EQUAL_FILTERS.items() if params.get(k)})
    if params.get("unit"):
        qs = qs.filter(responsible_unit__path__startswith=params["unit"].path)
    if params.get("light"):
        qs = qs.filter(deadlines.light_q(params["light"], now))
    if params.get("overdue") is True:
        qs = qs.filter(deadlines.overdue_q(now))
    elif params.get("overdue") is False:
        qs = qs.exclude(deadlines.overdue_q(now))
    if params.get("issue"):
        qs = qs.filter(issue_id=getattr(params["issue"], "pk", params["issue"]))
    if params.get("number"):
        qs = qs.filter(number=params["number"].strip())
    if params.get("q"):
        text = params["q"].strip()
        qs = qs.filter(
            Q(number__icontains=text)
            | Q(issue__title__icontains=text)
            | Q(issue__number__icontains=text)
            | Q(measures__icontains=text)
        )
    if params.get("flagged"):
        qs = qs.filter(flagged=True)
    return qs


def summary(qs: QuerySet, *, now: datetime | None = None) -> dict:
    """Counts for the ledger header: total, closed, open, overdue and the 清零 percentage."""
    now = now or clock.now()
    row = qs.order_by().aggregate(
        total=Count("pk"),
        closed=Count("pk", filter=Q(status=ItemStatus.CLOSED)),
        overdue=Count("pk", filter=deadlines.overdue_q(now)),
        yellow=Count("pk", filter=deadlines.light_q("yellow", now)),
        requested=Count("pk", filter=Q(status=ItemStatus.CLOSE_REQUESTED)),
    )
    row["open"] = row["total"] - row["closed"]
    row["percent"] = round(row["closed"] * 100 / row["total"]) if row["total"] else 0
    return row


GROUPS = {
    "unit": ("responsible_unit_id", "responsible_unit__name"),
    "campaign": ("issue__campaign_id", "issue__campaign__name"),
    "source": ("issue__source", None),
}


def grouped(qs: QuerySet, by: str, *, now: datetime | None = None) -> list[dict]:
    """Counts per unit / campaign / source: total, closed, overdue, 清零 percent."""
    now = now or clock.now()
    key, label = GROUPS[by]
    fields = [key] + ([label] if label else [])
    rows = (
        qs.order_by()
        .values(*fields)
        .annotate(
            total=Count("pk"),
            closed=Count("pk", filter=Q(status=ItemStatus.CLOSED)),
            overdue=Count("pk", filter=deadlines.overdue_q(now)),
        )
        .order_by(key)
    )
    out = []
    for r in rows:
        out.append(
            {
                "key": r[key],
                "label": r[label] if label else r[key],
                "total": r["total"],
                "closed": r["closed"],
                "overdue": r["overdue"],
                "percent": round(r["closed"] * 100 / r["total"]) if r["total"] else 0,
            }
        )
    return out


def timeline(item: RectificationItem) -> QuerySet[ItemEvent]:
    return (
        ItemEvent.objects.filter(item=item)
        .select_related("progress", "close_request")
        .prefetch_related("progress__files", "close_request__files")
        .order_by("at", "id")
    )


def spot_checks_for(user) -> QuerySet[SpotCheck]:
    return scoped(user, SpotCheck).select_related("created_by")


def get_spot_check(user, pk) -> SpotCheck:
    return get_scoped_or_404(user, SpotCheck.objects.select_related("created_by"), pk=pk)


def public_items() -> QuerySet[RectificationItem]:
    """Items the office published (the item itself or its issue), for the public site."""
    return (
        RectificationItem.objects.filter(Q(is_public=True) | Q(issue__is_public=True))
        .select_related("issue", "responsible_unit")
        .order_by("responsible_unit__path", "deadline", "id")
    )
