"""Work-home providers of 创先争优: star ratings awaiting the office's confirmation."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoneng.core import workhome

from . import selectors
from .vocab import RatingStatus


@workhome.provider(order=76)
def ratings_to_confirm(user) -> list[workhome.Waiting]:
    if not user.has_permission("party.manage"):
        return []
    n = selectors.ratings_for(user).filter(status=RatingStatus.DRAFT).count()
    return (
        [
            workhome.Waiting(
                key="party.to_confirm",
                label=_("Star ratings to confirm"),
                count=n,
                url=reverse("party:ratings"),
            )
        ]
        if n
        else []
    )
