"""Login rules: throttles and captcha after repeated failures (no lock an attacker controls),
an administrator's lock, password policy, demo password only in demo mode."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from . import clock, ratelimit
from .middleware import client_ip
from .models import LoginLog, User

# Failed logins per client address (form and API together); see core.ratelimit.DEFAULT_RATES.
LOGIN_IP_SCOPE = "login_ip"


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


@dataclass(frozen=True)
class Failures:
    count: int
    last_at: datetime | None


def recent_failures(username: str) -> Failures:
    """Wrong passwords for ``username`` in the window (``LOGIN_LOCK_MINUTES``) since its last
    success. Counted by the name typed, so unknown names behave exactly like real ones."""
    since = clock.now() - timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
    last_success = (
        LoginLog.objects.filter(username=username, outcome=LoginLog.Outcome.SUCCESS, at__gte=since)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    qs = LoginLog.objects.filter(
        username=username, outcome=LoginLog.Outcome.BAD_PASSWORD, at__gte=last_success or since
    )
    if last_success:
        qs = qs.filter(at__gt=last_success)
    row = qs.aggregate(count=Count("id"), last_at=Max("at"))
    return Failures(row["count"], row["last_at"])


def needs_captcha(username: str) -> bool:
    """After ``LOGIN_MAX_FAILURES`` wrong passwords the login form asks for a captcha."""
    return bool(username) and recent_failures(username).count >= settings.LOGIN_MAX_FAILURES


def retry_delay(failures: Failures) -> int:
    """Seconds a caller without a captcha (the API) must wait before the next attempt:
    1 s after the 5th failure, doubling with each further one, at most the window."""
    over = failures.count - settings.LOGIN_MAX_FAILURES
    if over < 0 or failures.last_at is None:
        return 0
    delay = min(2**over, settings.LOGIN_LOCK_MINUTES * 60)
    waited = (clock.now() - failures.last_at).total_seconds()
    return max(0, math.ceil(delay - waited))


def ip_key(request) -> str:
    return ratelimit.request_key(request) if request is not None else "unknown"


def ip_throttle(request) -> ratelimit.Decision:
    """Peek at the per-address budget of failed logins (form and API share it)."""
    return ratelimit.hit(LOGIN_IP_SCOPE, ip_key(request), count=False)


class LockoutModelBackend(ModelBackend):
    """Django's backend plus the login rules of issue #21; every attempt is logged.

    - an administrator's lock (``locked_until``) refuses the account;
    - failed attempts count per client address (``login_ip`` rate limit): over it, 429;
    - after ``LOGIN_MAX_FAILURES`` wrong passwords for a user name, an attempt that did not
      pass the form's captcha (``request.login_captcha_passed``) must wait a delay doubling
      with each failure (progressive, capped) — never a lock an attacker can keep up, since
      the form's captcha always lets the real user in.

    The outcome is left on ``request.login_outcome`` (and the wait on
    ``request.login_retry_after``) so the form and the API can say why.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        user = User._default_manager.filter(username=username).first()
        outcome = self._refusal(request, username, password, user)
        if request is not None:
            request.login_outcome = outcome or LoginLog.Outcome.SUCCESS
        if outcome:
            who = None if outcome == LoginLog.Outcome.BAD_PASSWORD and user is None else user
            log_login(request, username=username, user=who, outcome=outcome)
            return None
        log_login(request, username=username, user=user, outcome=LoginLog.Outcome.SUCCESS)
        return user

    def get_user(self, user_id):
        """The session's user with its person and unit and its unread message count in the same
        query: the data scope, the policies and the page header all read them (one query, not
        four per page)."""
        from .inbox import unread_subquery

        user = (
            User._default_manager.select_related("person__unit")
            .annotate(inbox_unread=unread_subquery())
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None

    def _refusal(self, request, username: str, password: str, user: User | None) -> str:
        """Why this attempt is refused ("" when it succeeds), in the order the rules apply."""
        wait = self._wait(request, username)
        if wait:
            if request is not None:
                request.login_retry_after = wait
            return LoginLog.Outcome.THROTTLED
        if user is None:
            User().set_password(password)  # same cost as a real check: no name probing by timing
            ratelimit.hit(LOGIN_IP_SCOPE, ip_key(request))
            return LoginLog.Outcome.BAD_PASSWORD
        if user.locked_until and user.locked_until > clock.now():
            return LoginLog.Outcome.LOCKED
        if not user.check_password(password):
            ratelimit.hit(LOGIN_IP_SCOPE, ip_key(request))
            return LoginLog.Outcome.BAD_PASSWORD
        if not self.user_can_authenticate(user):
            return LoginLog.Outcome.INACTIVE
        if password == settings.DEMO_PASSWORD and not settings.DEMO:
            return LoginLog.Outcome.DEMO_PASSWORD
        return ""

    @staticmethod
    def _wait(request, username: str) -> int:
        """Seconds to wait: the address's failure budget, then the user name's delay (skipped
        once the form's captcha was solved)."""
        decision = ip_throttle(request)
        if not decision.allowed:
            return decision.retry_after
        if getattr(request, "login_captcha_passed", False):
            return 0
        return retry_delay(recent_failures(username))


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
