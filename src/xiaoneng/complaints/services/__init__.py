"""Complaint writes. Every function: keyword-only, atomic, validated, audited, timeline event,
side effects (inbox) on commit. Illegal transitions raise core.errors.Conflict (409).

Rules (PRODUCT.md "Complaint rules", "Time rules"): numbers TS + year + 6 digits, gap-free per
year; the identity is encrypted and every read audited; the lifecycle is ``workflow.MACHINE``;
the clock starts at ``received_at`` with deadlines from the matching ``SlaPolicy`` (sla.py);
pauses extend the deadlines by the paused working time; extensions need the office's approval.

The writes live in sub-modules by sub-domain (intake, office, handling, extensions, feedback,
priority; numbering and identity; common helpers); every name is importable from this package.
"""

from __future__ import annotations

from xiaoneng.core.services.base import actor_name, user_of

from ..models import ComplaintRules

# _event, _require_state, _transition: the duplicate merge (duplicates.py) writes through them.
from .common import (  # noqa: F401
    _event,
    _require_state,
    _transition,
    complaint_link,
    users_with_role,
)
from .extensions import (
    complaint_decide_extension,
    complaint_override_sla,
    complaint_request_extension,
)
from .feedback import (
    complaint_close,
    complaint_reopen,
    complaint_return_visit,
    complaint_verify,
)
from .handling import (
    _tell_complainant_replied,  # noqa: F401
    complaint_assign,
    complaint_pause,
    complaint_reply,
    complaint_resume,
    complaint_send_back,
    complaint_sign,
    dispatched_at,
)
from .identity import (
    IDENTITY_FIELDS,
    complaints_by_phone,
    identity_read,
    normalise_phone,
    tracking_matches,
)
from .intake import (
    complaint_register,
)
from .numbering import (
    RATING_KEY_LENGTH,
    TRACKING_ALPHABET,
    TRACKING_LENGTH,
    new_rating_key,
    new_tracking_code,
    next_number,
    normalise_key,
    rating_key_matches,
    receipt_secrets,
)
from .office import (
    complaint_accept,
    complaint_dispatch,
    complaint_reject,
)
from .priority import (
    complaint_escalate,
    complaint_mark_important,
)

__all__ = [
    "ComplaintRules",
    "IDENTITY_FIELDS",
    "RATING_KEY_LENGTH",
    "TRACKING_ALPHABET",
    "TRACKING_LENGTH",
    "actor_name",
    "complaint_accept",
    "complaint_assign",
    "complaint_close",
    "complaint_decide_extension",
    "complaint_dispatch",
    "complaint_escalate",
    "complaint_link",
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
    "complaints_by_phone",
    "dispatched_at",
    "identity_read",
    "new_rating_key",
    "new_tracking_code",
    "next_number",
    "normalise_key",
    "normalise_phone",
    "rating_key_matches",
    "receipt_secrets",
    "tracking_matches",
    "user_of",
    "users_with_role",
]
