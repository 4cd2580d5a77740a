"""Reads of the Open311 app: services (categories) and service requests in GeoReport v2 shape.

Only cases that came in through Open311 are served (GET needs no key under the spec, so the
rest of the complaint register is not exposed). The complainant's identity never appears;
the description, location and the text of the reply (``status_notes``) appear only when the
complainant consented to publication — otherwise ``status_notes`` is the status in public words.
``service_request_id`` is a random public id (``Open311Request.public_id``), not the sequential
case number, so requests cannot be enumerated.
A merged duplicate shows the status, reply, deadline and agency of the case that carries it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.complaints import selectors as complaint_selectors
from xiaoneng.complaints.models import Category, Complaint
from xiaoneng.complaints.vocab import PublicStatus, Status, Type
from xiaoneng.core.models import Unit

from .models import Open311Request

CLOSED_STATUSES = (Status.CLOSED, Status.REJECTED)
MAX_RESULTS = 1000  # GeoReport v2: "first 1000 requests returned"


def w3(value: datetime | None) -> str | None:
    """ISO 8601 (w3 note) in local time with its offset: 2026-09-30T17:00:00+08:00."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def services() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).order_by("sort_order", "id")


def service(code: str) -> Category | None:
    return services().filter(code=code).first()


def service_payload(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.name,
        "metadata": True,
        "type": "realtime",
        "keywords": category.group or "",
        "group": category.group or "",
    }


def service_definition(category: Category) -> dict[str, Any]:
    units = Unit.objects.filter(is_active=True).order_by("path", "id").values_list("code", "name")
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": True,
                "code": "unit",
                "datatype": "singlevaluelist",
                "required": True,
                "datatype_description": _("Code of the unit the complaint is about"),
                "order": 1,
                "description": _("Which unit is the complaint about?"),
                "values": [{"key": code, "name": name} for code, name in units],
            },
            {
                "variable": True,
                "code": "type",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": _("Complaint if not given"),
                "order": 2,
                "description": _("What kind of request is this?"),
                "values": [{"key": value, "name": str(label)} for value, label in Type.choices],
            },
            {
                "variable": True,
                "code": "consent_publish",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": _("false if not given"),
                "order": 3,
                "description": _(
                    "Does the complainant agree that the description may be published?"
                ),
                "values": [
                    {"key": "true", "name": str(_("Yes"))},
                    {"key": "false", "name": str(_("No"))},
                ],
            },
        ],
    }


def _has_parent() -> bool:
    return any(f.name == "parent" for f in Complaint._meta.get_fields())


def requests_qs() -> QuerySet[Open311Request]:
    related = ["complaint__category", "complaint__unit"]
    if _has_parent():
        related.append("complaint__parent__unit")
    return Open311Request.objects.select_related(*related).order_by(
        "-complaint__received_at", "-id"
    )


def find_request(public_id: str) -> Open311Request | None:
    return requests_qs().filter(public_id=(public_id or "").strip().upper()).first()


def status_words(carrier: Complaint) -> str:
    """The state of the case that carries the request, in the complainant's public words
    (已受理 / 办理中 / 已答复 / 已办结 / 不予受理)."""
    return str(PublicStatus(complaint_selectors.public_status(carrier.status)).label)


def request_payload(request: Open311Request) -> dict[str, Any]:
    complaint: Complaint = request.complaint
    carrier: Complaint = getattr(complaint, "parent", None) or complaint
    closed = carrier.status in CLOSED_STATUSES
    public = complaint.consent_publish
    if not (public and carrier.consent_publish):
        # No consent to publication (of this case, or of the case whose reply it follows): the
        # status in public words, never the reply's text (the complainant reads it on the public
        # site with the tracking code).
        notes = status_words(carrier)
    elif carrier.reply:
        notes = carrier.reply
    elif carrier.status == Status.REJECTED:
        notes = carrier.reject_reason
    else:
        notes = None
    return {
        "service_request_id": request.public_id,
        "status": "closed" if closed else "open",
        "status_notes": notes or None,
        "service_name": complaint.category.name,
        "service_code": complaint.category.code,
        "description": complaint.content if public else None,
        "agency_responsible": carrier.unit.name if carrier.unit is not None else None,
        "service_notice": None,
        "requested_datetime": w3(complaint.received_at),
        "updated_datetime": w3(
            (carrier.closed_at or carrier.updated_at) if closed else carrier.updated_at
        ),
        "expected_datetime": w3(carrier.resolve_by),
        "address": (request.address or None) if public else None,
        "address_id": (request.address_id or None) if public else None,
        "zipcode": None,
        "lat": float(request.lat) if public and request.lat is not None else None,
        "long": float(request.long) if public and request.long is not None else None,
        "media_url": None,
    }


def service_notice(complaint: Complaint) -> str:
    """What happens next, in plain words, with the time limit."""
    if complaint.resolve_by:
        return _("We will answer by %(date)s.") % {
            "date": timezone.localtime(complaint.resolve_by).strftime("%Y-%m-%d %H:%M")
        }
    return _("We have received your request and will answer it.")
