"""Writes of the Open311 app: issuing and revoking integrator keys, creating cases from POSTs.

Keys are issued by an administrator (permission ``users.manage``) in the staff UI or with
``xiaoneng open311-key create`` (no actor: the server operator). A POST creates the case through
``complaints.services.complaint_register`` with the key's channel, so the engine's numbering,
time rules, identity protection and audit apply exactly as for any other intake.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from xiaoneng.complaints.models import Category
from xiaoneng.complaints.services import complaint_register
from xiaoneng.complaints.vocab import Channel, Type
from xiaoneng.core import audit, clock, idempotency
from xiaoneng.core.errors import ValidationFailed
from xiaoneng.core.models import IdempotencyKey, Unit, User
from xiaoneng.core.services.base import require_permission

from .models import Open311Key, Open311Request

KEY_PREFIX = "o311_"
PUBLIC_ID_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L
PUBLIC_ID_LENGTH = 12  # 31^12 ≈ 7.9e17: not enumerable


def new_public_id() -> str:
    """A random, unguessable service_request_id (GeoReport v2 only asks for a unique string)."""
    return "".join(secrets.choice(PUBLIC_ID_ALPHABET) for _ in range(PUBLIC_ID_LENGTH))


DESCRIPTION_LIMIT = 4000  # GeoReport v2: "free form text limited to 4,000 characters"


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


# --- keys --------------------------------------------------------------------------------------
@transaction.atomic
def key_create(*, actor: User | None, name: str, channel: str) -> tuple[Open311Key, str]:
    """Issue a key for one integrator and channel; returns the key and the raw secret (shown once).

    ``actor=None`` is the server operator at the command line.
    """
    if actor is not None:
        require_permission(actor, "users.manage")
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("This field is required.")]
    elif len(name) > 100:
        errors["name"] = [_("At most 100 characters.")]
    if channel not in Channel.values:
        errors["channel"] = [_("Select a valid choice.")]
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), errors=errors)
    token = secrets.token_urlsafe(32)
    while token[0] in "-_":  # the prefix is typed on a command line: never an option-like "-…"
        token = secrets.token_urlsafe(32)
    raw = KEY_PREFIX + token
    key = Open311Key.objects.create(
        name=name,
        channel=channel,
        key_hash=hash_key(raw),
        prefix=raw[len(KEY_PREFIX) : len(KEY_PREFIX) + 8],
        created_by=actor,
        created_at=clock.now(),
    )
    audit.record("create", key, after=audit.snapshot(key, exclude=("key_hash",)), actor=actor)
    return key, raw


@transaction.atomic
def key_revoke(*, actor: User | None, key: Open311Key) -> Open311Key:
    """Revoke a key: later POSTs with it get 403. Revoking twice changes nothing."""
    if actor is not None:
        require_permission(actor, "users.manage")
    if key.revoked_at is None:
        now = clock.now()
        Open311Key.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=now)
        key.revoked_at = now
        audit.record(
            "revoke", key, before={"revoked_at": None}, after={"revoked_at": now.isoformat()}
        )
    return key


def authenticate(raw: str | None) -> Open311Key | None:
    """The active key for a raw secret, or None."""
    if not raw:
        return None
    key = Open311Key.objects.filter(key_hash=hash_key(raw.strip()), revoked_at__isnull=True).first()
    if key is not None:
        Open311Key.objects.filter(pk=key.pk).update(last_used_at=clock.now())
    return key


# --- POST requests -----------------------------------------------------------------------------
@dataclass
class Problem(Exception):
    """An Open311 error: HTTP status and one or more descriptions."""

    status: int
    descriptions: list[str] = field(default_factory=list)


ATTRIBUTE = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")


def attributes_of(data) -> dict[str, list[str]]:
    """``attribute[code]=v`` and ``attribute[code][]=v`` pairs from a form body."""
    found: dict[str, list[str]] = {}
    for name in data:
        match = ATTRIBUTE.match(name)
        if match:
            found.setdefault(match.group(1), []).extend(v for v in data.getlist(name) if v != "")
    return found


def _text(data, name: str) -> str:
    return str(data.get(name) or "").strip()


def _coordinate(value: str, name: str, limit: int, errors: list[str]) -> Decimal | None:
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or abs(number) > limit:
        errors.append(_("%(name)s is not a valid coordinate") % {"name": name})
        return None
    return number.quantize(Decimal("0.0000001"))


def _person_name(first: str, last: str) -> str:
    if any("\u4e00" <= ch <= "\u9fff" for ch in first + last):
        return f"{last}{first}"  # Chinese order: family name first, no space
    return f"{first} {last}".strip()


def request_hash(data) -> str:
    body = {k: data.getlist(k) for k in sorted(data) if k != "api_key"}
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def submit(*, key: Open311Key, data, idempotency_key: str = "") -> tuple[Open311Request, bool]:
    """Create a case from an Open311 POST body; returns (request, created).

    With an ``Idempotency-Key`` a retried POST returns the first request instead of a second case
    (core.idempotency, scoped to the integrator's key; another body with the same key is a 409).
    """
    idempotency_key = (idempotency_key or "").strip()[:200]
    digest = request_hash(data)
    scope = idempotency_scope(key)
    if idempotency_key:
        earlier = idempotency.find(scope, idempotency_key)
        if earlier is not None:
            return _replayed(earlier, digest)
    try:
        return _create(key=key, data=data, idempotency_key=idempotency_key, digest=digest), True
    except IntegrityError:
        # A concurrent retry with the same Idempotency-Key won the race.
        earlier = idempotency.find(scope, idempotency_key) if idempotency_key else None
        if earlier is None:
            raise
        return _replayed(earlier, digest)


def idempotency_scope(key: Open311Key) -> str:
    return f"open311:{key.pk}"


def _replayed(earlier: IdempotencyKey, digest: str) -> tuple[Open311Request, bool]:
    idempotency.check(earlier, digest)
    public_id = earlier.response_body["service_request_id"]
    return Open311Request.objects.get(public_id=public_id), False


def _attributes(data, errors: list[str]) -> tuple[Unit | None, str, bool]:
    """The unit complained about, the type and the publishing consent (``attribute[…]``)."""
    attributes = attributes_of(data)
    unit_code = (attributes.get("unit") or [""])[0].strip()
    unit = None
    if not unit_code:
        errors.append(_("attribute[unit] was not provided"))
    else:
        unit = Unit.objects.filter(code=unit_code, is_active=True).first()
        if unit is None:
            errors.append(_("attribute[unit] %(code)s was not found") % {"code": unit_code})
    type_ = (attributes.get("type") or [Type.COMPLAINT])[0]
    if type_ not in Type.values:
        errors.append(_("attribute[type] %(value)s is not a valid choice") % {"value": type_})
    publish = (attributes.get("consent_publish") or ["false"])[0].lower()
    if publish not in ("true", "false"):
        errors.append(_("attribute[consent_publish] must be true or false"))
    return unit, type_, publish == "true"


def _description(data, errors: list[str]) -> str:
    description = str(data.get("description") or "").strip()
    if not description:
        errors.append(_("description was not provided"))
    elif len(description) > DESCRIPTION_LIMIT:
        errors.append(_("description is longer than 4,000 characters"))
    return description


def _coordinates(data, errors: list[str]) -> tuple[Decimal | None, Decimal | None]:
    """lat and long, both or neither (that rule only once every other field is right)."""
    lat = _coordinate(_text(data, "lat"), "lat", 90, errors)
    long = _coordinate(_text(data, "long"), "long", 180, errors)
    if (lat is None) != (long is None) and not errors:
        errors.append(_("lat and long must be sent together"))
    return lat, long


@transaction.atomic
def _create(*, key: Open311Key, data, idempotency_key: str, digest: str) -> Open311Request:
    service_code = _text(data, "service_code")
    if not service_code:
        raise Problem(400, [_("service_code was not provided")])
    category = Category.objects.filter(code=service_code, is_active=True).first()
    if category is None:
        raise Problem(404, [_("service_code %(code)s was not found") % {"code": service_code}])

    errors: list[str] = []
    unit, type_, publish = _attributes(data, errors)
    description = _description(data, errors)
    lat, long = _coordinates(data, errors)
    if errors or unit is None:  # no unit is always one of the errors
        raise Problem(400, errors)

    address = _text(data, "address_string")[:255]
    content = description
    if address:
        content += "\n\n" + _("Location: %(address)s") % {"address": address}
    first_line = description.splitlines()[0].strip()
    title = first_line if len(first_line) <= 50 else first_line[:49] + "…"
    try:
        complaint = complaint_register(
            actor=None,
            channel=key.channel,
            type=type_,
            category=category,
            subject_unit=unit,
            title=title,
            content=content,
            consent_publish=publish,
            sms_receipt=True,
            complainant={
                "name": _person_name(_text(data, "first_name"), _text(data, "last_name")),
                "phone": _text(data, "phone"),
            },
        )
    except ValidationFailed as exc:
        messages = [
            f"{name}: {message}" for name, items in (exc.errors or {}).items() for message in items
        ]
        raise Problem(400, messages or [str(exc.detail)])
    request = Open311Request.objects.create(
        key=key,
        complaint=complaint,
        token=secrets.token_hex(16),
        public_id=new_public_id(),
        address=address,
        address_id=_text(data, "address_id")[:100],
        lat=lat,
        long=long,
        account_id=_text(data, "account_id")[:100],
        created_at=clock.now(),
    )
    if idempotency_key:
        idempotency.remember(
            scope=idempotency_scope(key),
            key=idempotency_key,
            digest=digest,
            status=200,
            body={"service_request_id": request.public_id},
        )
    audit.record(
        "open311_submit",
        complaint,
        after={
            "key": key.pk,
            "key_name": key.name,
            "token": request.token,
            "service_request_id": request.public_id,
        },
    )
    return request
