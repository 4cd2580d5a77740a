"""Campaigns (专项行动): create from a template, the phases and groups it brings, start / close."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.core import audit, clock
from xiaoneng.core.models import Unit

from ..models import (
    Campaign,
    CampaignTemplate,
    LeadingGroup,
    Phase,
)
from ..workflow import CAMPAIGN
from .common import _invalid, _manage, rolled
from .key_tasks import key_task_create
from .submissions import requirement_create
from .targets import target_create


# --- campaigns --------------------------------------------------------------------------------------
def default_units(issuing_unit: Unit | None) -> list[Unit]:
    qs = Unit.objects.filter(is_active=True)
    if issuing_unit is not None:
        qs = qs.filter(path__startswith=issuing_unit.path).exclude(pk=issuing_unit.pk)
    else:
        qs = qs.exclude(kind=Unit.Kind.BUREAU)
    return list(qs.order_by("sort_order", "code"))


def _check_dates(starts_on, ends_on, field="ends_on"):
    if starts_on and ends_on and ends_on < starts_on:
        _invalid(field, _("The end must not be before the start."))


@transaction.atomic
def campaign_create(
    *,
    actor,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    kind: str = "other",
    doc_number: str = "",
    issuing_unit: Unit | None = None,
    units: Iterable[Unit] | None = None,
    guiding_ideas: str = "",
    goals: str = "",
    reminder_days: int = 2,
    template: CampaignTemplate | None = None,
    group_name: str = "",
    office_name: str = "",
) -> Campaign:
    """A campaign from scratch (or the frame of one made from a template)."""
    _manage(actor)
    if not (name or "").strip():
        _invalid("name", _("This field is required."))
    _check_dates(starts_on, ends_on)
    campaign = Campaign.objects.create(
        template=template,
        name=name.strip(),
        kind=kind,
        doc_number=doc_number,
        issuing_unit=issuing_unit,
        guiding_ideas=guiding_ideas,
        goals=goals,
        starts_on=starts_on,
        ends_on=ends_on,
        reminder_days=reminder_days,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=clock.now(),
    )
    chosen = list(units) if units is not None else default_units(issuing_unit)
    campaign.units.set(chosen)
    suffix = "领导小组"
    room = (LeadingGroup._meta.get_field("name").max_length or 0) - len(suffix)
    LeadingGroup.objects.create(
        campaign=campaign,
        # a campaign name may use the whole of its 200 characters; the group's name has no more
        name=group_name or f"{campaign.name[:room]}{suffix}",
        office_name=office_name or _("Office of the leading group"),
    )
    audit.record(
        "create",
        campaign,
        after={**audit.snapshot(campaign), "units": [u.pk for u in chosen]},
        actor=actor,
    )
    return campaign


def _split_names(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[、，,;；/]", text or "") if p.strip()]


def _match_units(text: str, campaign: Campaign, *, generic_means_all: bool) -> list[Unit]:
    """Units named in a seed's 牵头/责任单位 text; "各……" (every …) means the campaign's units."""
    if not text:
        return []
    if generic_means_all and any(name.startswith("各") for name in _split_names(text)):
        return list(campaign.units.all())
    names = _split_names(text)
    return list(Unit.objects.filter(is_active=True, name__in=names))


@transaction.atomic
def campaign_create_from_template(
    *,
    actor,
    template: CampaignTemplate,
    year: int,
    name: str = "",
    doc_number: str = "",
    issuing_unit: Unit | None = None,
    units: Iterable[Unit] | None = None,
    reminder_days: int = 2,
) -> Campaign:
    """Copy a template with its dates rolled to `year` (the first year): 作风整顿 for 2026 runs
    2026-12-20 → 2027-05-31. Phases, deliverables (a submission per unit and due date), key
    tasks (progress rows for each responsible unit) and targets come along."""
    _manage(actor)
    if not (1900 < int(year) < 2200):
        _invalid("year", _("Enter a year such as 2026."))
    spec = template.spec or {}
    phases = spec.get("phases", [])
    if not phases:
        _invalid("template", _("This template has no phases."))
    year = int(year)
    span = f"{year}" if template.spans_years == 1 else f"{year}—{year + template.spans_years - 1}"
    group = spec.get("group", {})
    campaign = campaign_create(
        actor=actor,
        name=name or f"{span}年{template.name}",
        kind=template.kind,
        doc_number=doc_number,
        issuing_unit=issuing_unit,
        units=units,
        guiding_ideas=template.guiding_ideas,
        goals=template.goals,
        starts_on=rolled(phases[0]["start"], year),
        ends_on=rolled(phases[-1]["end"], year),
        reminder_days=reminder_days,
        template=template,
        group_name=group.get("name", ""),
        office_name=group.get("office_name", ""),
    )
    made = [
        Phase.objects.create(
            campaign=campaign,
            order=i + 1,
            name=p["name"],
            description=p.get("description", ""),
            starts_on=rolled(p["start"], year),
            ends_on=rolled(p["end"], year),
        )
        for i, p in enumerate(phases)
    ]
    for i, r in enumerate(spec.get("requirements", [])):
        requirement_create(
            actor=actor,
            campaign=campaign,
            phase=made[r["phase"]] if r.get("phase") is not None else None,
            name=r["name"],
            description=r.get("description", ""),
            due_on=rolled(r["due"], year),
            recurrence=r.get("recurrence", ""),
            repeat_until=rolled(r["until"], year) if r.get("until") else None,
            sort_order=i,
        )
    for t in spec.get("key_tasks", []):
        key_task_create(
            actor=actor,
            campaign=campaign,
            number=t["number"],
            group=t.get("group", ""),
            title=t["title"],
            content=t.get("content", ""),
            lead_units=_match_units(t.get("lead", ""), campaign, generic_means_all=False),
            responsible_units=_match_units(
                t.get("responsible", ""), campaign, generic_means_all=True
            ),
            lead_text=t.get("lead", ""),
            responsible_text=t.get("responsible", ""),
        )
    for t in spec.get("targets", []):
        unit_text = t.get("unit", "")
        matched = _match_units(unit_text, campaign, generic_means_all=False)
        target_create(
            actor=actor,
            campaign=campaign,
            number=t["number"],
            item=t.get("item", ""),
            content=t["content"],
            standard=t["standard"],
            methods=t.get("methods", []),
            leader_name=t.get("leader", ""),
            responsible_unit=matched[0] if len(matched) == 1 else None,
            responsible_office=t.get("office", "") or ("" if matched else unit_text),
            responsible_person=t.get("person", ""),
        )
    return campaign


def _transition_campaign(actor, campaign: Campaign, name: str) -> Campaign:
    _manage(actor)
    before = campaign.status
    CAMPAIGN.apply(campaign, name)
    audit.record(
        name, campaign, before={"status": before}, after={"status": campaign.status}, actor=actor
    )
    return campaign


@transaction.atomic
def campaign_start(*, actor, campaign: Campaign) -> Campaign:
    """草拟 → 进行中: units see the campaign, reminders start."""
    return _transition_campaign(actor, campaign, "start")


@transaction.atomic
def campaign_close(*, actor, campaign: Campaign) -> Campaign:
    return _transition_campaign(actor, campaign, "close")
