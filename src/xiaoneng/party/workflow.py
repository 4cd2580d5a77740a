"""Star ratings: drafted by the unit, confirmed by the office (the stars follow the criteria)."""

from xiaoneng.core.workflow import StateMachine

from .vocab import RatingStatus as S

RATING = StateMachine.define(
    "status",
    ("confirm", S.DRAFT, S.CONFIRMED),
    ("reopen", S.CONFIRMED, S.DRAFT),
)
