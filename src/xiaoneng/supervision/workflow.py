"""The lifecycles of social supervision, in one place.

Supervisor: appointed (在聘) → ended (已解聘); may be re-appointed for a new term.
Report: submitted (待处理) → complaint (转投诉) | issue (列入整改台账) | noted (阅知, with the
office's answer) — the office's triage, once.
"""

from xiaoneng.core.workflow import StateMachine

from .vocab import ReportStatus as R
from .vocab import SupervisorStatus as S

SUPERVISOR = StateMachine.define(
    "status",
    ("end", S.ACTIVE, S.ENDED),
    ("reappoint", (S.ACTIVE, S.ENDED), S.ACTIVE),
)

REPORT = StateMachine.define(
    "status",
    ("to_complaint", R.SUBMITTED, R.COMPLAINT),
    ("to_issue", R.SUBMITTED, R.ISSUE),
    ("note", R.SUBMITTED, R.NOTED),
)
