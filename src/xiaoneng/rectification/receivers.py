"""Listeners on other apps' signals."""

from __future__ import annotations

TRUE_RESULTS = ("true", "partly_true")


def on_complaint_verified(sender, complaint, result, actor=None, **kwargs) -> None:
    """A complaint verified 属实 / 部分属实 opens its ledger issue in the same transaction."""
    if result not in TRUE_RESULTS:
        return
    from .services import issue_from_complaint

    issue_from_complaint(complaint=complaint, actor=actor)
