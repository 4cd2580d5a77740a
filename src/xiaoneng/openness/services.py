"""Writes of 领导接待日 and 院务公开 (issue 20): keyword-only, validated, audited.

A visit on a reception day is registered through the complaint engine with channel
``reception_day`` (``complaints.services.complaint_register``) and linked to the leader who
received it. A unit's 院务公开 page is edited by the unit (openness.edit), approved or returned
by the office (openness.manage); the public sees the snapshot of the last approval only.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from xiaoneng.complaints import services as complaint_services
from xiaoneng.complaints.models import Category, Complaint
from xiaoneng.complaints.vocab import Channel
from xiaoneng.core import audit, clock
from xiaoneng.core.errors import Forbidden, NotFound
from xiaoneng.core.models import Person, Unit, User
from xiaoneng.core.notify import outbox_deliver
from xiaoneng.core.scope import scope_for
from xiaoneng.core.services.base import fail, require, transition

from .models import Disclosure, DisclosureItem, ReceptionDay, ReceptionVisit
from .vocab import Section
from .workflow import ACTION_PERMISSION, DISCLOSURE, EDITABLE

MANAGE = "openness.manage"
EDIT = "openness.edit"


def _in_scope(actor: User, unit: Unit) -> None:
    if not scope_for(actor).contains_unit(unit):
        raise NotFound(_("Not found."))


def users_holding(permission: str) -> list[User]:
    users = (
        User.objects.filter(is_active=True, roles__isnull=False)
        .distinct()
        .prefetch_related("roles")
        .order_by("id")
    )
    return [u for u in users if u.has_permission(permission)]


# --- 领导接待日 ---------------------------------------------------------------------------------
@transaction.atomic
def reception_create(
    *,
    actor: User,
    unit: Unit,
    leader: Person,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    topics: str = "",
) -> ReceptionDay:
    """Put a leader's reception day on the published roster (the office, 效能办)."""
    require(actor, MANAGE)
    errors: dict[str, list[str]] = {}
    if unit is None or not unit.is_active:
        errors["unit"] = [_("Select a valid choice.")]
    elif leader is not None and not leader.unit.path.startswith(unit.path):
        errors["leader"] = [_("The leader does not work in the unit.")]
    if leader is None:
        errors["leader"] = [_("This field is required.")]
    if not (place or "").strip():
        errors["place"] = [_("This field is required.")]
    if starts_at and ends_at and ends_at <= starts_at:
        errors["ends_at"] = [_("The end must be after the start.")]
    fail(errors)
    reception = ReceptionDay.objects.create(
        unit=unit,
        leader=leader,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip()[:200],
        topics=(topics or "").strip()[:300],
        created_by=actor,
    )
    audit.record("create", reception, after=audit.snapshot(reception), actor=actor)
    return reception


@transaction.atomic
def reception_withdraw(*, actor: User, reception: ReceptionDay, reason: str = "") -> None:
    """Take a reception day off the roster (only while no visit is recorded on it)."""
    require(actor, MANAGE)
    if reception.visits.exists():
        fail({"reception": [_("Visits are recorded on this reception day.")]})
    audit.record("delete", reception, before=audit.snapshot(reception), actor=actor, reason=reason)
    reception.delete()


@transaction.atomic
def visit_record(
    *,
    actor: User,
    reception: ReceptionDay,
    type: str,
    category: Category,
    title: str,
    content: str,
    subject_unit: Unit | None = None,
    received_at: datetime | None = None,
    complainant: dict[str, Any] | None = None,
) -> ReceptionVisit:
    """A visit received on a reception day becomes a complaint (channel reception_day) linked
    to the leader who received it; the complaint then runs its usual course."""
    require(actor, "complaint.register")
    _in_scope(actor, reception.unit)
    complaint: Complaint = complaint_services.complaint_register(
        actor=actor,
        channel=Channel.RECEPTION_DAY,
        type=type,
        category=category,
        subject_unit=subject_unit or reception.unit,
        title=title,
        content=content,
        received_at=received_at or min(clock.now(), reception.ends_at),
        complainant=complainant,
    )
    visit = ReceptionVisit.objects.create(
        reception=reception,
        leader=reception.leader,
        complaint=complaint,
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    audit.record(
        "create",
        visit,
        after={"complaint": complaint.number, "leader": reception.leader.name},
        actor=actor,
    )
    return visit


# --- 院务公开 ---------------------------------------------------------------------------------
@transaction.atomic
def disclosure_open(*, actor: User, unit: Unit) -> Disclosure:
    """The unit's 院务公开 page (created as a draft the first time)."""
    if not (actor.has_permission(EDIT) or actor.has_permission(MANAGE)):
        raise Forbidden(_("You do not have permission to do this."))
    _in_scope(actor, unit)
    disclosure, created = Disclosure.objects.get_or_create(unit=unit)
    if created:
        audit.record("create", disclosure, after=audit.snapshot(disclosure), actor=actor)
    return disclosure


def _require_editable(actor: User, disclosure: Disclosure) -> None:
    require(actor, EDIT)
    _in_scope(actor, disclosure.unit)
    # the state as committed (a concurrent submit wins; the caller's copy may be stale)
    status = (
        Disclosure.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=disclosure.pk)
    )
    if status not in EDITABLE:
        fail({"status": [_("Revise the approved page first: it is not a draft.")]})


