"""Reactions to other apps' events."""

from __future__ import annotations

from .services.cases import case_from_consequence, case_from_referral


def on_spot_check_failed(sender, *, referral, actor=None, **kwargs) -> None:
    """A failed spot check (整改不到位/虚假整改) becomes an accountability case."""
    case_from_referral(referral=referral, actor=actor)


def on_consequence_confirmed(sender, *, consequence, **kwargs) -> None:
    """A confirmed evaluation consequence (提醒函/诫勉谈话/调离免职) becomes a case."""
    case_from_consequence(consequence=consequence, actor=consequence.decided_by)
