"""The case workflow, declared in one place.

线索登记 → 初核 → 立案 | 不予立案 → 调查 → 拟处理意见 → 审批 → 决定送达 → (申诉) → 结案.
快查快办 (fast track): a simple case goes from the clue straight to a proposal. A leader may
send a proposal back for more investigation.
"""

from xiaoneng.core.workflow import StateMachine

from .vocab import CaseStatus as S

CASE = StateMachine.define(
    "status",
    ("review", S.REGISTERED, S.REVIEWING),
    ("file", S.REVIEWING, S.FILED),
    ("dismiss", (S.REGISTERED, S.REVIEWING), S.DISMISSED),
    ("investigate", S.FILED, S.INVESTIGATING),
    ("propose", (S.INVESTIGATING, S.REGISTERED), S.PROPOSED),
    ("send_back", S.PROPOSED, S.INVESTIGATING),
    ("approve", S.PROPOSED, S.APPROVED),
    ("serve", S.APPROVED, S.SERVED),
    ("appeal", S.SERVED, S.APPEALING),
    ("close", (S.SERVED, S.APPEALING), S.CLOSED),
)

# Who may take each step: the office and 纪检监察 run the case; a leader approves.
MANAGE = "accountability.manage"
APPROVE = "accountability.approve"
ACTION_PERMISSION = {
    "review": MANAGE,
    "file": MANAGE,
    "dismiss": MANAGE,
    "investigate": MANAGE,
    "propose": MANAGE,
    "send_back": APPROVE,
    "approve": APPROVE,
    "serve": MANAGE,
    "appeal": MANAGE,
    "close": MANAGE,
}
# Subjects (people examined) and their measures can change until a leader approves.
EDITABLE = (S.REGISTERED, S.REVIEWING, S.FILED, S.INVESTIGATING)
