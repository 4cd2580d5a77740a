"""Spot checks of closed items (抽查核实, issue #5; PRODUCT.md capability 10).

The office draws a random sample of the closed items in its scope — a number or a percentage,
optionally filtered by campaign, unit and type. The population is ordered by id and sampled with
``random.Random(seed)``, so the same seed over the same population gives the same sample; the seed
and the sample are stored. A result of 整改不到位 or 虚假整改 reopens the item, flags it and leaves
an ``AccountabilityReferral`` for the accountability module.
"""

from __future__ import annotations

import math
import random
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit, clock, numbering
from xiaoneng.core.errors import Conflict, ValidationFailed
from xiaoneng.core.models import Unit, User
from xiaoneng.core.scope import scoped
from xiaoneng.core.services.base import fail, require

from . import services
from .models import AccountabilityReferral, RectificationItem, SpotCheck, SpotCheckResult
from .signals import spot_check_failed
from .vocab import FAILED_RESULTS, ItemStatus, ItemType, SpotResult

MAX_SEED = 2**53


def population(actor: User, *, campaign_id=None, unit: Unit | None = None, type: str = ""):
    """The closed items in the actor's scope that match the filters, in id order."""
    qs = scoped(actor, RectificationItem).filter(status=ItemStatus.CLOSED)
    if campaign_id:
        qs = qs.filter(issue__campaign_id=campaign_id)
    if unit is not None:
        qs = qs.filter(responsible_unit__path__startswith=unit.path)
    if type:
        qs = qs.filter(type=type)
    return qs.order_by("pk")


@transaction.atomic
def spot_check_draw(
    *,
    actor: User,
    count: int | None = None,
    percent: int | None = None,
    seed: int | None = None,
    campaign_id: int | None = None,
    unit: Unit | None = None,
    type: str = "",
    note: str = "",
) -> SpotCheck:
    """Draw n items (or a percentage, rounded up) of the closed items in scope."""
    require(actor, "rectification.verify")
    errors: dict[str, list[str]] = {}
    if (count is None) == (percent is None):
        errors["count"] = [_("Give either a number of items or a percentage.")]
    elif count is not None and count < 1:
        errors["count"] = [_("Enter a whole number of at least 1.")]
    elif percent is not None and not 1 <= percent <= 100:
        errors["percent"] = [_("Enter a whole number from 1 to 100.")]
    if type and type not in ItemType.values:
        errors["type"] = [_("Select a valid choice.")]
    if seed is not None and not 0 <= seed < MAX_SEED:
        errors["seed"] = [_("Enter a whole number from 0 to %(max)s.") % {"max": MAX_SEED - 1}]
    fail(errors)
    ids = list(
        population(actor, campaign_id=campaign_id, unit=unit, type=type).values_list(
            "pk", flat=True
        )
    )
    if not ids:
        raise ValidationFailed(
            _("There are no closed items to draw from."),
            errors={"count": [_("There are no closed items to draw from.")]},
        )
    size = count if count is not None else math.ceil(len(ids) * percent / 100)
    size = min(size, len(ids))
    seed = secrets.randbelow(MAX_SEED) if seed is None else seed
    sample = draw(ids, size, seed)
    now = clock.now()
    check = SpotCheck.objects.create(
        number=numbering.next_number(
            services.SPOT_KEY, services.SPOT_PREFIX, timezone.localtime(now).year
        ),
        seed=seed,
        count=count,
        percent=percent,
        filters={
            k: v
            for k, v in {
                "campaign": campaign_id,
                "unit": unit.pk if unit else None,
                "type": type,
            }.items()
            if v
        },
        population=len(ids),
        note=(note or "")[:500],
        created_by=actor,
        created_at=now,
    )
    SpotCheckResult.objects.bulk_create(
        [SpotCheckResult(spot_check=check, item_id=pk, position=i) for i, pk in enumerate(sample)]
    )
    audit.record("create", check, after=audit.snapshot(check) | {"sample": sample}, actor=actor)
    return check


def draw(ids: list[int], size: int, seed: int) -> list[int]:
    """The reproducible sample: the same ids, size and seed give the same items in the same order."""
    return random.Random(seed).sample(sorted(ids), size)


@transaction.atomic
def spot_check_result(
    *,
    actor: User,
    spot_check: SpotCheck,
    item: RectificationItem,
    result: str,
    note: str = "",
) -> SpotCheckResult:
    """Record the result for one sampled item; a failure reopens it, flags it and refers it."""
    require(actor, "rectification.verify")
    if result not in SpotResult.values:
        raise ValidationFailed(
            _("Please correct the errors below."), errors={"result": [_("Select a valid choice.")]}
        )
    row = SpotCheckResult.objects.filter(spot_check=spot_check, item=item).first()
    if row is None:
        raise ValidationFailed(
            _("This item is not in the sample."),
            errors={"item": [_("This item is not in the sample.")]},
        )
    now = clock.now()
    note = (note or "").strip()
    updated = SpotCheckResult.objects.filter(pk=row.pk, result="").update(
        result=result, note=note, checked_at=now, checked_by=actor
    )
    if updated != 1:
        raise Conflict(_("A result was already recorded for this item."))
    row.result, row.note, row.checked_at, row.checked_by = result, note, now, actor
    audit.record(
        "spot_check_result",
        item,
        after={"spot_check": spot_check.number, "result": result, "note": note},
        actor=actor,
    )
    if result in FAILED_RESULTS:
        label = SpotResult(result).label
        reason = _("Spot check %(number)s: %(result)s") % {
            "number": spot_check.number,
            "result": label,
        }
        if note:
            reason = f"{reason}. {note}"
        item = RectificationItem.objects.select_related("responsible_unit").get(pk=item.pk)
        if item.status == ItemStatus.CLOSED:
            services.reopen(item=item, actor=actor, reason=reason, flag=True)
        else:
            RectificationItem.objects.filter(pk=item.pk).update(
                flagged=True, flag_reason=reason[:500]
            )
        referral = AccountabilityReferral.objects.create(
            unit=item.responsible_unit,
            item=item,
            spot_check_result=row,
            reason=result,
            note=reason,
            created_by=actor,
            created_at=now,
        )
        spot_check_failed.send(sender=AccountabilityReferral, referral=referral, actor=actor)
    return row
