"""The state machines of campaigns and submissions, in one place (ARCHITECTURE rule 3).

Submission: 未报送 → 已报送 (on time) or 逾期报送 (after the due date) → 已通过 (accepted) or
已退回 (returned with a reason) → submitted again. "逾期" is not a state: it is a pending or
returned submission whose due date has passed (computed from now, see selectors.is_overdue).
"""

from xiaoneng.core.workflow import StateMachine

from .models import Campaign, Submission

S = Submission.Status
C = Campaign.Status

SUBMISSION = StateMachine.define(
    "status",
    ("submit", (S.PENDING, S.RETURNED), S.SUBMITTED),
    ("submit_late", (S.PENDING, S.RETURNED), S.LATE),
    ("accept", (S.SUBMITTED, S.LATE), S.ACCEPTED),
    ("return", (S.SUBMITTED, S.LATE), S.RETURNED),
)

CAMPAIGN = StateMachine.define(
    "status",
    ("start", C.DRAFT, C.ACTIVE),
    ("close", C.ACTIVE, C.CLOSED),
    ("reopen", C.CLOSED, C.ACTIVE),
)

OPEN = (S.PENDING, S.RETURNED)
