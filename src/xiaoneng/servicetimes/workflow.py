"""State machine of a ledger proposal: the office confirms (→ ledger issue) or dismisses it."""

from xiaoneng.core.workflow import StateMachine

PROPOSAL = StateMachine.define(
    "status",
    ("confirm", ("proposed",), "confirmed"),
    ("dismiss", ("proposed",), "dismissed"),
)
