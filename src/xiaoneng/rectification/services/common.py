"""What the ledger services share: numbering, scope checks, the timeline event and transition, who to tell."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from xiaoneng.core import clock
from xiaoneng.core.errors import Forbidden
from xiaoneng.core.models import StoredFile, Unit, User
from xiaoneng.core.scope import scope_for
from xiaoneng.core.services.base import (
    actor_name,
    require,
    transition,
    unit_admins,
    user_of,
)

from ..models import (
    ItemEvent,
    RectificationItem,
)
from ..workflow import MACHINE

ISSUE_PREFIX = "WT"
ITEM_PREFIX = "ZG"
SPOT_PREFIX = "CC"


# The counters of core.numbering these numbers come from (carried over by migration 0004).
ISSUE_KEY = "rectification.issue"
ITEM_KEY = "rectification.item"
SPOT_KEY = "rectification.spotcheck"


# --- helpers -----------------------------------------------------------------------------------
def item_link(item: RectificationItem) -> str:
    try:
        return reverse("rectification:item", args=[item.pk])
    except NoReverseMatch:  # a link must never block a write
        return f"/rectification/items/{item.pk}/"


def _in_scope(actor: User, unit: Unit, *, department_id=None, person_id=None) -> bool:
    scope = scope_for(actor)
    if scope.contains_unit(unit):
        return True
    if department_id and department_id in scope.department_ids:
        return True
    return bool(person_id and person_id == scope.person_id)


def _require_item_access(actor: User, item: RectificationItem) -> None:
    """rectification.manage and the item's unit (or department / person) in the actor's scope."""
    require(actor, "rectification.manage")
    if not _in_scope(
        actor,
        item.responsible_unit,
        department_id=item.responsible_department_id,
        person_id=item.responsible_person_id,
    ):
        raise Forbidden(_("This item is not in your data scope."))


def _event(
    item: RectificationItem,
    actor: User | None,
    action: str,
    *,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    at: datetime | None = None,
    **links,
) -> ItemEvent:
    return ItemEvent.objects.create(
        item=item,
        at=at or clock.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=actor_name(actor),
        action=action,
        from_status=from_status or item.status,
        to_status=to_status or item.status,
        note=note,
        **links,
    )


def _transition(
    item: RectificationItem, name: str, actor: User | None, *, note: str = "", links=None, **changes
) -> RectificationItem:
    """``core.services.base.transition`` (conditional UPDATE → Conflict on a lost race, audit)
    plus the item's timeline event."""
    now = clock.now()
    source = item.status
    target = transition(MACHINE, item, name, actor=actor, reason=note, updated_at=now, **changes)
    _event(
        item, actor, name, from_status=source, to_status=target, note=note, at=now, **(links or {})
    )
    return item


def _files(files: Iterable[StoredFile] | None) -> list[StoredFile]:
    return [f for f in (files or ()) if f is not None]


def _text(value, field: str, errors: dict, *, required: bool = True, limit: int = 10000) -> str:
    text = (value or "").strip()
    if required and not text:
        errors[field] = [_("This field is required.")]
    elif len(text) > limit:
        errors[field] = [_("Ensure this field has no more than %(n)s characters.") % {"n": limit}]
    return text


def verifiers():
    """Users who may verify close-out requests (the office)."""
    users = User.objects.filter(is_active=True, roles__isnull=False).prefetch_related("roles")
    return [u for u in users.distinct() if u.has_permission("rectification.verify")]


def responsible_users(item: RectificationItem) -> list[User]:
    users = unit_admins(item.responsible_unit, permission="rectification.manage")
    person_user = user_of(item.responsible_person)
    if person_user is not None:
        users.append(person_user)
    return users
