"""Deliver in-app messages (later modules call this; the notification outbox builds on it)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from . import clock
from .models import Message, User


def inbox_deliver(
    *,
    recipients: Iterable[User],
    title: str,
    body: str = "",
    link: str = "",
    kind: str = "",
    dedup_key: str = "",
) -> int:
    """Put a message in each recipient's inbox; with a dedup_key, at most once per recipient."""
    now = clock.now()
    delivered = 0
    for user in {u.pk: u for u in recipients if u is not None}.values():
        try:
            with transaction.atomic():
                Message.objects.create(
                    recipient=user,
                    created_at=now,
                    title=title[:200],
                    body=body,
                    link=link[:300],
                    kind=kind[:50],
                    dedup_key=dedup_key[:200],
                )
            delivered += 1
        except IntegrityError:
            if not dedup_key:
                raise
    return delivered


def unread_count(user: User) -> int:
    """The user's unread messages; a session's user carries the figure from its own query
    (core.auth's get_user: the page header shows it on every page)."""
    known = getattr(user, "inbox_unread", None)
    if known is not None:
        return known
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()


def unread_subquery() -> Coalesce:
    """The unread count as a subquery of a User query (annotate(inbox_unread=…))."""
    unread = (
        Message.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(unread), 0)
