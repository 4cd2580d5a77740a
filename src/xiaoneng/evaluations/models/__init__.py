from .ethics import EthicsFile, EthicsRule, VetoItem
from .rounds import (
    Ballot,
    BallotToken,
    Consequence,
    EvaluationRound,
    EvaluatorGroup,
    GradeBand,
    LadderStep,
    Mark,
    RankingRule,
    RatingPoints,
    Subject,
)
from .surveys import Answer, Question, Response, Survey, SurveyToken, TokenBatch

__all__ = [
    "Answer",
    "Ballot",
    "BallotToken",
    "Consequence",
    "EthicsFile",
    "EthicsRule",
    "EvaluationRound",
    "EvaluatorGroup",
    "GradeBand",
    "LadderStep",
    "Mark",
    "Question",
    "RankingRule",
    "RatingPoints",
    "Response",
    "Subject",
    "Survey",
    "SurveyToken",
    "TokenBatch",
    "VetoItem",
]
