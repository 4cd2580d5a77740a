"""Reads of the public site. Nothing here needs a user: what the public may see of a case is
decided field by field (PublicCase), never by handing a Complaint to a template.

Never shown: internal notes, staff names (handlers, actors of the timeline), the complainant's
identity, non-public timeline events.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from xiaoneng.complaints import selectors as complaint_selectors
from xiaoneng.complaints.models import Category, ComplainantIdentity, Complaint
from xiaoneng.complaints.vocab import LimitUnit, PublicStatus, Satisfaction, Status
from xiaoneng.core.models import Department, Unit
from xiaoneng.selfcheck.selectors import public_commitments

from .models import PublicFeedback, ServiceStandard, SupervisionChannel

PUBLIC_STATUS: dict[str, PublicStatus] = {
    Status.REGISTERED: PublicStatus.RECEIVED,
    Status.ACCEPTED: PublicStatus.RECEIVED,
    Status.REJECTED: PublicStatus.NOT_ACCEPTED,
    Status.DISPATCHED: PublicStatus.IN_PROGRESS,
    Status.SIGNED: PublicStatus.IN_PROGRESS,
    Status.HANDLING: PublicStatus.IN_PROGRESS,
    Status.PAUSED: PublicStatus.IN_PROGRESS,
    Status.REPLIED: PublicStatus.ANSWERED,
    Status.VERIFIED: PublicStatus.ANSWERED,
    Status.VISITED: PublicStatus.ANSWERED,
    Status.CLOSED: PublicStatus.CLOSED,
}
# Public timeline steps and their public wording (other public events show as "updated").
EVENT_LABELS = {
    "register": PublicStatus.RECEIVED.label,
    "accept": PublicStatus.RECEIVED.label,
    "reject": PublicStatus.NOT_ACCEPTED.label,
    "reply": PublicStatus.ANSWERED.label,
    "close": PublicStatus.CLOSED.label,
}
RATEABLE = (Status.REPLIED, Status.VERIFIED, Status.VISITED, Status.CLOSED)


def public_status(complaint: Complaint) -> PublicStatus:
    return PUBLIC_STATUS.get(complaint.status, PublicStatus.IN_PROGRESS)


def time_limit_text(complaint: Complaint) -> str:
    """'We will answer within 7 working days.' from the case's time rule (its SLA policy)."""
    policy = complaint.sla_policy
    if policy is None or not policy.resolve_value:
        return _("We will answer as soon as possible.")
    n = policy.resolve_value
    if policy.resolve_unit == LimitUnit.WORKING_DAYS:
        text = ngettext(
            "We will answer within %(n)s working day.",
            "We will answer within %(n)s working days.",
            n,
        )
    elif policy.resolve_unit == LimitUnit.WORKING_HOURS:
        text = ngettext(
            "We will answer within %(n)s working hour.",
            "We will answer within %(n)s working hours.",
            n,
        )
    elif policy.resolve_unit == LimitUnit.MONTHS:
        text = ngettext(
            "We will answer within %(n)s month.", "We will answer within %(n)s months.", n
        )
    else:
        text = ngettext("We will answer within %(n)s day.", "We will answer within %(n)s days.", n)
    return text % {"n": n}


# --- home -------------------------------------------------------------------------------------
def channels() -> list[SupervisionChannel]:
    return list(SupervisionChannel.objects.filter(is_active=True))


def standards() -> list[ServiceStandard]:
    return list(ServiceStandard.objects.filter(is_active=True))


def commitments(limit: int = 20) -> list:
    """Public commitments (公开承诺) with their unit; the person only where they consented."""
    return public_commitments(limit=limit)


# --- the submission form ----------------------------------------------------------------------
def active_units():
    return Unit.objects.filter(is_active=True).order_by("path")


def active_departments():
    return (
        Department.objects.filter(is_active=True, unit__is_active=True)
        .select_related("unit")
        .order_by("unit__path", "sort_order", "id")
    )


def active_categories():
    return Category.objects.filter(is_active=True).order_by("sort_order", "id")


# --- tracking ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class PublicEvent:
    at: dt.datetime
    action: str
    label: str


