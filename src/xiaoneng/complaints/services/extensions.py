"""Time: extension requests and decisions, and the SLA override by hand."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.core import calendar as work_calendar
from xiaoneng.core import clock
from xiaoneng.core.errors import Conflict
from xiaoneng.core.models import User
from xiaoneng.core.notify import outbox_deliver
from xiaoneng.core.services.base import fail

from .. import sla
from ..models import Complaint, ComplaintPause, ExtensionRequest, SlaPolicy
from ..vocab import Status
from .common import (
    _allow,
    _locked,
    _require_handler,
    _require_state,
    _required_text,
    _update,
    complaint_link,
    users_with_role,
)


@transaction.atomic
def complaint_request_extension(
    *, complaint: Complaint, actor: User, days: int, reason: str
) -> ExtensionRequest:
    """Ask the office for N more working days (at most ComplaintRules.max_extensions granted)."""
    _require_handler(actor, complaint, "request_extension")
    _require_state(complaint, "request_extension")
    errors: dict[str, list[str]] = {}
    if not isinstance(days, int) or days < 1:
        errors["days"] = [_("Ask for at least one working day.")]
    if not (reason or "").strip():
        errors["reason"] = [_("This field is required.")]
    fail(errors)
    locked = _locked(complaint)
    if locked.extension_count >= sla.current_rules().max_extensions:
        raise Conflict(_("No more extensions can be granted for this case."))
    if ExtensionRequest.objects.filter(complaint=complaint, approved__isnull=True).exists():
        raise Conflict(_("An extension request is already waiting for a decision."))
    request = ExtensionRequest.objects.create(
        complaint=complaint,
        requested_at=clock.now(),
        requested_by=actor,
        days=days,
        reason=reason.strip(),
    )
    _update(complaint, actor, "request_extension", note=reason.strip(), data={"days": days})
    outbox_deliver(
        lambda: users_with_role("office"),
        title=_("Extension requested: %(number)s") % {"number": complaint.number},
        body=reason.strip(),
        link=complaint_link(complaint),
        kind="complaint.extension_requested",
    )
    return request


@transaction.atomic
def complaint_decide_extension(
    *, complaint: Complaint, actor: User, approve: bool, reason: str = ""
) -> ExtensionRequest:
    """The office approves (resolve_by + N working days) or refuses (with a reason) the pending request."""
    _allow(actor, complaint, "decide_extension")
    _require_state(complaint, "decide_extension")
    request = (
        ExtensionRequest.objects.filter(complaint=complaint, approved__isnull=True)
        .order_by("requested_at", "id")
        .first()
    )
    if request is None:
        raise Conflict(_("There is no extension request waiting for a decision."))
    if not approve:
        reason = _required_text(reason, "reason", _("Give the reason for refusing."))
    now = clock.now()
    locked = _locked(complaint)
    changes: dict[str, Any] = {}
    if approve:
        if locked.extension_count >= sla.current_rules().max_extensions:
            raise Conflict(_("No more extensions can be granted for this case."))
        base = locked.resolve_by or now
        moved = work_calendar.add_working_days(base, request.days)
        changes = {
            "extension_count": locked.extension_count + 1,
            "resolve_by": moved.at,
            "deadline_uncertain": locked.deadline_uncertain or moved.uncertain,
        }
        if locked.overdue_since and moved.at > now:
            changes["overdue_since"] = None
        updated = Complaint.objects.filter(
            pk=complaint.pk, extension_count=locked.extension_count
        ).update(updated_at=now, **changes)  # the statistics rollup refreshes changed cases
        if updated != 1:
            raise Conflict(
                _("Someone else changed this record at the same time; reload and try again.")
            )
    decided = ExtensionRequest.objects.filter(pk=request.pk, approved__isnull=True).update(
        approved=approve,
        decided_at=now,
        decided_by=actor,
        decision_reason=(reason or "").strip(),
        old_resolve_by=locked.resolve_by,
        new_resolve_by=changes.get("resolve_by", locked.resolve_by),
    )
    if decided != 1:
        raise Conflict(
            _("Someone else changed this record at the same time; reload and try again.")
        )
    request.refresh_from_db()
    # changes are already saved; _update records event and audit with the same values.
    complaint.resolve_by = locked.resolve_by
    complaint.extension_count = locked.extension_count
    _update(
        complaint,
        actor,
        "decide_extension",
        note=(reason or "").strip(),
        data={"approved": approve, "days": request.days, "request": request.pk},
        **changes,
    )
    if request.requested_by_id:
        requester_id = request.requested_by_id
        title = (
            _("Extension approved: %(number)s") if approve else _("Extension refused: %(number)s")
        ) % {"number": complaint.number}
        outbox_deliver(
            lambda: User.objects.filter(pk=requester_id, is_active=True),
            title=title,
            body=(reason or "").strip(),
            link=complaint_link(complaint),
            kind="complaint.extension_decided",
        )
    return request


@transaction.atomic
def complaint_override_sla(
    *, complaint: Complaint, actor: User, policy: SlaPolicy, reason: str
) -> Complaint:
    """Apply another time rule by hand: deadlines recomputed from the clock start, reason recorded.

    Completed pauses and approved extensions of the current round are applied again.
    """
    _allow(actor, complaint, "override_sla")
    reason = _required_text(reason, "reason")
    if policy is None or not policy.is_active:
        fail({"policy": [_("Select a valid choice.")]})
    if complaint.status in (Status.CLOSED, Status.REJECTED):
        raise Conflict(
            _("The action “%(action)s” is not allowed in the current state (%(state)s).")
            % {"action": "override_sla", "state": complaint.status}
        )
    start = complaint.clock_started_at or complaint.received_at
    deadlines = sla.compute_deadlines(policy, start)
    values: dict[str, Any] = {
        "sign_by": deadlines.sign_by,
        "feedback_by": deadlines.feedback_by,
        "resolve_by": deadlines.resolve_by,
    }
    uncertain = deadlines.uncertain
    cal = work_calendar.get_calendar()
    paused = sum(
        p.working_seconds
        for p in ComplaintPause.objects.filter(
            complaint=complaint, started_at__gte=start, ended_at__isnull=False
        )
    )
    if paused:
        for key, value in values.items():
            if value is not None:
                moved = cal.add_working_seconds(value, paused)
                values[key], uncertain = moved.at, uncertain or moved.uncertain
    for ext in ExtensionRequest.objects.filter(
        complaint=complaint, approved=True, decided_at__gte=start
    ):
        if values["resolve_by"] is not None:
            moved = cal.add_working_days(values["resolve_by"], ext.days)
            values["resolve_by"], uncertain = moved.at, uncertain or moved.uncertain
    now = clock.now()
    if values["resolve_by"] is not None and values["resolve_by"] > now:
        values["overdue_since"] = None
    _update(
        complaint,
        actor,
        "override_sla",
        note=reason,
        reason=reason,
        data={"policy": policy.code},
        sla_policy=policy,
        sla_override_reason=reason[:500],
        deadline_uncertain=uncertain,
        **values,
    )
    return complaint
