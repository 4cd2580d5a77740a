"""The responsible unit: sign (签收), send back (退单), assign, pause / resume, reply
(有访必复)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from xiaoneng.core import calendar as work_calendar
from xiaoneng.core import clock, crypto
from xiaoneng.core.errors import Conflict, ValidationFailed
from xiaoneng.core.models import Person, User
from xiaoneng.core.notify import outbox_deliver
from xiaoneng.core.services.base import fail

from .. import sla
from ..models import ComplainantIdentity, Complaint, ComplaintEvent, ComplaintPause
from .common import (
    _public_tracking_link,
    _require_handler,
    _require_state,
    _required_text,
    _transition,
    complaint_link,
    users_with_role,
)


@transaction.atomic
def complaint_sign(*, complaint: Complaint, actor: User) -> Complaint:
    """签收: the signer becomes the first-inquiry person and handler (首问负责制)."""
    _require_handler(actor, complaint, "sign")
    _require_state(complaint, "sign")
    if not actor.person_id:
        raise ValidationFailed(
            _("Your account is not linked to a person, so you cannot sign for cases."),
            errors={"actor": [_("Your account is not linked to a person.")]},
        )
    return _transition(
        complaint,
        "sign",
        actor,
        signed_at=clock.now(),
        first_inquiry_person=actor.person,
        handler=actor.person,
    )


def dispatched_at(complaint: Complaint) -> datetime | None:
    return (
        ComplaintEvent.objects.filter(complaint=complaint, action="dispatch")
        .order_by("-at", "-id")
        .values_list("at", flat=True)
        .first()
    )


@transaction.atomic
def complaint_send_back(*, complaint: Complaint, actor: User, reason: str) -> Complaint:
    """退单: a wrong unit returns the case with the reason within N working days of dispatch
    (ComplaintRules.send_back_limit_working_days; Shandong 12345 rules: 2). The office re-dispatches."""
    _require_handler(actor, complaint, "send_back")
    _require_state(complaint, "send_back")
    reason = _required_text(reason, "reason", _("Give the reason for sending the case back."))
    limit = sla.current_rules().send_back_limit_working_days
    since = dispatched_at(complaint)
    if since is not None and clock.now() > work_calendar.add_working_days(since, limit).at:
        raise Conflict(
            _("A case can only be sent back within %(days)s working days of dispatch.")
            % {"days": limit}
        )
    unit_id = complaint.unit_id
    _transition(
        complaint,
        "send_back",
        actor,
        note=reason,
        data={"unit": unit_id},
        handler=None,
        first_inquiry_person=None,
        signed_at=None,
    )
    outbox_deliver(
        lambda: users_with_role("office"),
        title=_("Complaint sent back: %(number)s") % {"number": complaint.number},
        body=reason,
        link=complaint_link(complaint),
        kind="complaint.sent_back",
    )
    return complaint


@transaction.atomic
def complaint_assign(*, complaint: Complaint, actor: User, handler: Person) -> Complaint:
    """Assign the handler: a person of the responsible unit."""
    _require_handler(actor, complaint, "assign")
    _require_state(complaint, "assign")
    if handler is None or handler.unit_id != complaint.unit_id or not handler.is_active:
        fail({"handler": [_("The handler must be a person of the responsible unit.")]})
    return _transition(
        complaint,
        "assign",
        actor,
        data={"handler": handler.pk},
        note=handler.name,
        handler=handler,
    )


@transaction.atomic
def complaint_pause(*, complaint: Complaint, actor: User, reason: str) -> Complaint:
    """Waiting for the complainant stops the clock; the pause is ledgered."""
    _require_handler(actor, complaint, "pause")
    _require_state(complaint, "pause")
    reason = _required_text(reason, "reason")
    now = clock.now()
    _transition(
        complaint, "pause", actor, note=reason, paused_at=now, status_before_pause=complaint.status
    )
    ComplaintPause.objects.create(complaint=complaint, started_at=now, reason=reason[:500])
    return complaint


@transaction.atomic
def complaint_resume(*, complaint: Complaint, actor: User, note: str = "") -> Complaint:
    """Restart the clock: deadlines still ahead when the pause began move by the paused working time."""
    _require_handler(actor, complaint, "resume")
    _require_state(complaint, "resume")
    now = clock.now()
    started = complaint.paused_at or now
    cal = work_calendar.get_calendar()
    seconds = cal.working_seconds_between(started, now)
    changes: dict[str, Any] = {"paused_at": None, "status_before_pause": ""}
    uncertain = complaint.deadline_uncertain
    for field in ("sign_by", "feedback_by", "resolve_by"):
        value = getattr(complaint, field)
        if value is not None and value > started and seconds > 0:
            moved = cal.add_working_seconds(value, seconds)
            changes[field] = moved.at
            uncertain = uncertain or moved.uncertain
    changes["deadline_uncertain"] = uncertain
    _transition(
        complaint, "resume", actor, note=note, data={"paused_working_seconds": seconds}, **changes
    )
    pause = (
        ComplaintPause.objects.filter(complaint=complaint, ended_at__isnull=True)
        .order_by("-started_at")
        .first()
    )
    if pause is not None:
        pause.ended_at = now
        pause.working_seconds = seconds
        pause.save(update_fields=["ended_at", "working_seconds"])
    return complaint


@transaction.atomic
def complaint_reply(
    *, complaint: Complaint, actor: User, content: str, to_supervisor: bool = False
) -> Complaint:
    """有访必复: the answer to the complainant (public), optionally recorded to the supervising department."""
    _require_handler(actor, complaint, "reply")
    _require_state(complaint, "reply")
    content = _required_text(content, "content")
    _transition(
        complaint,
        "reply",
        actor,
        note=content,
        public=True,
        data={"to_supervisor": bool(to_supervisor)},
        reply=content,
        replied_at=clock.now(),
        reported_to_supervisor=bool(to_supervisor) or complaint.reported_to_supervisor,
    )
    _tell_complainant_replied(complaint)
    return complaint


def _tell_complainant_replied(complaint: Complaint) -> None:
    """An SMS to a named complainant's phone: the answer is on the public site (有访必复)."""
    identity = ComplainantIdentity.objects.filter(complaint=complaint).first()
    if complaint.anonymous or identity is None or not identity.phone_enc:
        return
    # The complainant reads Chinese whatever language the handler's browser uses.
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Your case %(number)s has been answered.") % {"number": complaint.number}
        body = _(
            "Enter tracking code %(code)s on the public site to read the answer and rate it."
        ) % {"code": complaint.tracking_code}
    outbox_deliver(
        [],
        title=title,
        body=body,
        link=_public_tracking_link(),
        kind="complaint.replied",
        dedup_key=f"complaint:{complaint.pk}:replied:r{complaint.redo_count}",
        phones=[crypto.decrypt(identity.phone_enc)],
    )