@dataclass(frozen=True)
class PublicCase:
    number: str
    tracking_code: str
    type: str
    type_label: str
    category: str
    unit: str
    department: str
    status: str
    status_label: str
    reject_reason: str
    reply: str
    received_at: dt.datetime
    resolve_by: dt.datetime | None
    replied_at: dt.datetime | None
    closed_at: dt.datetime | None
    time_limit: str
    named: bool
    rateable: bool
    satisfaction: str
    satisfaction_label: str
    redo_requested: bool
    timeline: list[PublicEvent] = field(default_factory=list)


def needs_phone(complaint: Complaint) -> bool:
    """Named cases (a phone was given) are tracked with the code + the phone's last 4 digits."""
    return ComplainantIdentity.objects.filter(complaint=complaint).exclude(phone_last4="").exists()


def find_case(code: str) -> Complaint | None:
    complaint = complaint_selectors.find_by_tracking_code(code)
    if complaint is None:
        return None
    return (
        Complaint.objects.select_related(
            "category", "subject_unit", "subject_department", "sla_policy"
        )
        .filter(pk=complaint.pk)
        .first()
    )


def feedback_of(complaint: Complaint) -> PublicFeedback | None:
    return PublicFeedback.objects.filter(complaint=complaint).first()


def can_rate(complaint: Complaint, feedback: PublicFeedback | None = None) -> bool:
    return complaint.status in RATEABLE and feedback is None


def _engine_view(complaint: Complaint):
    """The engine's public view (complaints.selectors.public_view: a merged duplicate follows its
    parent), or None while the engine does not offer one."""
    view = getattr(complaint_selectors, "public_view", None)
    return view(complaint) if view is not None else None


def public_case(complaint: Complaint) -> PublicCase:
    """What the complainant sees: public words, the public reply, dates, the public timeline."""
    feedback = feedback_of(complaint)
    engine_view = _engine_view(complaint)
    if engine_view is not None:
        status = PublicStatus(engine_view.status)
        merged = bool(getattr(engine_view, "merged", False))
        reject_reason, reply = engine_view.reject_reason, engine_view.reply
        replied_at, closed_at = engine_view.replied_at, engine_view.closed_at
        resolve_by = engine_view.resolve_by
        events = [
            PublicEvent(
                at=e["at"],
                action=e["action"],
                label=str(
                    EVENT_LABELS.get(e["action"])
                    or (
                        _("Merged with a case about the same matter")
                        if e["action"] == "merge"
                        else ""
                    )
                    or PublicStatus(e["status"]).label
                ),
            )
            for e in engine_view.events
            if e.get("at") is not None
        ]
    else:
        status = public_status(complaint)
        merged = False
        reject_reason, reply = complaint.reject_reason, complaint.reply
        replied_at, closed_at = complaint.replied_at, complaint.closed_at
        resolve_by = complaint.resolve_by
        events = [
            PublicEvent(
                at=e.at, action=e.action, label=str(EVENT_LABELS.get(e.action) or _("Updated"))
            )
            for e in complaint_selectors.timeline(complaint, public_only=True).order_by("at", "id")
        ]
    satisfaction = feedback.satisfaction if feedback else ""
    return PublicCase(
        number=complaint.number,
        tracking_code=complaint.tracking_code,
        type=complaint.type,
        type_label=str(complaint.get_type_display()),
        category=complaint.category.name,
        unit=complaint.subject_unit.name,
        department=complaint.subject_department.name if complaint.subject_department else "",
        status=status.value,
        status_label=str(status.label),
        reject_reason=reject_reason if status == PublicStatus.NOT_ACCEPTED else "",
        reply=reply if status in (PublicStatus.ANSWERED, PublicStatus.CLOSED) else "",
        received_at=complaint.received_at,
        resolve_by=resolve_by,
        replied_at=replied_at,
        closed_at=closed_at,
        time_limit=time_limit_text(complaint),
        named=needs_phone(complaint),
        # A merged duplicate is answered through its parent: the parent's complainant rates it.
        rateable=not merged and can_rate(complaint, feedback),
        satisfaction=satisfaction,
        satisfaction_label=str(Satisfaction(satisfaction).label) if satisfaction else "",
        redo_requested=bool(feedback and feedback.redo_requested),
        timeline=events,
    )
