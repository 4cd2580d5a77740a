"""Registration of a complaint: number, tracking code, protected identity, SLA clock."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from xiaoneng.core import audit, batch, clock, crypto
from xiaoneng.core.models import Department, Person, StoredFile, Unit, User
from xiaoneng.core.notify import outbox_deliver
from xiaoneng.core.services.base import check_department, fail, require

from .. import policies, sla
from ..models import Category, ComplainantIdentity, Complaint, SlaPolicy
from ..vocab import Channel, Importance, Matter, Type
from .common import _event, _public_tracking_link
from .identity import IDENTITY_FIELDS, normalise_phone
from .numbering import late_number_and_id, new_rating_key, new_tracking_code, next_number
from .priority import _express_report


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
    attachments: Sequence[StoredFile] = (),
    sms_receipt: bool = False,
    savepoint: bool = True,
) -> Complaint:
    """Register a complaint: number, tracking code, protected identity, SLA clock from received_at.

    ``actor=None`` is an intake by the system (public channels); staff need complaint.register.
    A named complainant gets the tracking code by SMS when nobody can hand over the receipt:
    ``sms_receipt`` (an integrator's intake, e.g. Open311) or a registrar who may not read the
    identity (docs/SECURITY.md "Complainant secrets and files").

    ``savepoint=False`` when the caller rolls its whole transaction back on any error (the
    public intake: two round trips fewer). Inside a ``core.batch.deferred()`` block the case,
    its identity, event and audit record are written with the batch (one statement).
    """
    with transaction.atomic(savepoint=savepoint):
        return _register(
            actor=actor,
            channel=channel,
            type=type,
            category=category,
            subject_unit=subject_unit,
            title=title,
            content=content,
            received_at=received_at,
            subject_department=subject_department,
            subject_person=subject_person,
            subject_person_name=subject_person_name,
            matter=matter,
            importance=importance,
            price_related=price_related,
            complex_matter=complex_matter,
            multi_department=multi_department,
            external_ref=external_ref,
            complainant=complainant,
            consent_publish=consent_publish,
            attachments=attachments,
            sms_receipt=sms_receipt,
        )


def _register(
    *,
    actor: User | None,
    channel: str,
    type: str,
    category: Category,
    subject_unit: Unit,
    title: str,
    content: str,
    received_at: datetime | None,
    subject_department: Department | None,
    subject_person: Person | None,
    subject_person_name: str,
    matter: str,
    importance: str,
    price_related: bool,
    complex_matter: bool,
    multi_department: bool,
    external_ref: str,
    complainant: dict[str, Any] | None,
    consent_publish: bool,
    attachments: Sequence[StoredFile],
    sms_receipt: bool,
) -> Complaint:
    if actor is not None:
        require(actor, "complaint.register")
    now = clock.now()
    received_at = received_at or now
    if timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at)
    complainant = dict(complainant or {})
    values = {k: str(complainant.get(k) or "").strip() for k in IDENTITY_FIELDS}
    fail(
        _intake_errors(
            now=now,
            received_at=received_at,
            title=title,
            content=content,
            choices={"channel": channel, "type": type, "matter": matter, "importance": importance},
            category=category,
            subject_unit=subject_unit,
            subject_department=subject_department,
            subject_person=subject_person,
            phone=values["phone"],
        )
    )
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
    policy = _start_clock(complaint, received_at)
    complaint.duplicates_pending = True
    year = timezone.localtime(now).year
    if batch.is_open():  # number and id taken with the batch's statement (issue #18)
        complaint.number, complaint.pk = late_number_and_id(year)
        batch.insert(complaint)
    else:
        complaint.number = next_number(year)
        complaint.save()
    complaint.rating_key = rating_key  # for the receipt of this request only; never stored plain
    if attachments:
        batch.flush()  # the case's row before the rows that read it
        complaint.attachments.set(list(attachments))
    phone = normalise_phone(values["phone"])
    if any(values.values()):
        _store_identity(complaint, values, phone)
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
        batch.flush()
        _send_receipt_sms(complaint, phone)
    if importance == Importance.IMPORTANT:
        batch.flush()
        _express_report(complaint, actor, note="")
    # Possible duplicates for the office (issue 4): found by the worker after commit, so the
    # intake neither waits for the detector nor holds the number sequence while it runs.
    from ..duplicates import queue_check

    transaction.on_commit(lambda: queue_check(complaint.pk))  # the pk as written
    return complaint


CHOICES = {
    "channel": Channel.values,
    "type": Type.values,
    "matter": Matter.values,
    "importance": Importance.values,
}


def _intake_errors(
    *,
    now: datetime,
    received_at: datetime,
    title: str,
    content: str,
    choices: dict[str, str],
    category: Category | None,
    subject_unit: Unit | None,
    subject_department: Department | None,
    subject_person: Person | None,
    phone: str,
) -> dict[str, list[str]]:
    """Every field error of a registration at once (empty: it may go ahead)."""
    errors: dict[str, list[str]] = {}
    if not (title or "").strip():
        errors["title"] = [_("This field is required.")]
    if not (content or "").strip():
        errors["content"] = [_("This field is required.")]
    if received_at > now:
        errors["received_at"] = [_("The time received cannot be in the future.")]
    for field, value in choices.items():
        if value not in CHOICES[field]:
            errors[field] = [_("Select a valid choice.")]
    if category is None or not category.is_active:
        errors["category"] = [_("Select a valid choice.")]
    if subject_unit is None or not subject_unit.is_active:
        errors["subject_unit"] = [_("Select a valid choice.")]
    else:
        check_department(subject_unit, subject_department, errors, "subject_department")
    if (
        subject_person is not None
        and subject_unit is not None
        and not subject_person.unit.path.startswith(subject_unit.path)
    ):
        errors["subject_person"] = [_("This person does not work in the unit.")]
    if phone and not normalise_phone(phone):
        errors["phone"] = [_("Enter a valid phone number.")]
    return errors


def _start_clock(complaint: Complaint, received_at: datetime) -> SlaPolicy | None:
    """The matching time rule and its deadlines, counted from when the complaint was received."""
    policy = sla.select_policy(complaint)
    deadlines = sla.compute_deadlines(policy, received_at)
    complaint.sla_policy = policy
    complaint.clock_started_at = received_at
    complaint.sign_by = deadlines.sign_by
    complaint.feedback_by = deadlines.feedback_by
    complaint.resolve_by = deadlines.resolve_by
    complaint.deadline_uncertain = deadlines.uncertain
    return policy


def _store_identity(complaint: Complaint, values: dict[str, str], phone: str) -> None:
    """The complainant's identity, encrypted; the phone also as a blind index and last 4 digits."""
    identity = ComplainantIdentity(
        complaint=complaint,
        name_enc=crypto.encrypt(values["name"]),
        phone_enc=crypto.encrypt(phone),
        id_number_enc=crypto.encrypt(values["id_number"].upper()),
        address_enc=crypto.encrypt(values["address"]),
        phone_index=crypto.blind_index(phone),
        phone_last4=phone[-4:],
    )
    batch.insert(identity)


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
