"""The complaint lifecycle (PRODUCT.md "Complaint rules"), declared in one place.

registered → accepted | rejected → dispatched → signed → handling ⇄ paused → replied → verified
→ visited → closed; unsatisfied return visit → handling again (重办, fresh clock); a unit sends a
wrong case back (退单) → accepted; the office may reopen a closed case. A duplicate is merged
into its parent (any open state → merged): it leaves the clock and the queues for good.
"""

from xiaoneng.core.workflow import StateMachine

from .vocab import Status as S

MACHINE = StateMachine.define(
    "status",
    ("accept", S.REGISTERED, S.ACCEPTED),
    ("reject", S.REGISTERED, S.REJECTED),
    ("dispatch", (S.REGISTERED, S.ACCEPTED), S.DISPATCHED),
    ("send_back", (S.DISPATCHED, S.SIGNED), S.ACCEPTED),
    ("sign", S.DISPATCHED, S.SIGNED),
    ("assign", (S.SIGNED, S.HANDLING), S.HANDLING),
    ("pause", (S.SIGNED, S.HANDLING), S.PAUSED),
    ("resume", S.PAUSED, S.HANDLING),
    ("reply", (S.SIGNED, S.HANDLING), S.REPLIED),
    ("verify", S.REPLIED, S.VERIFIED),
    ("return_visit", S.VERIFIED, S.VISITED),
    ("redo", S.VISITED, S.HANDLING),
    ("close", (S.REPLIED, S.VERIFIED, S.VISITED), S.CLOSED),
    ("reopen", (S.CLOSED, S.VISITED), S.HANDLING),
    (
        "merge",
        (
            S.REGISTERED,
            S.ACCEPTED,
            S.DISPATCHED,
            S.SIGNED,
            S.HANDLING,
            S.PAUSED,
            S.REPLIED,
            S.VERIFIED,
            S.VISITED,
        ),
        S.MERGED,
    ),
)

# Actions that do not change the state but are only allowed in some states.
NON_TRANSITIONS = {
    "request_extension": (S.SIGNED, S.HANDLING),
    "decide_extension": (S.SIGNED, S.HANDLING, S.PAUSED),
    "escalate": (S.DISPATCHED, S.SIGNED, S.HANDLING, S.PAUSED),
    "mark_important": tuple(s for s in S if s not in (S.CLOSED, S.REJECTED, S.MERGED)),
}
