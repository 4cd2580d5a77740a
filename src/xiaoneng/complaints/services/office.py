"""The efficiency office: accept (受理), reject (不予受理), dispatch."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.core.models import Department, Unit, User
from xiaoneng.core.notify import outbox_deliver
from xiaoneng.core.services.base import fail

from ..models import Complaint
from .common import (
    _allow,
    _require_state,
    _required_text,
    _transition,
    complaint_link,
    users_with_role,
)


@transaction.atomic
def complaint_accept(*, complaint: Complaint, actor: User, note: str = "") -> Complaint:
    """受理: the office accepts a registered case (public: 已受理)."""
    _allow(actor, complaint, "accept")
    return _transition(complaint, "accept", actor, note=note, public=True)


@transaction.atomic
def complaint_reject(*, complaint: Complaint, actor: User, reason: str) -> Complaint:
    """不予受理 with the reason, told once and completely (一次性告知): a public event."""
    _allow(actor, complaint, "reject")
    _require_state(complaint, "reject")
    reason = _required_text(reason, "reason", _("Give the reason for not accepting."))
    return _transition(complaint, "reject", actor, note=reason, public=True, reject_reason=reason)


@transaction.atomic
def complaint_dispatch(
    *,
    complaint: Complaint,
    actor: User,
    unit: Unit,
    department: Department | None = None,
    note: str = "",
) -> Complaint:
    """Dispatch to the responsible unit (and department); the unit's admins are told."""
    _allow(actor, complaint, "dispatch")
    _require_state(complaint, "dispatch")
    errors: dict[str, list[str]] = {}
    if unit is None or not unit.is_active:
        errors["unit"] = [_("Select a valid choice.")]
    elif department is not None and department.unit_id != unit.pk:
        errors["department"] = [_("This department does not belong to the unit.")]
    fail(errors)
    _transition(
        complaint,
        "dispatch",
        actor,
        note=note,
        data={"unit": unit.pk, "department": department.pk if department else None},
        unit=unit,
        department=department,
        handler=None,
        first_inquiry_person=None,
        signed_at=None,
        escalation_level=0,
    )
    outbox_deliver(
        lambda: users_with_role("unit_admin", unit=unit),
        title=_("New complaint to sign for: %(number)s") % {"number": complaint.number},
        body=complaint.title,
        link=complaint_link(complaint),
        kind="complaint.dispatched",
    )
    return complaint
