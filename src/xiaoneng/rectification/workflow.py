"""The rectification item lifecycle (issue #5), declared in one place.

pending → in_progress → close_requested → closed; a rejected request goes back to
in_progress with the verifier's reason; a failed spot check (or the office) reopens a closed
item (reopened), which is worked on again (in_progress) and asks for close-out again.
"""

from xiaoneng.core.workflow import StateMachine

from .vocab import ItemStatus as S

MACHINE = StateMachine.define(
    "status",
    ("start", (S.PENDING, S.REOPENED), S.IN_PROGRESS),
    ("request_close", (S.PENDING, S.IN_PROGRESS, S.REOPENED), S.CLOSE_REQUESTED),
    ("accept", S.CLOSE_REQUESTED, S.CLOSED),
    ("reject", S.CLOSE_REQUESTED, S.IN_PROGRESS),
    ("reopen", S.CLOSED, S.REOPENED),
)

# Progress can be reported on any open item; it moves pending/reopened items to in_progress.
PROGRESS_STATUSES = (S.PENDING, S.IN_PROGRESS, S.REOPENED)
