"""Login rules: lockout after repeated failures, password policy, demo password only in demo mode."""

from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import clock
from .middleware import client_ip
from .models import LoginLog, User


def log_login(request, *, username: str, user: User | None, outcome: str) -> LoginLog:
    meta = getattr(request, "META", {}) if request is not None else {}
    return LoginLog.objects.create(
        at=clock.now(),
        user=user,
        username=username[:150],
        ip=client_ip(request) if request is not None else None,
        user_agent=meta.get("HTTP_USER_AGENT", "")[:300],
        success=outcome in {LoginLog.Outcome.SUCCESS, LoginLog.Outcome.LOGOUT},
        outcome=outcome,
    )


def log_logout(sender, request, user, **kwargs) -> None:
    """``user_logged_out`` receiver: the login log also shows when a session ended."""
    if user is not None and getattr(user, "is_authenticated", False):
        log_login(request, username=user.get_username(), user=user, outcome=LoginLog.Outcome.LOGOUT)


def recent_failures(user: User) -> int:
    """Failed attempts inside the lock window since the last success or unlock."""
    now = clock.now()
    since = now - timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
    qs = LoginLog.objects.filter(user=user, outcome=LoginLog.Outcome.BAD_PASSWORD, at__gte=since)
    if user.last_login:
        qs = qs.filter(at__gt=user.last_login)
    if user.locked_until and user.locked_until <= now:
        qs = qs.filter(at__gt=user.locked_until)
    return qs.count()


class LockoutModelBackend(ModelBackend):
    """Django's backend plus: 5 failures lock the account for 10 minutes; every attempt is logged.

    The outcome is left on ``request.login_outcome`` so the login form can say why.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        now = clock.now()
        user = User._default_manager.filter(username=username).first()

        def fail(outcome: str, who: User | None = user):
            if request is not None:
                request.login_outcome = outcome
            log_login(request, username=username, user=who, outcome=outcome)
            return None

        if user is None:
            User().set_password(
                password
            )  # same cost as a real check: no user-name probing by timing
            return fail(LoginLog.Outcome.BAD_PASSWORD, None)
        if user.locked_until and user.locked_until > now:
            return fail(LoginLog.Outcome.LOCKED)
        if not user.check_password(password):
            fail(LoginLog.Outcome.BAD_PASSWORD)
            if recent_failures(user) >= settings.LOGIN_MAX_FAILURES:
                user.locked_until = now + timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
                user.save(update_fields=["locked_until"])
            return None
        if not self.user_can_authenticate(user):
            return fail(LoginLog.Outcome.INACTIVE)
        if password == settings.DEMO_PASSWORD and not settings.DEMO:
            return fail(LoginLog.Outcome.DEMO_PASSWORD)
        if request is not None:
            request.login_outcome = LoginLog.Outcome.SUCCESS
        log_login(request, username=username, user=user, outcome=LoginLog.Outcome.SUCCESS)
        if user.locked_until:
            user.locked_until = None
            user.save(update_fields=["locked_until"])
        return user


class CharacterClassValidator:
    """At least N of: lower case, upper case, digits, symbols."""

    patterns = (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^a-zA-Z0-9]")

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        classes = sum(1 for p in self.patterns if re.search(p, password))
        if classes < self.min_classes:
            raise ValidationError(
                _(
                    "The password must mix at least %(n)d of: lower-case letters, upper-case letters, digits, symbols."
                )
                % {"n": self.min_classes},
                code="password_classes",
            )

    def get_help_text(self):
        return _("At least %(n)d of: lower-case letters, upper-case letters, digits, symbols.") % {
            "n": self.min_classes
        }


class NotDemoPasswordValidator:
    """The published demo password may not be chosen outside demo mode."""

    def validate(self, password, user=None):
        if password == settings.DEMO_PASSWORD and not settings.DEMO:
            raise ValidationError(_("The demo password cannot be used here."), code="demo_password")

    def get_help_text(self):
        return _("The published demo password cannot be used.")