def _item_errors(section: str, title: str, price: Decimal | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if section not in Section.values:
        errors["section"] = [_("Select a valid choice.")]
    if not (title or "").strip():
        errors["title"] = [_("This field is required.")]
    if price is not None and price < 0:
        errors["price"] = [_("The price cannot be negative.")]
    if section == Section.PRICE and price is None:
        errors["price"] = [_("A price item needs a price.")]
    return errors


@transaction.atomic
def item_add(
    *,
    actor: User,
    disclosure: Disclosure,
    section: str,
    title: str,
    content: str = "",
    time_limit: str = "",
    price: Decimal | None = None,
    price_unit: str = "",
) -> DisclosureItem:
    _require_editable(actor, disclosure)
    fail(_item_errors(section, title, price))
    last = disclosure.items.filter(section=section).aggregate(m=Max("position"))["m"]
    item = DisclosureItem.objects.create(
        disclosure=disclosure,
        section=section,
        title=title.strip()[:200],
        content=(content or "").strip(),
        time_limit=(time_limit or "").strip()[:100],
        price=price,
        price_unit=(price_unit or "").strip()[:30],
        position=(last or 0) + 1,
    )
    audit.record("create", item, after=audit.snapshot(item), actor=actor)
    return item


@transaction.atomic
def item_delete(*, actor: User, item: DisclosureItem) -> None:
    _require_editable(actor, item.disclosure)
    audit.record("delete", item, before=audit.snapshot(item), actor=actor)
    item.delete()


@transaction.atomic
def disclosure_act(
    *, actor: User, disclosure: Disclosure, action: str, reason: str = ""
) -> Disclosure:
    """submit (unit) → approve / return (office); revise (unit) reopens an approved page as a
    draft while the approved snapshot stays public."""
    if action not in DISCLOSURE.transitions:
        fail({"action": [_("Unknown action.")]})
    require(actor, ACTION_PERMISSION[action])
    _in_scope(actor, disclosure.unit)
    disclosure = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
    now = clock.now()
    changes: dict[str, Any] = {}
    if action == "submit":
        if not disclosure.items.exists():
            fail({"items": [_("Add at least one entry before submitting.")]})
        changes = {"submitted_at": now, "return_reason": ""}
    elif action == "return":
        if not (reason or "").strip():
            fail({"reason": [_("Give the reason for returning.")]})
        changes = {"decided_at": now, "decided_by": actor, "return_reason": reason.strip()}
    elif action == "approve":
        changes = {
            "decided_at": now,
            "decided_by": actor,
            "published": [i.as_public() for i in disclosure.items.all()],
            "published_at": now,
        }
    transition(DISCLOSURE, disclosure, action, actor=actor, reason=reason, **changes)
    link = reverse("openness:disclosure", args=[disclosure.pk])
    if action == "submit":
        outbox_deliver(
            users_holding(MANAGE),
            title=_("院务公开 of %(unit)s awaits approval") % {"unit": disclosure.unit.name},
            link=link,
            kind="openness.submitted",
            dedup_key=f"openness-submitted:{disclosure.pk}:{now.isoformat()}",
        )
    elif action in ("approve", "return"):
        editors = [u for u in users_holding(EDIT) if scope_for(u).contains_unit(disclosure.unit)]
        outbox_deliver(
            editors,
            title=(
                _("Your 院务公开 page was approved and published")
                if action == "approve"
                else _("Your 院务公开 page was returned: %(reason)s") % {"reason": reason}
            ),
            link=link,
            kind=f"openness.{action}",
            dedup_key=f"openness-{action}:{disclosure.pk}:{now.isoformat()}",
        )
    return disclosure
