"""The lifecycles of inspections (issue #14), declared in one place.

Plan: draft → drawn (the 双随机 draw, once) → closed.
Visit: planned → recorded (the inspector's form) → published (the unit now sees it).
督办单: issued → replied (the unit's reply with evidence) → closed (verified) or returned
(→ replied again).
Bulletin: draft → submitted (the office's review) → approved (a leader) → published;
a leader may return a submitted bulletin to draft.
"""

from xiaoneng.core.workflow import StateMachine

from .vocab import BulletinStatus as B
from .vocab import OrderStatus as O
from .vocab import PlanStatus as P
from .vocab import VisitStatus as V

PLAN = StateMachine.define(
    "status",
    ("draw", P.DRAFT, P.DRAWN),
    ("close", (P.DRAFT, P.DRAWN), P.CLOSED),
)

VISIT = StateMachine.define(
    "status",
    ("record", (V.PLANNED, V.RECORDED), V.RECORDED),
    ("publish", V.RECORDED, V.PUBLISHED),
)
# Findings can be added until the visit is published.
VISIT_OPEN = (V.PLANNED, V.RECORDED)

ORDER = StateMachine.define(
    "status",
    ("reply", (O.ISSUED, O.RETURNED), O.REPLIED),
    ("accept", O.REPLIED, O.CLOSED),
    ("reject", O.REPLIED, O.RETURNED),
)

BULLETIN = StateMachine.define(
    "status",
    ("submit", B.DRAFT, B.SUBMITTED),
    ("approve", B.SUBMITTED, B.APPROVED),
    ("return", B.SUBMITTED, B.DRAFT),
    ("publish", B.APPROVED, B.PUBLISHED),
)
