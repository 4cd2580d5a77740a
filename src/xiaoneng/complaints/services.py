"""Complaint writes. Every function: keyword-only, atomic, validated, audited, timeline event,
side effects (inbox) on commit. Illegal transitions raise core.errors.Conflict (409).

Rules (PRODUCT.md "Complaint rules", "Time rules"): numbers TS + year + 6 digits, gap-free per
year; the identity is encrypted and every read audited; the lifecycle is ``workflow.MACHINE``;
the clock starts at ``received_at`` with deadlines from the matching ``SlaPolicy`` (sla.py);
pauses extend the deadlines by the paused working time; extensions need the office's approval.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from xiaoneng.core import audit, clock, crypto
from xiaoneng.core import calendar as work_calendar
from xiaoneng.core.errors import Conflict, Forbidden, ValidationFailed
from xiaoneng.core.models import Department, Person, StoredFile, Unit, User
from xiaoneng.core.notify import outbox_deliver
from xiaoneng.core.services.base import require_permission, require_writable

from . import policies, sla
from .models import (
    Category,
    ComplainantIdentity,
    Complaint,
    ComplaintEvent,
    ComplaintPause,
    ComplaintRules,
    ComplaintSequence,
    EscalationStep,
    ExtensionRequest,
    SlaPolicy,
)
from .signals import complaint_verified, complaint_verified_true
from .vocab import (
    Channel,
    Importance,
    Matter,
    Satisfaction,
    Status,
    Type,
    Verification,
)
from .workflow import MACHINE, NON_TRANSITIONS

# Unambiguous alphabet for tracking codes (no 0/O, 1/I/L): 31^12 ≈ 7.9e17 codes.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_LENGTH = 12
RATING_KEY_LENGTH = 8
IDENTITY_FIELDS = ("name", "phone", "id_number", "address")


# --- helpers -----------------------------------------------------------------------------------
def complaint_link(complaint: Complaint) -> str:
    try:
        return reverse("complaints:detail", args=[complaint.pk])
    except NoReverseMatch:  # a link must never block a write
        return f"/complaints/{complaint.pk}/"


def actor_name(actor: User | None) -> str:
    if actor is None:
        return "系统"
    return actor.display_name if actor.person_id else actor.username


def users_with_role(code: str, *, unit: Unit | None = None):
    qs = User.objects.filter(is_active=True, roles__code=code)
    if unit is not None:
        qs = qs.filter(person__unit=unit)
    return qs.distinct()


def user_of(person: Person | None) -> User | None:
    if person is None:
        return None
    try:
        user = person.user
    except User.DoesNotExist:
        return None
    return user if user.is_active else None


def normalise_phone(value: str) -> str:
    """Digits only, without the +86 / 0086 / 86 country prefix (13800138000)."""
    digits = re.sub(r"\D", "", value or "")
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) >= 11:
            return digits[len(prefix) :]
    return digits


def new_tracking_code() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def new_rating_key() -> str:
    """The second complainant secret (31^8 ≈ 8.5e11 keys), shown only on the receipt."""
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(RATING_KEY_LENGTH))


def normalise_key(value: str) -> str:
    """What the complainant typed: upper case, without spaces or dashes."""
    return re.sub(r"[\s\-]", "", str(value or "")).upper()


def rating_key_matches(complaint: Complaint, given: str) -> bool:
    """The rating key printed on the receipt (constant-time compare; empty never matches)."""
    expected = crypto.decrypt(complaint.rating_key_enc)
    given = normalise_key(given)
    if not expected or not given:
        return False
    return secrets.compare_digest(expected.encode(), given.encode())


def receipt_secrets(complaint: Complaint) -> dict[str, str]:
    """The complainant's secrets for a receipt (submit responses and their idempotent replays
    only; never a staff read): the tracking code and the rating key."""
    key = getattr(complaint, "rating_key", "") or crypto.decrypt(complaint.rating_key_enc)
    return {"tracking_code": complaint.tracking_code, "rating_key": key}


def next_number(year: int) -> str:
    """The next gap-free number of `year`, inside the caller's transaction.

    ``UPDATE … SET last = last + 1`` row-locks the counter until the creating transaction ends,
    so concurrent registrations queue up and a rolled-back one gives its number back. The first
    registration of a year creates the row; losing that race (IntegrityError) falls back to UPDATE.
    """
    table = ComplaintSequence._meta.db_table
    sql = f"UPDATE {table} SET last = last + 1 WHERE year = %s RETURNING last"  # one round trip
    with connection.cursor() as cursor:
        cursor.execute(sql, [year])
        row = cursor.fetchone()
        if row is None:
            try:
                with transaction.atomic():
                    ComplaintSequence.objects.create(year=year, last=1)
                row = (1,)
            except IntegrityError:
                cursor.execute(sql, [year])
                row = cursor.fetchone()
    return f"TS{year}{row[0]:06d}"


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
    return ComplaintEvent.objects.create(
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
    """MACHINE.apply (conditional UPDATE → Conflict on a lost race) + timeline event + audit."""
    now = clock.now()
    before = audit.snapshot(complaint)
    source = complaint.status
    target = MACHINE.apply(complaint, name, updated_at=now, **changes)
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
    b, a = audit.diff(before, audit.snapshot(complaint))
    audit.record(name, complaint, before=b, after=a, actor=actor, reason=reason or note)
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


def _require(actor: User | None, code: str) -> None:
    require_permission(actor, code)
    require_writable(actor)


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
        raise ValidationFailed(
            _("Please correct the errors below."),
            errors={field: [message or _("This field is required.")]},
        )
    return text


def _fail(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), errors=errors)


def _locked(complaint: Complaint) -> Complaint:
    """Row-lock the complaint (PostgreSQL) for read-modify-write of counters."""
    return Complaint.objects.select_for_update().get(pk=complaint.pk)


# --- intake ------------------------------------------------------------------------------------
@transaction.atomic
def complaint_register(
    *,
    actor: User | None,
    channel: str,
    type: str,
    category: Category,
    subject_unit: Unit,
    title: str,
    content: str,
    received_at: datetime | None = None,
    subject_department: Department | None = None,
    subject_person: Person | None = None,
    subject_person_name: str = "",
    matter: str = "general",
    importance: str = "normal",
    price_related: bool = False,
    complex_matter: bool = False,
    multi_department: bool = False,
    external_ref: str = "",
    complainant: dict[str, Any] | None = None,
    consent_publish: bool = False,
    attachments: list[StoredFile] = (),
    sms_receipt: bool = False,
) -> Complaint:
    """Register a complaint: number, tracking code, protected identity, SLA clock from received_at.

    ``actor=None`` is an intake by the system (public channels); staff need complaint.register.
    A named complainant gets the tracking code by SMS when nobody can hand over the receipt:
    ``sms_receipt`` (an integrator's intake, e.g. Open311) or a registrar who may not read the
    identity (docs/SECURITY.md "Complainant secrets and files").
    """
    if actor is not None:
        _require(actor, "complaint.register")
    now = clock.now()
    received_at = received_at or now
    if timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at)
    errors: dict[str, list[str]] = {}
    if not (title or "").strip():
        errors["title"] = [_("This field is required.")]
    if not (content or "").strip():
        errors["content"] = [_("This field is required.")]
    if received_at > now:
        errors["received_at"] = [_("The time received cannot be in the future.")]
    for field, value, choices in (
        ("channel", channel, Channel.values),
        ("type", type, Type.values),
        ("matter", matter, Matter.values),
        ("importance", importance, Importance.values),
    ):
        if value not in choices:
            errors[field] = [_("Select a valid choice.")]
    if category is None or not category.is_active:
        errors["category"] = [_("Select a valid choice.")]
    if subject_unit is None or not subject_unit.is_active:
        errors["subject_unit"] = [_("Select a valid choice.")]
    elif subject_department is not None and subject_department.unit_id != subject_unit.pk:
        errors["subject_department"] = [_("This department does not belong to the unit.")]
    if (
        subject_person is not None
        and subject_unit is not None
        and not subject_person.unit.path.startswith(subject_unit.path)
    ):
        errors["subject_person"] = [_("This person does not work in the unit.")]
    complainant = dict(complainant or {})
    values = {k: str(complainant.get(k) or "").strip() for k in IDENTITY_FIELDS}
    if values["phone"] and not normalise_phone(values["phone"]):
        errors["phone"] = [_("Enter a valid phone number.")]
    _fail(errors)
    anonymous = bool(complainant.get("anonymous")) or not (values["name"] or values["phone"])

    rating_key = new_rating_key()
    complaint = Complaint(
        tracking_code=new_tracking_code(),
        rating_key_enc=crypto.encrypt(rating_key),
        channel=channel,
        type=type,
        category=category,
        matter=matter,
        received_at=received_at,
        registered_at=now,
        registered_by=actor,
        subject_unit=subject_unit,
        subject_department=subject_department,
        subject_person=subject_person,
        subject_person_name=(subject_person_name or "")[:100],
        title=title.strip(),
        content=content.strip(),
        importance=importance,
        price_related=price_related,
        complex_matter=complex_matter,
        multi_department=multi_department,
        anonymous=anonymous,
        consent_publish=consent_publish,
        external_ref=external_ref or "",
    )
    policy = sla.select_policy(complaint)
    deadlines = sla.compute_deadlines(policy, received_at)
    complaint.sla_policy = policy
    complaint.clock_started_at = received_at
    complaint.sign_by = deadlines.sign_by
    complaint.feedback_by = deadlines.feedback_by
    complaint.resolve_by = deadlines.resolve_by
    complaint.deadline_uncertain = deadlines.uncertain
    complaint.duplicates_pending = True
    complaint.number = next_number(timezone.localtime(now).year)
    complaint.save()
    complaint.rating_key = rating_key  # for the receipt of this request only; never stored plain
    if attachments:
        complaint.attachments.set(list(attachments))
    phone = normalise_phone(values["phone"])
    if any(values.values()):
        ComplainantIdentity.objects.create(
            complaint=complaint,
            name_enc=crypto.encrypt(values["name"]),
            phone_enc=crypto.encrypt(phone),
            id_number_enc=crypto.encrypt(values["id_number"].upper()),
            address_enc=crypto.encrypt(values["address"]),
            phone_index=crypto.blind_index(phone),
            phone_last4=phone[-4:],
        )
    _event(
        complaint,
        actor,
        "register",
        to_status=complaint.status,
        public=True,
        at=now,
        data={"policy": policy.code if policy else None},
    )
    audit.record(
        "create",
        complaint,
        after=audit.snapshot(complaint, exclude=("updated_at", "tracking_code", "rating_key_enc")),
        actor=actor,
    )
    hidden_from_registrar = actor is not None and not policies.can_view_identity(actor, complaint)
    if phone and (sms_receipt or hidden_from_registrar):
        _send_receipt_sms(complaint, phone)
    if importance == Importance.IMPORTANT:
        _express_report(complaint, actor, note="")
    # Possible duplicates for the office (issue 4): found by the worker after commit, so the
    # intake neither waits for the detector nor holds the number sequence while it runs.
    from .duplicates import queue_check

    transaction.on_commit(partial(queue_check, complaint.pk))
    return complaint


def _send_receipt_sms(complaint: Complaint, phone: str) -> None:
    """A named complainant registered by staff who may not see the receipt (e.g. the unit's own
    complaint desk) gets the tracking code by SMS instead: it never appears on their screen."""
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Your case %(number)s has been registered.") % {"number": complaint.number}
        body = _(
            "Tracking code %(code)s: with it and the last 4 digits of this phone you can follow "
            "your case on the public site."
        ) % {"code": complaint.tracking_code}
    outbox_deliver(
        [],
        title=title,
        body=body,
        link=_public_tracking_link(),
        kind="complaint.receipt",
        dedup_key=f"complaint:{complaint.pk}:receipt",
        phones=[phone],
    )


# --- office ------------------------------------------------------------------------------------
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
    _fail(errors)
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


# --- unit --------------------------------------------------------------------------------------
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
        _fail({"handler": [_("The handler must be a person of the responsible unit.")]})
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
    _fail(errors)
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
        ).update(**changes)
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


def _public_tracking_link() -> str:
    try:
        return reverse("portal:track")
    except NoReverseMatch:  # the public site is not installed
        return ""


# --- verification and close ------------------------------------------------------------------
@transaction.atomic
def complaint_verify(*, complaint: Complaint, actor: User, result: str) -> Complaint:
    """属实 / 部分属实 / 不属实 / 无法核实; true or partly true tells the rectification ledger."""
    _allow(actor, complaint, "verify")
    _require_state(complaint, "verify")
    if result not in Verification.values:
        _fail({"result": [_("Select a valid choice.")]})
    _transition(complaint, "verify", actor, data={"result": result}, verification=result)
    complaint_verified.send(sender=Complaint, complaint=complaint, result=result, actor=actor)
    if result in (Verification.TRUE, Verification.PARTLY_TRUE):
        transaction.on_commit(
            lambda: complaint_verified_true.send(sender=Complaint, complaint=complaint)
        )
    return complaint


@transaction.atomic
def complaint_return_visit(
    *, complaint: Complaint, actor: User, satisfaction: str, note: str = ""
) -> Complaint:
    """回访; unsatisfied → 重办: back to handling with a fresh clock from now."""
    _allow(actor, complaint, "return_visit")
    _require_state(complaint, "return_visit")
    if satisfaction not in Satisfaction.values:
        _fail({"satisfaction": [_("Select a valid choice.")]})
    _transition(
        complaint,
        "return_visit",
        actor,
        note=note,
        data={"satisfaction": satisfaction},
        satisfaction=satisfaction,
    )
    if satisfaction == Satisfaction.UNSATISFIED:
        _restart(complaint, actor, "redo", note=note)
    return complaint


def _restart(complaint: Complaint, actor: User, name: str, *, note: str) -> None:
    """A new handling round (重办 / reopen): fresh deadlines from now, escalation starts again."""
    now = clock.now()
    deadlines = sla.compute_deadlines(complaint.sla_policy, now)
    _transition(
        complaint,
        name,
        actor,
        note=note,
        data={"round": complaint.redo_count + 1},
        clock_started_at=now,
        feedback_by=deadlines.feedback_by,
        resolve_by=deadlines.resolve_by,
        deadline_uncertain=deadlines.uncertain,
        overdue_since=None,
        escalation_level=0,
        redo_count=complaint.redo_count + 1,
        closed_at=None,
    )


@transaction.atomic
def complaint_reopen(*, complaint: Complaint, actor: User, reason: str) -> Complaint:
    """The office reopens a closed (or visited) case: a new handling round with a fresh clock."""
    _allow(actor, complaint, "reopen")
    _require_state(complaint, "reopen")
    reason = _required_text(reason, "reason")
    _restart(complaint, actor, "reopen", note=reason)
    return complaint


@transaction.atomic
def complaint_close(*, complaint: Complaint, actor: User, note: str = "") -> Complaint:
    """办结 (public)."""
    _allow(actor, complaint, "close")
    return _transition(complaint, "close", actor, note=note, public=True, closed_at=clock.now())


# --- escalation and importance ----------------------------------------------------------------
@transaction.atomic
def complaint_escalate(*, complaint: Complaint, actor: User, reason: str) -> Complaint:
    """提级管理 by hand: one level up the chain (first inquiry → head → leader in charge → principal)."""
    from . import escalation

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
        _fail({"policy": [_("Select a valid choice.")]})
    if complaint.status in (Status.CLOSED, Status.REJECTED):
        raise Conflict(
            _("The action “%(action)s” is not allowed in the current state (%(state)s).")
            % {"action": "override_sla", "state": complaint.status}
        )
    start = complaint.clock_started_at or complaint.received_at
    deadlines = sla.compute_deadlines(policy, start)
    values = {
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


# --- the protected identity -------------------------------------------------------------------
@transaction.atomic
def identity_read(*, complaint: Complaint, actor: User, reason: str = "") -> dict[str, Any]:
    """Decrypt the complainant identity for a user with complainant.view; audited every time.

    Never for a user of the unit complained about or the responsible unit, even with the
    permission (PRODUCT.md: never passed to the unit or person complained about).
    """
    if actor is None or not policies.can_view_identity(actor, complaint):
        raise Forbidden(_("You do not have permission to do this."))
    identity = ComplainantIdentity.objects.filter(complaint=complaint).first()
    audit.record("view_sensitive", complaint, actor=actor, reason=(reason or "").strip())
    data: dict[str, Any] = {
        "anonymous": complaint.anonymous,
        "tracking_code": complaint.tracking_code,
    }
    if identity is None:
        data.update({k: "" for k in IDENTITY_FIELDS}, phone_last4="")
        return data
    data.update(
        name=crypto.decrypt(identity.name_enc),
        phone=crypto.decrypt(identity.phone_enc),
        id_number=crypto.decrypt(identity.id_number_enc),
        address=crypto.decrypt(identity.address_enc),
        phone_last4=identity.phone_last4,
    )
    return data


def complaints_by_phone(*, phone: str):
    """Complaints from the same phone (blind index; no decryption)."""
    index = crypto.blind_index(normalise_phone(phone))
    return (
        Complaint.objects.filter(identity__phone_index=index) if index else Complaint.objects.none()
    )


def tracking_matches(complaint: Complaint, phone_last4: str) -> bool:
    """The public tracking check: the code plus the last four digits of the phone given."""
    identity = ComplainantIdentity.objects.filter(complaint=complaint).first()
    if identity is None or not identity.phone_last4:
        return False
    given = (phone_last4 or "").strip()[-4:]
    # Bytes: compare_digest refuses non-ASCII str, and any text may arrive here from the public.
    return secrets.compare_digest(identity.phone_last4.encode(), given.encode())


__all__ = [
    "ComplaintRules",
    "complaint_accept",
    "complaint_assign",
    "complaint_close",
    "complaint_decide_extension",
    "complaint_dispatch",
    "complaint_escalate",
    "complaint_mark_important",
    "complaint_override_sla",
    "complaint_pause",
    "complaint_register",
    "complaint_reject",
    "complaint_reopen",
    "complaint_reply",
    "complaint_request_extension",
    "complaint_resume",
    "complaint_return_visit",
    "complaint_send_back",
    "complaint_sign",
    "complaint_verify",
    "identity_read",
]
