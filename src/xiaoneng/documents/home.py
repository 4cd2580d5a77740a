"""Work-home providers of official documents: what waits for review, for a leader's signature,
and the author's drafts sent back."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xiaoneng.core import workhome

from .selectors import documents_for
from .vocab import DocumentStatus


@workhome.provider(order=65)
def documents_waiting(user) -> list[workhome.Waiting]:
    review = user.has_permission("document.review")
    sign = user.has_permission("document.sign")
    draft = user.has_permission("document.draft")
    if not (review or sign or draft):
        return []
    counts = documents_for(user).aggregate(
        review=Count("pk", filter=Q(status=DocumentStatus.REVIEW), distinct=True),
        signoff=Count("pk", filter=Q(status=DocumentStatus.SIGNOFF), distinct=True),
        returned=Count(
            "pk",
            filter=Q(status=DocumentStatus.DRAFT, created_by=user) & ~Q(return_reason=""),
            distinct=True,
        ),
    )
    url = reverse("documents:list")
    rows = [
        (review, "review", _("Official documents to review"), DocumentStatus.REVIEW),
        (sign, "signoff", _("Official documents to sign"), DocumentStatus.SIGNOFF),
        (draft, "returned", _("Official documents sent back to you"), DocumentStatus.DRAFT),
    ]
    return [
        workhome.Waiting(
            key=f"documents.{key}",
            label=label,
            count=counts[key],
            url=f"{url}?status={status}",
        )
        for allowed, key, label, status in rows
        if allowed and counts[key]
    ]
