"""The protected identity of the complainant: encrypted, every read audited; phone lookups
by blind index; the public tracking check."""

from __future__ import annotations

import re
import secrets
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.core import audit, crypto
from xiaoneng.core.errors import Forbidden
from xiaoneng.core.models import User

from .. import policies
from ..models import ComplainantIdentity, Complaint

IDENTITY_FIELDS = ("name", "phone", "id_number", "address")


def normalise_phone(value: str) -> str:
    """Digits only, without the +86 / 0086 / 86 country prefix (13800138000)."""
    digits = re.sub(r"\D", "", value or "")
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) >= 11:
            return digits[len(prefix) :]
    return digits


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
