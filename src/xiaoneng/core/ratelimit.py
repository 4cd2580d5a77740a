"""Rate limits for public endpoints (API.md: 429 with ``Retry-After``).

A sliding-window counter kept in Django's cache, so every process of the site shares it when
the cache is shared: Redis in production (``REDIS_URL``), the database cache table otherwise
(``xiaoneng_cache``). The test settings use the in-process LocMem cache, which is shared by
the test client and by pytest-django's live server (a thread of the same process).

The window is the classic two-bucket approximation: the count of the current fixed window plus
the previous window's count weighted by how much of it still overlaps the last ``period``
seconds. It never lets more than ``limit`` requests through in any fixed window and smooths the
burst at a window boundary.

Limits are data, per *scope*::

    XIAONENG_RATELIMITS = {"public_submit": "20/m", "public_track": "30/m"}   # settings
    XIAONENG_RATELIMIT_PUBLIC_SUBMIT=20/m                                      # or env vars
    XIAONENG_RATELIMIT_ENABLED=false                                           # switch off

A rate is ``N/s``, ``N/m``, ``N/h`` or ``N/d`` (also ``N/5m``, ``N/30s``). Default for a scope
without a configured rate: ``DEFAULT_RATES`` below, else 60/m.

Use it three ways:
- ``hit(scope, key)`` → :class:`Decision` (allowed, remaining, retry_after) in any code;
- ``@ratelimit("public_submit", methods=("POST",))`` on a Django view (429 + Retry-After);
- ``class MyView(APIView): throttle_classes = [scoped_throttle("public_submit")]`` for DRF.

Counting uses ``cache.add`` + ``cache.incr`` (atomic on Redis and LocMem; on the database cache
``incr`` is read-then-write, so concurrent processes may undercount by a few requests).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import math
import os
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.translation import gettext as _
from rest_framework.throttling import BaseThrottle

from . import clock
from .middleware import client_ip

DEFAULT_RATES = {
    # 20 submissions per minute per IP: the 21st gets 429 (issue #4).
    "public_submit": "20/m",
    # Tracking lookups: enough for a person, too few to guess codes and phone digits.
    "public_track": "30/m",
    # Rating / redo requests on the public site.
    "public_feedback": "10/m",
    # Failed logins per client address, form and API together (core.auth, issue #21).
    "login_ip": "20/10m",
    # Requests to POST /api/v1/auth/token per client address, whatever their outcome.
    "auth_token": "30/m",
    # Survey answers and ballots through public links (the open link is shared by many).
    "public_survey": "30/m",
}
FALLBACK_RATE = "60/m"
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])[a-z]*\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Rate:
    limit: int
    period: int  # seconds

    def __str__(self) -> str:
        return f"{self.limit}/{self.period}s"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    retry_after: int  # seconds until a request would be allowed again (0 when allowed)


def parse_rate(text: str) -> Rate:
    """``"20/m"`` → Rate(20, 60); ``"100/5m"`` → Rate(100, 300); ``"3/hour"`` → Rate(3, 3600)."""
    match = RATE_RE.match(text or "")
    if not match:
        raise ValueError(f"invalid rate {text!r}; use e.g. 20/m, 100/h or 5/30s")
    count, multiplier, unit = match.groups()
    period = UNITS[unit.lower()] * (int(multiplier) if multiplier else 1)
    if period <= 0:
        raise ValueError(f"invalid rate {text!r}: the period must be positive")
    return Rate(int(count), period)


def enabled() -> bool:
    value = getattr(settings, "XIAONENG_RATELIMIT_ENABLED", None)
    if value is None:
        value = os.environ.get("XIAONENG_RATELIMIT_ENABLED", "true")
    if isinstance(value, str):
        return value.strip().lower() not in {"0", "false", "no", "off"}
    return bool(value)


def rate_for(scope: str) -> Rate:
    """Settings ``XIAONENG_RATELIMITS[scope]`` → env ``XIAONENG_RATELIMIT_<SCOPE>`` → default."""
    configured = getattr(settings, "XIAONENG_RATELIMITS", None) or {}
    text = configured.get(scope)
    if not text:
        text = os.environ.get(f"XIAONENG_RATELIMIT_{scope.upper()}")
    if not text:
        text = DEFAULT_RATES.get(scope, FALLBACK_RATE)
    return parse_rate(text)


def _cache():
    alias = getattr(settings, "XIAONENG_RATELIMIT_CACHE", "default")
    return caches[alias]


def _bucket_key(scope: str, key: str, window: int) -> str:
    digest = hashlib.sha256(f"{scope}\x00{key}".encode()).hexdigest()[:32]
    return f"xn:rl:{scope}:{digest}:{window}"


def _incr(cache, name: str, timeout: int) -> int:
    cache.add(name, 0, timeout=timeout)
    try:
        return cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=timeout)
        return 1


def _wait(rate: Rate, previous: int, current: int, elapsed: float) -> float:
    """Seconds from now until one more request fits (count after the request ≤ limit)."""
    limit, period = rate.limit, rate.period
    room = limit - current - 1
    if room >= 0 and previous > 0:
        # Still in this window: wait until the previous window's weight has decayed enough.
        needed_elapsed = period * (1 - room / previous)
        return max(needed_elapsed - elapsed, 0.0)
    # This window is full: in the next one the current count becomes the weighted "previous".
    to_next = period - elapsed
    if current <= 0:
        return to_next
    into_next = period * max(0.0, 1 - (limit - 1) / current)
    return to_next + into_next


def hit(scope: str, key: str, *, rate: Rate | None = None, count: bool = True) -> Decision:
    """Count one request of ``key`` (e.g. an IP) in ``scope`` and say whether it is allowed.

    A refused request is not counted, so a client that waits ``retry_after`` gets through.
    ``count=False`` only peeks.
    """
    rate = rate or rate_for(scope)
    if not enabled():
        return Decision(True, rate.limit, rate.limit, 0)
    if rate.limit <= 0:
        return Decision(False, 0, 0, rate.period)
    now = clock.now().timestamp()
    window = int(now // rate.period)
    elapsed = now - window * rate.period
    weight = 1 - elapsed / rate.period
    cache = _cache()
    current_key = _bucket_key(scope, key, window)
    previous = int(cache.get(_bucket_key(scope, key, window - 1)) or 0)
    timeout = rate.period * 2 + 1
    # The request is counted first (atomic incr), then taken back if it is over the limit.
    current = _incr(cache, current_key, timeout) if count else int(cache.get(current_key) or 0) + 1
    total = previous * weight + current
    if total <= rate.limit + 1e-9:
        return Decision(True, rate.limit, max(int(rate.limit - total), 0), 0)
    if count:
        with contextlib.suppress(ValueError):  # the bucket expired meanwhile
            cache.decr(current_key)
    wait = _wait(rate, previous, current - 1, elapsed)
    return Decision(False, rate.limit, 0, max(1, math.ceil(wait - 1e-6)))


def reset(scope: str, key: str) -> None:
    """Forget the counts of ``key`` (tests, or an admin unblocking a client)."""
    rate = rate_for(scope)
    window = int(clock.now().timestamp() // rate.period)
    _cache().delete_many([_bucket_key(scope, key, w) for w in (window - 1, window)])


def request_key(request) -> str:
    """The client's IP (``core.middleware.client_ip``); requests without one share a bucket."""
    return client_ip(request) or "unknown"


