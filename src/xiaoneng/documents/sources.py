"""Source providers: what fills a template from its source record, read through the source
app's own scoped selectors (documents imports the source apps; they never import documents).

A provider takes the reader and a reference (``"17"``, or ``"3:2026-11"`` for a campaign's
month, ``"3:12"`` for a campaign's unit) and returns the placeholders. Out of scope is 404,
as everywhere."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.accountability import selectors as accountability
from xiaoneng.campaigns import selectors as campaigns
from xiaoneng.complaints import selectors as complaints
from xiaoneng.core import clock
from xiaoneng.core.models import Unit
from xiaoneng.evaluations import selectors as evaluations
from xiaoneng.inspections import selectors as inspections
from xiaoneng.rectification import selectors as rectification
from xiaoneng.rectification.vocab import ItemStatus


@dataclass
class Filled:
    context: dict[str, str]
    campaign: Any = None
    recipients: list[Unit] = field(default_factory=list)


@dataclass(frozen=True)
class Source:
    key: str
    label: Any
    ref_help: Any
    fill: Callable[[Any, str], Filled]


SOURCES: dict[str, Source] = {}


def source(key: str, label, ref_help):
    def register(fn: Callable[[Any, str], Filled]):
        SOURCES[key] = Source(key, label, ref_help, fn)
        return fn

    return register


def _ids(ref: str, n: int) -> list[int]:
    parts = str(ref).split(":")
    if len(parts) != n or not all(p.isascii() and p.isdigit() for p in parts):
        raise Http404
    return [int(p) for p in parts]


def _day(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return f"{value.year}年{value.month}月{value.day}日"


def _campaign_context(campaign) -> dict[str, str]:
    return {
        "campaign": campaign.name,
        "campaign_number": campaign.doc_number,
        "starts_on": _day(campaign.starts_on),
        "ends_on": _day(campaign.ends_on),
        "goals": campaign.goals,
        "guiding_ideas": campaign.guiding_ideas,
        "unit_count": str(campaign.units.count()),
    }


def campaign_items(user, campaign):
    """The campaign's ledger as the reader may see it: items of issues linked to the campaign,
    and issues recorded without a campaign against its units during its period."""
    return rectification.items_for(user).filter(
        Q(issue__campaign=campaign)
        | Q(
            issue__campaign__isnull=True,
            responsible_unit__in=campaign.units.all(),
            issue__created_at__date__gte=campaign.starts_on,
            issue__created_at__date__lte=campaign.ends_on,
        )
    )


def fill(key: str, user, ref: str) -> Filled:
    if key not in SOURCES:
        raise Http404
    return SOURCES[key].fill(user, ref)


@source("campaign", _("Campaign"), _("campaign id"))
def campaign_source(user, ref: str) -> Filled:
    (pk,) = _ids(ref, 1)
    campaign = campaigns.get_campaign(user, pk)
    return Filled(_campaign_context(campaign), campaign, list(campaign.units.all()))


def month_bounds(month: str) -> tuple[dt.datetime, dt.datetime]:
    try:
        first = dt.date.fromisoformat(f"{month}-01")
    except ValueError:
        raise Http404 from None
    after = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(first, dt.time.min, tzinfo=tz),
        dt.datetime.combine(after, dt.time.min, tzinfo=tz),
    )


@source("campaign_month", _("Campaign month (ledger and complaints)"), _("campaign id:YYYY-MM"))
def campaign_month_source(user, ref: str) -> Filled:
    """The monthly 简报's figures: the campaign's ledger and the complaints against its units."""
    pk_text, _sep, month = str(ref).partition(":")
    (pk,) = _ids(pk_text, 1)
    campaign = campaigns.get_campaign(user, pk)
    start, end = month_bounds(month)
    items = campaign_items(user, campaign)
    ledger = rectification.summary(items, now=min(end, clock.now()))
    new_items = items.filter(issue__created_at__gte=start, issue__created_at__lt=end).count()
    closed_month = items.filter(
        status=ItemStatus.CLOSED, closed_at__gte=start, closed_at__lt=end
    ).count()
    units = campaign.units.all()
    received = complaints.complaints_for(user, related=()).filter(
        received_at__gte=start, received_at__lt=end, unit__in=units
    )
    by_status = received.aggregate(total=Count("pk"), closed=Count("pk", filter=Q(status="closed")))
    context = _campaign_context(campaign) | {
        "month": f"{start.year}年{start.month}月",
        "ledger_total": str(ledger["total"]),
        "ledger_closed": str(ledger["closed"]),
        "ledger_open": str(ledger["open"]),
        "ledger_overdue": str(ledger["overdue"]),
        "ledger_percent": str(ledger["percent"]),
        "ledger_new": str(new_items),
        "ledger_closed_month": str(closed_month),
        "complaints_received": str(by_status["total"]),
        "complaints_closed": str(by_status["closed"]),
        "late_submissions": str(campaigns.late_submissions(campaign, on=end.date()).count()),
    }
    return Filled(context, campaign, list(units))


@source("ledger_unit", _("Ledger of one unit in a campaign"), _("campaign id:unit id"))
def ledger_unit_source(user, ref: str) -> Filled:
    campaign_pk, unit_pk = _ids(ref, 2)
    campaign = campaigns.get_campaign(user, campaign_pk)
    unit = campaigns.units_of(campaign, user).filter(pk=unit_pk).first()
    if unit is None:
        raise Http404
    items = campaign_items(user, campaign).filter(responsible_unit=unit)
    ledger = rectification.summary(items)
    lines = [
        f"{n}. {item.issue.title}：{item.measures}（{item.get_status_display()}）"
        for n, item in enumerate(items.select_related("issue").order_by("deadline", "pk"), 1)
    ]
    context = _campaign_context(campaign) | {
        "unit": unit.name,
        "ledger_total": str(ledger["total"]),
        "ledger_closed": str(ledger["closed"]),
        "ledger_open": str(ledger["open"]),
        "ledger_overdue": str(ledger["overdue"]),
        "ledger_percent": str(ledger["percent"]),
        "items": "\n".join(lines) or "无",
    }
    return Filled(context, campaign, [unit])


@source("inspection_bulletin", _("Inspection bulletin"), _("bulletin id"))
def bulletin_source(user, ref: str) -> Filled:
    (pk,) = _ids(ref, 1)
    bulletin = inspections.get_bulletin(user, pk)
    entries = list(bulletin.entries.select_related("unit").order_by("position", "pk"))
    lines = []
    for n, e in enumerate(entries, 1):
        text = f"{n}. {e.unit.name}{e.title}。{e.text}"
        if e.handling:
            text += f"处理情况：{e.handling}"
        lines.append(text)
    context = {
        "bulletin": bulletin.title,
        "intro": bulletin.intro,
        "period_start": _day(bulletin.period_start),
        "period_end": _day(bulletin.period_end),
        "entry_count": str(len(entries)),
        "entries": "\n".join(lines) or "无",
    }
    return Filled(context, None, sorted({e.unit for e in entries}, key=lambda u: u.pk))


@source("supervision_order", _("Supervision order"), _("order id"))
def order_source(user, ref: str) -> Filled:
    (pk,) = _ids(ref, 1)
    order = inspections.get_order(user, pk)
    finding = order.finding
    context = {
        "order_number": order.number,
        "unit": order.unit.name,
        "finding": finding.title,
        "description": finding.description,
        "requirements": order.requirements,
        "deadline": _day(order.deadline),
        "issued_on": _day(order.issued_at),
        "leader": order.responsible_leader.name if order.responsible_leader else "",
    }
    return Filled(context, getattr(order.issue, "campaign", None), [order.unit])


@source("consequence", _("Evaluation consequence"), _("consequence id"))
def consequence_source(user, ref: str) -> Filled:
    (pk,) = _ids(ref, 1)
    c = evaluations.get_consequence(user, pk)
    context = {
        "unit": c.unit.name,
        "person": c.person.name if c.person_id else "",
        "round": c.round.title,
        "period": c.round.period_label,
        "measure": c.get_measure_display(),
        "reason": c.reason,
        "rectify_days": str(c.rectify_days),
    }
    return Filled(context, None, [c.unit])


@source("accountability_case", _("Accountability decision"), _("case id"))
def case_source(user, ref: str) -> Filled:
    (pk,) = _ids(ref, 1)
    case = accountability.get_case(user, pk)
    subjects = list(case.subjects.select_related("measure").order_by("position_order", "pk"))
    lines = [
        f"{s.name}（{s.position or '—'}）：{s.measure.name if s.measure else '待定'}。{s.finding}"
        for s in subjects
    ]
    context = {
        "case_number": case.number,
        "case": case.title,
        "unit": case.unit.name,
        "facts": case.summary,
        "people": "、".join(s.name for s in subjects),
        "decisions": "\n".join(lines) or "无",
    }
    return Filled(context, None, [case.unit])


@source("complaint", _("Complaint (express report)"), _("complaint id"))
def complaint_source(user, ref: str) -> Filled:
    """快报: the case without the complainant's identity (it never leaves its own table)."""
    (pk,) = _ids(ref, 1)
    c = complaints.get_complaint(user, pk)
    context = {
        "complaint_number": c.number,
        "complaint": c.title,
        "content": c.content,
        "received_on": _day(c.received_at),
        "unit": c.unit.name if c.unit_id else "",
        "category": str(c.category) if c.category_id else "",
    }
    return Filled(context, None, [c.unit] if c.unit_id else [])
