"""院务公开: edited by the unit, approved by the office; only approved content is public."""

from xiaoneng.core.workflow import StateMachine

from .vocab import DisclosureStatus as S

DISCLOSURE = StateMachine.define(
    "status",
    ("submit", (S.DRAFT, S.RETURNED), S.SUBMITTED),
    ("approve", S.SUBMITTED, S.APPROVED),
    ("return", S.SUBMITTED, S.RETURNED),
    ("revise", S.APPROVED, S.DRAFT),
)
EDITABLE = (S.DRAFT, S.RETURNED)
ACTION_PERMISSION = {
    "submit": "openness.edit",
    "revise": "openness.edit",
    "approve": "openness.manage",
    "return": "openness.manage",
}
