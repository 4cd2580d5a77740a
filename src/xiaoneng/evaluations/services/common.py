"""Helpers the evaluation services share."""

from __future__ import annotations

import secrets
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from xiaoneng.core.errors import Forbidden, ValidationFailed
from xiaoneng.core.scope import scope_for
from xiaoneng.core.services.base import require_permission, require_writable

TWO = Decimal("0.01")


def new_token() -> str:
    """22 URL-safe characters (128 bits): unguessable, short enough for a QR code."""
    return secrets.token_urlsafe(16)


def fail(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), errors=errors)


def require(actor, code: str) -> None:
    require_permission(actor, code)
    require_writable(actor)


def require_unit(actor, unit) -> None:
    if not scope_for(actor).contains_unit(unit):
        raise Forbidden(_("This unit is outside your data scope."))


def rounded(value: Decimal) -> Decimal:
    return value.quantize(TWO, rounding=ROUND_HALF_UP)


def percent(part: int, whole: int) -> Decimal | None:
    """part / whole as a percentage with two decimals (half up); None when whole is 0."""
    if not whole:
        return None
    return rounded(Decimal(part) * 100 / Decimal(whole))
