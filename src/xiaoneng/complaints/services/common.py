"""What every complaint write shares: the timeline event around core's audited transition, the
audited update, the case's state and role checks, links and recipients. Permission checks,
field errors, who acted and a person's account are core.services.base (require, fail,
actor_name, user_of)."""

from __future__ import annotations

from datetime import datetime

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from xiaoneng.core import audit, batch, clock
from xiaoneng.core.errors import Conflict, Forbidden
from xiaoneng.core.models import Unit, User
from xiaoneng.core.services.base import actor_name, fail, transition

from .. import policies
from ..models import Complaint, ComplaintEvent
from ..workflow import MACHINE, NON_TRANSITIONS


def complaint_link(complaint: Complaint) -> str:
    try:
        return reverse("complaints:detail", args=[complaint.pk])
    except NoReverseMatch:  # a link must never block a write
        return f"/complaints/{complaint.pk}/"


def users_with_role(code: str, *, unit: Unit | None = None):
    """The active users holding the role ``code`` (of ``unit`` when given): complaint notices go
    to a post (效能办, 单位管理员, 局领导), not to everyone whose roles grant a permission —
    why this differs from ``core.services.base.users_with`` / ``unit_admins`` is written there."""
    qs = User.objects.filter(is_active=True, roles__code=code)
    if unit is not None:
        qs = qs.filter(person__unit=unit)
    return qs.distinct()


def _event(
    complaint: Complaint,
    actor: User | None,
    action: str,
    *,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    data: dict | None = None,
    public: bool = False,
    at: datetime | None = None,
) -> ComplaintEvent:
    event = ComplaintEvent(
        complaint=complaint,
        at=at or clock.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=actor_name(actor),
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note,
        data=data or {},
        public=public,
    )
    return batch.insert(event)  # with the open batch if any (core.batch)


def _transition(
    complaint: Complaint,
    name: str,
    actor: User | None,
    *,
    note: str = "",
    public: bool = False,
    data: dict | None = None,
    reason: str = "",
    **changes,
) -> Complaint:
    """core transition (conditional UPDATE → Conflict on a lost race; audited) + timeline event."""
    now = clock.now()
    source = complaint.status
    target = transition(
        MACHINE, complaint, name, actor=actor, reason=reason or note, updated_at=now, **changes
    )
    _event(
        complaint,
        actor,
        name,
        from_status=source,
        to_status=target,
        note=note,
        data=data,
        public=public,
        at=now,
    )
    return complaint


def _update(
    complaint: Complaint,
    actor: User | None,
    action: str,
    *,
    note: str = "",
    data: dict | None = None,
    public: bool = False,
    reason: str = "",
    **changes,
) -> None:
    """A non-transition change: save fields, timeline event, audit."""
    now = clock.now()
    before = audit.snapshot(complaint)
    if changes:
        Complaint.objects.filter(pk=complaint.pk).update(updated_at=now, **changes)
        for key, value in changes.items():
            setattr(complaint, key, value)
        complaint.updated_at = now
    _event(
        complaint,
        actor,
        action,
        note=note,
        data=data,
        public=public,
        at=now,
        from_status=complaint.status,
        to_status=complaint.status,
    )
    b, a = audit.diff(before, audit.snapshot(complaint))
    audit.record(action, complaint, before=b, after=a, actor=actor, reason=reason or note)


def _require_state(complaint: Complaint, action: str) -> None:
    if action in NON_TRANSITIONS:
        if complaint.status not in NON_TRANSITIONS[action]:
            raise Conflict(
                _("The action “%(action)s” is not allowed in the current state (%(state)s).")
                % {"action": action, "state": complaint.status}
            )
    else:
        MACHINE.target(complaint, action)


def _allow(actor: User | None, complaint: Complaint, action: str) -> None:
    """The actor's role on THIS case allows the action (policies.ACTION_ROLES); not mere scope."""
    policies.require(actor, complaint, action)


def _require_handler(actor: User | None, complaint: Complaint, action: str) -> None:
    """A handling-unit action: the case is dispatched, and the actor handles it (policies)."""
    if actor is None or not actor.has_permission("complaint.handle"):
        raise Forbidden(_("You do not have permission to do this."))
    if complaint.unit_id is None:
        # Only registered / accepted / rejected cases have no unit: no unit action fits them.
        raise Conflict(_("This complaint has not been dispatched to a unit."))
    policies.require(actor, complaint, action)


def _required_text(value: str, field: str, message: str | None = None) -> str:
    text = (value or "").strip()
    if not text:
        fail({field: [message or _("This field is required.")]})
    return text


def _locked(complaint: Complaint) -> Complaint:
    """Row-lock the complaint (PostgreSQL) for read-modify-write of counters."""
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


def _public_tracking_link() -> str:
    try:
        return reverse("portal:track")
    except NoReverseMatch:  # the public site is not installed
        return ""
