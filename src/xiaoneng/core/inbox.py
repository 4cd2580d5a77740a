"""Deliver in-app messages (later modules call this; the notification outbox builds on it)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction

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
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()
