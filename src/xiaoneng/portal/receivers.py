"""The public site listens to the complaint engine."""

from __future__ import annotations


def on_complaint_verified(sender, complaint, result, actor=None, **kwargs) -> None:
    from .services import apply_pending_rating

    apply_pending_rating(complaint)
