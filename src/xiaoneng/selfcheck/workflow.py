"""State machines of the self-inspection app (``core.workflow``: illegal transition → 409)."""

from __future__ import annotations

from xiaoneng.core.workflow import StateMachine

# A checklist assignment completes once every item has an answer (and stays completed).
ASSIGNMENT = StateMachine.define("status", ("complete", ("open",), "completed"))
