"""Helpers the inspection services share: permission checks, numbering, recipients, links."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import clock
from xiaoneng.core.errors import Forbidden
from xiaoneng.core.models import Unit, User
from xiaoneng.core.scope import scope_for
from xiaoneng.core.services.base import fail, require, user_of, users_with
from xiaoneng.core.services.base import unit_admins as core_unit_admins

__all__ = ["fail", "require", "user_of", "users_with"]  # re-exported for the services here

ORDER_PREFIX = "DB"  # 督办单
# core.numbering counters (carried over by migration 0003)
ORDER_KEY = "inspections.order"
BULLETIN_KEY = "inspections.bulletin"


def text(value, field: str, errors: dict, *, required: bool = True, limit: int = 10000) -> str:
    cleaned = (value or "").strip()
    if required and not cleaned:
        errors[field] = [_("This field is required.")]
    elif len(cleaned) > limit:
        errors[field] = [_("Ensure this field has no more than %(n)s characters.") % {"n": limit}]
    return cleaned


def require_unit(actor: User, unit: Unit) -> None:
    if not scope_for(actor).contains_unit(unit):
        raise Forbidden(_("This unit is outside your data scope."))


def this_year() -> int:
    return timezone.localtime(clock.now()).year


def unit_admins(unit: Unit) -> list[User]:
    """Who answers for a unit's inspection results: its users who manage its ledger."""
    return core_unit_admins(unit, permission="rectification.manage")


def link(name: str, pk: int) -> str:
    return reverse(name, args=[pk])
