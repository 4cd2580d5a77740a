"""Ledger writes: issues, rectification items, progress, close-out (销号), verification, reopening
and publication. Every function: keyword-only, atomic, validated, audited, a timeline event for
items, side effects (notifications) through the outbox in the same transaction.

Rules (issue #5, seed 001 "完成整改一项、核对销号一项，确保清零见底"): numbers WT/ZG + year +
6 digits, gap-free per year; an item's lifecycle is ``workflow.MACHINE`` (illegal → 409, a lost
race → 409); a close-out request needs a summary and at least one piece of evidence; only
``rectification.verify`` verifies, and never for the verifier's own unit.
"""

from __future__ import annotations

from .common import (  # noqa: F401  (used by excel.py, spotchecks.py, api.py)
    ISSUE_KEY,
    ISSUE_PREFIX,
    ITEM_KEY,
    ITEM_PREFIX,
    SPOT_KEY,
    SPOT_PREFIX,
    _event,
    _files,
    _in_scope,
    _require_item_access,
    _text,
    _transition,
    actor_name,
    item_link,
    responsible_users,
    verifiers,
)
from .issues import issue_create, issue_from_complaint, issue_set_public  # noqa: F401
from .items import (  # noqa: F401
    _deadline_of,
    _responsible_people_errors,
    can_verify,
    close_request,
    item_create,
    item_set_public,
    milestone_done,
    progress_add,
    reopen,
    verify,
)
from .reminders import send_reminders  # noqa: F401
