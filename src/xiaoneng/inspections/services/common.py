"""Helpers the inspection services share: permission checks, numbering, recipients, links."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import clock
from xiaoneng.core.errors import Forbidden, ValidationFailed
from xiaoneng.core.models import Unit, User
from xiaoneng.core.scope import scope_for
from xiaoneng.core.services.base import require_permission, require_writable

from ..models import InspectionSequence

ORDER_PREFIX = "DB"  # 督办单
BULLETIN_KIND = "BG"  # 曝光通报


def require(actor: User | None, code: str) -> None:
    require_permission(actor, code)
    require_writable(actor)


def fail(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), errors=errors)


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


def allocate(kind: str, year: int) -> int:
    """The next gap-free number of ``kind``/``year`` inside the caller's transaction:
    ``UPDATE … SET last = last + 1`` row-locks the counter until commit, so concurrent
    creators queue up and a rolled-back one gives its number back (like complaint numbers)."""
    sequence = InspectionSequence.objects.filter(kind=kind, year=year)
    if not sequence.update(last=F("last") + 1):
        try:
            with transaction.atomic():
                InspectionSequence.objects.create(kind=kind, year=year, last=1)
                return 1
        except IntegrityError:
            sequence.update(last=F("last") + 1)
    return sequence.values_list("last", flat=True).get()


def this_year() -> int:
    return timezone.localtime(clock.now()).year


def users_with(code: str) -> list[User]:
    users = User.objects.filter(is_active=True, roles__isnull=False).prefetch_related("roles")
    return [u for u in users.distinct() if u.has_permission(code)]


def unit_admins(unit: Unit) -> list[User]:
    return list(
        User.objects.filter(is_active=True, roles__code="unit_admin", person__unit=unit).distinct()
    )


def link(name: str, pk: int) -> str:
    return reverse(name, args=[pk])
