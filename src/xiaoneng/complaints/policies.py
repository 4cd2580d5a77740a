"""Rules about complaints that views, forms and the API share (they never import ``api.py``):
who may see the complainant, when a case is overdue, what input is acceptable."""

from __future__ import annotations

import re

from .models import Complaint
from .vocab import CLOCK_STATUSES

MAX_CONTENT = 10000
PHONE_RE = re.compile(r"^[0-9+\-() ]{3,30}$")
ID_NUMBER_RE = re.compile(r"^(\d{15}|\d{17}[\dXx])$")


def is_overdue(complaint: Complaint, now) -> bool:
    """The resolution deadline has passed while the clock runs (same rule as ?overdue=true)."""
    return bool(
        complaint.status in CLOCK_STATUSES and complaint.resolve_by and complaint.resolve_by < now
    )


def can_view_identity(user, complaint: Complaint) -> bool:
    """complainant.view, and not a user of the unit complained about or the responsible unit
    (the rule services.identity_read enforces; PRODUCT.md "Complainant protection")."""
    if not user.has_permission("complainant.view"):
        return False
    if user.is_superuser:
        return True
    unit_id = user.person.unit_id if user.person_id else None
    return unit_id is None or unit_id not in {complaint.subject_unit_id, complaint.unit_id}