def too_many_requests(decision: Decision) -> HttpResponse:
    response = HttpResponse(
        _("Too many requests. Please try again in %(seconds)s seconds.")
        % {"seconds": decision.retry_after},
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(decision.retry_after)
    return response


def ratelimit(scope: str, *, methods: tuple[str, ...] | None = ("POST",), key=request_key):
    """Decorate a Django view: requests with one of ``methods`` (None = all) are counted per
    ``key(request)``; over the limit the view is not called and the answer is 429 + Retry-After.
    The decision is left on ``request.ratelimit`` for the view."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if methods is None or request.method in methods:
                decision = hit(scope, key(request))
                request.ratelimit = decision
                if not decision.allowed:
                    return too_many_requests(decision)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class ScopedRateThrottle(BaseThrottle):
    """DRF throttle on :func:`hit`; subclasses (or :func:`scoped_throttle`) set ``scope``.

    ``methods``: only these methods are counted (None = all). A refusal raises DRF's Throttled,
    which the API's problem handler turns into 429 with ``Retry-After``.
    """

    scope = "default"
    methods: tuple[str, ...] | None = None

    def allow_request(self, request, view) -> bool:
        if self.methods is not None and request.method not in self.methods:
            return True
        self.decision = hit(self.scope, request_key(request))
        return self.decision.allowed

    def wait(self):
        decision = getattr(self, "decision", None)
        return decision.retry_after if decision else None


def scoped_throttle(scope: str, *, methods: tuple[str, ...] | None = None) -> type:
    """A throttle class for ``scope`` (``throttle_classes = [scoped_throttle("public_submit")]``)."""
    name = "".join(part.title() for part in scope.split("_")) + "Throttle"
    return type(name, (ScopedRateThrottle,), {"scope": scope, "methods": methods})
