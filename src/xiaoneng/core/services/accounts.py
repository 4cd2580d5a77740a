"""Account locks by an administrator (``users.manage``), audited.

A lock set here lasts until it is lifted (``locked_until`` far in the future); the login
throttle (``core.auth``) never sets it, so an attacker cannot lock anyone out. Locking or
deactivating an account revokes its API tokens (``User.save``).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from .. import audit, clock
from ..models import User
from ..models.tokens import revoke_user_tokens
from .base import require_permission

MANUAL_LOCK = timedelta(days=365 * 100)


@transaction.atomic
def account_lock(*, actor, user: User, reason: str = "", check: bool = True) -> User:
    if check:
        require_permission(actor, "users.manage")
    user = User.objects.select_for_update().get(pk=user.pk)
    before = {"locked_until": user.locked_until.isoformat() if user.locked_until else None}
    user.locked_until = clock.now() + MANUAL_LOCK
    user.save(update_fields=["locked_until"])
    audit.record(
        "account_lock",
        user,
        before=before,
        after={"locked_until": user.locked_until.isoformat()},
        actor=actor,
        reason=reason,
    )
    return user


@transaction.atomic
def account_unlock(*, actor, user: User, reason: str = "", check: bool = True) -> User:
    if check:
        require_permission(actor, "users.manage")
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.locked_until is not None:
        before = {"locked_until": user.locked_until.isoformat()}
        user.locked_until = None
        user.save(update_fields=["locked_until"])
        audit.record(
            "account_unlock",
            user,
            before=before,
            after={"locked_until": None},
            actor=actor,
            reason=reason,
        )
    return user


@transaction.atomic
def tokens_revoke_all(*, actor, user: User) -> int:
    """Revoke every live API token of ``user`` (audited); returns how many were live.
    Anyone may do it for their own account; for another account it needs ``users.manage``."""
    if actor is None or actor.pk != user.pk:
        require_permission(actor, "users.manage")
    count = revoke_user_tokens(user)
    audit.record("tokens_revoke_all", user, after={"revoked": count}, actor=actor)
    return count
