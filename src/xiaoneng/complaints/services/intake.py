"""Registration of a complaint: number, tracking code, protected identity, SLA clock."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from xiaoneng.core import audit, clock, crypto
from xiaoneng.core.models import Department, Person, StoredFile, Unit, User
from xiaoneng.core.notify import outbox_deliver

from .. import policies, sla
from ..models import Category, ComplainantIdentity, Complaint
from ..vocab import Channel, Importance, Matter, Type
from .common import _event, _fail, _public_tracking_link, _require
from .identity import IDENTITY_FIELDS, normalise_phone
from .numbering import new_rating_key, new_tracking_code, next_number
from .priority import _express_report


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
    from ..duplicates import queue_check

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
