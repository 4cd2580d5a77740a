"""The lifecycles of surveys, evaluation rounds, consequences and ethics files (illegal → 409)."""

from xiaoneng.core.workflow import StateMachine

SURVEY = StateMachine.define(
    "status",
    ("open", "draft", "open"),
    ("close", "open", "closed"),
)

ROUND = StateMachine.define(
    "status",
    ("open", "draft", "open"),
    ("close", "open", "closed"),
)

CONSEQUENCE = StateMachine.define(
    "status",
    ("confirm", "proposed", "confirmed"),
    ("dismiss", "proposed", "dismissed"),
)

ETHICS = StateMachine.define(
    "status",
    ("grade", "open", "graded"),
    ("reopen", "graded", "open"),
)
