"""Escalation by hand (提级管理) and importance (一事一送 express report)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.core import audit, clock
from xiaoneng.core.errors import Conflict
from xiaoneng.core.models import User
from xiaoneng.core.notify import outbox_deliver
from xiaoneng.core.services.base import user_of

from ..models import Complaint, EscalationStep
from ..vocab import Importance
from .common import (
    _allow,
    _event,
    _require_state,
    _required_text,
    complaint_link,
    users_with_role,
)


@transaction.atomic
def complaint_escalate(*, complaint: Complaint, actor: User, reason: str) -> Complaint:
    """提级管理 by hand: one level up the chain (first inquiry → head → leader in charge → principal)."""
    from .. import escalation

    # The office or the handling side only: a registrar of another unit who still sees the case
    # must not push it up that unit's chain (issue 21 item 7).
    _allow(actor, complaint, "escalate")
    _require_state(complaint, "escalate")
    reason = _required_text(reason, "reason")
    level = complaint.escalation_level + 1
    if level > escalation.MAX_LEVEL:
        raise Conflict(_("The case is already at the principal leader."))
    now = clock.now()
    updated = Complaint.objects.filter(
        pk=complaint.pk, escalation_level=complaint.escalation_level, status=complaint.status
    ).update(escalation_level=level, updated_at=now)
    if updated != 1:
        raise Conflict(
            _("Someone else changed this record at the same time; reload and try again.")
        )
    complaint.escalation_level = level
    person = escalation.person_at_level(complaint, level)
    step = EscalationStep.objects.create(
        complaint=complaint,
        kind=EscalationStep.Kind.MANUAL,
        key=f"manual:r{complaint.redo_count}:l{level}:{now.timestamp():.0f}",
        level=level,
        person=person,
        at=now,
        reason=reason[:500],
    )
    _event(
        complaint,
        actor,
        "escalate",
        note=reason,
        at=now,
        data={"level": level, "person": person.pk if person else None},
        from_status=complaint.status,
        to_status=complaint.status,
    )
    audit.record(
        "escalate",
        complaint,
        before={"escalation_level": level - 1},
        after={"escalation_level": level},
        actor=actor,
        reason=reason,
    )
    user = user_of(person)
    if user is not None:
        outbox_deliver(
            [user],
            title=_("Complaint escalated to you: %(number)s") % {"number": complaint.number},
            body=reason,
            link=complaint_link(complaint),
            kind="complaint.escalated",
            dedup_key=f"complaint:{complaint.pk}:{step.key}",
        )
    return complaint


def _express_report(complaint: Complaint, actor: User | None, *, note: str) -> bool:
    """一事一送: the same-day express report, once per case (express_reported_at is the guard)."""
    now = clock.now()
    updated = Complaint.objects.filter(pk=complaint.pk, express_reported_at__isnull=True).update(
        importance=Importance.IMPORTANT, express_reported_at=now, updated_at=now
    )
    complaint.importance = Importance.IMPORTANT
    if not updated:
        return False
    complaint.express_reported_at = now
    unit = complaint.unit or complaint.subject_unit
    principal_id = unit.principal_id if unit else None

    def recipients():
        users = list(users_with_role("leader"))
        if principal_id:
            users += list(User.objects.filter(person_id=principal_id, is_active=True))
        return users

    outbox_deliver(
        recipients,
        title=_("Express report (一事一送): %(number)s %(title)s")
        % {"number": complaint.number, "title": complaint.title},
        body=note or complaint.content[:500],
        link=complaint_link(complaint),
        kind="complaint.express_report",
        dedup_key=f"complaint:{complaint.pk}:express",
    )
    return True


@transaction.atomic
def complaint_mark_important(*, complaint: Complaint, actor: User, note: str = "") -> Complaint:
    """Mark important and report it the same day to the principal leader and the bureau leaders."""
    _allow(actor, complaint, "mark_important")
    _require_state(complaint, "mark_important")
    was = complaint.importance
    sent = _express_report(complaint, actor, note=note)
    if not sent and was == Importance.IMPORTANT:
        return complaint  # already marked and reported: nothing to do
    if not sent:
        Complaint.objects.filter(pk=complaint.pk).update(importance=Importance.IMPORTANT)
    _event(
        complaint,
        actor,
        "mark_important",
        note=note,
        data={"express_report": sent},
        from_status=complaint.status,
        to_status=complaint.status,
    )
    audit.record(
        "mark_important",
        complaint,
        before={"importance": was},
        after={"importance": Importance.IMPORTANT, "express_reported": sent},
        actor=actor,
        reason=note,
    )
    return complaint
