"""Inspections (明查暗访/督查) and exposure bulletins (曝光通报), issue #14."""

from .bulletins import Bulletin, BulletinEntry, BulletinResponse
from .findings import Finding, LookbackCheck, SupervisionOrder
from .plans import (
    Evidence,
    InspectionPlan,
    InspectionRules,
    Visit,
    VisitAnswer,
)

__all__ = [
    "Bulletin",
    "BulletinEntry",
    "BulletinResponse",
    "Evidence",
    "Finding",
    "InspectionPlan",
    "InspectionRules",
    "LookbackCheck",
    "SupervisionOrder",
    "Visit",
    "VisitAnswer",
]
