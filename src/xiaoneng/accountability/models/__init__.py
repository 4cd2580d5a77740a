"""Accountability (问责) cases with their measures, the annual assessment and award checks."""

from .assessment import (
    Adjustment,
    Assessment,
    AssessmentLine,
    AssessmentScheme,
    Indicator,
    VetoRule,
)
from .awards import Nomination
from .cases import Case, CaseEvent, Measure, StepLimit, Subject

__all__ = [
    "Adjustment",
    "Assessment",
    "AssessmentLine",
    "AssessmentScheme",
    "Case",
    "CaseEvent",
    "Indicator",
    "Measure",
    "Nomination",
    "StepLimit",
    "Subject",
    "VetoRule",
]
