"""core.ratelimit: the sliding-window counter, its configuration, the view decorator and the
DRF throttle (429 with Retry-After)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.utils import timezone
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from xiaoneng.core import ratelimit
from xiaoneng.core.clock import frozen_now

T0 = timezone.make_aware(dt.datetime(2026, 3, 2, 10, 0, 0))


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def at(seconds: float):
    return frozen_now(T0 + dt.timedelta(seconds=seconds))


@pytest.mark.parametrize(
    ("text", "limit", "period"),
    [
        ("20/m", 20, 60),
        ("100/5m", 100, 300),
        ("3/hour", 3, 3600),
        ("5/30s", 5, 30),
        ("1/d", 1, 86400),
    ],
)
def test_it_parses_rates(text, limit, period):
    assert ratelimit.parse_rate(text) == ratelimit.Rate(limit, period)


@pytest.mark.parametrize("text", ["", "20", "x/m", "20/w", "20/0m"])
def test_it_refuses_bad_rates(text):
    with pytest.raises(ValueError, match="invalid rate"):
        ratelimit.parse_rate(text)


def test_the_default_lets_twenty_submissions_through_and_refuses_the_twenty_first():
    with at(5):
        decisions = [ratelimit.hit("public_submit", "10.0.0.1") for _ in range(21)]
    assert all(d.allowed for d in decisions[:20])
    assert decisions[19].remaining == 0
    refused = decisions[20]
    assert not refused.allowed
    # The window 10:00:00–10:01:00 is full. In the next one the 20 hits weigh
    # 20 × (1 − t/60); the 21st fits once that is ≤ 19, at t = 3 s: 55 s + 3 s from 10:00:05.
    assert refused.retry_after == 58


def test_counts_are_per_key_and_per_scope():
    rate = ratelimit.Rate(2, 60)
    with at(1):
        assert ratelimit.hit("a", "ip1", rate=rate).allowed
        assert ratelimit.hit("a", "ip1", rate=rate).allowed
        assert not ratelimit.hit("a", "ip1", rate=rate).allowed
        assert ratelimit.hit("a", "ip2", rate=rate).allowed
        assert ratelimit.hit("b", "ip1", rate=rate).allowed


def test_a_refused_request_is_not_counted_and_the_client_gets_through_after_retry_after():
    rate = ratelimit.Rate(3, 60)
    with at(50):
        for _ in range(3):
            assert ratelimit.hit("s", "k", rate=rate).allowed
        for _ in range(5):  # hammering while blocked does not extend the block
            refused = ratelimit.hit("s", "k", rate=rate)
        assert not refused.allowed
    # In the next window the 3 earlier hits weigh 3 × (1 − elapsed/60); one more fits when
    # that is ≤ 2, i.e. after 20 s of the new window: 10 s + 20 s from 10:00:50.
    assert refused.retry_after == 30
    with at(50 + 29):
        assert not ratelimit.hit("s", "k", rate=rate).allowed
    with at(50 + 30):
        assert ratelimit.hit("s", "k", rate=rate).allowed


def test_the_window_slides_over_the_boundary():
    """A burst at the end of one window still counts at the start of the next one."""
    rate = ratelimit.Rate(20, 60)
    with at(59):
        for _ in range(20):
            assert ratelimit.hit("s", "k", rate=rate).allowed
    with at(61):
        assert not ratelimit.hit("s", "k", rate=rate).allowed
    with at(60 + 60):  # a whole period later the burst has gone
        assert ratelimit.hit("s", "k", rate=rate).allowed


def test_peeking_does_not_count():
    rate = ratelimit.Rate(1, 60)
    with at(1):
        assert ratelimit.hit("s", "k", rate=rate, count=False).allowed
        assert ratelimit.hit("s", "k", rate=rate).allowed
        assert not ratelimit.hit("s", "k", rate=rate, count=False).allowed


def test_limits_come_from_settings_then_env_then_defaults(monkeypatch):
    assert ratelimit.rate_for("public_submit") == ratelimit.Rate(20, 60)
    assert ratelimit.rate_for("something_else") == ratelimit.parse_rate(ratelimit.FALLBACK_RATE)
    monkeypatch.setenv("XIAONENG_RATELIMIT_PUBLIC_SUBMIT", "5/h")
    assert ratelimit.rate_for("public_submit") == ratelimit.Rate(5, 3600)
    with override_settings(XIAONENG_RATELIMITS={"public_submit": "7/m"}):
        assert ratelimit.rate_for("public_submit") == ratelimit.Rate(7, 60)


def test_it_can_be_switched_off():
    rate = ratelimit.Rate(1, 60)
    with override_settings(XIAONENG_RATELIMIT_ENABLED=False), at(1):
        assert all(ratelimit.hit("s", "k", rate=rate).allowed for _ in range(5))


def test_reset_forgets_a_client():
    with at(1):
        for _ in range(20):
            ratelimit.hit("public_submit", "k")
        assert not ratelimit.hit("public_submit", "k").allowed
        ratelimit.reset("public_submit", "k")
        assert ratelimit.hit("public_submit", "k").allowed


@override_settings(XIAONENG_RATELIMITS={"deco": "2/m"})
def test_the_view_decorator_answers_429_with_retry_after_for_counted_methods_only():
    @ratelimit.ratelimit("deco", methods=("POST",))
    def view(request):
        return HttpResponse("ok")

    factory = RequestFactory()
    with at(10):
        assert [view(factory.post("/", REMOTE_ADDR="1.2.3.4")).status_code for _ in range(2)] == [
            200,
            200,
        ]
        refused = view(factory.post("/", REMOTE_ADDR="1.2.3.4"))
        assert refused.status_code == 429
        # 50 s to the next window + 30 s until 2 × (1 − t/60) ≤ 1.
        assert refused["Retry-After"] == "80"
        assert view(factory.get("/", REMOTE_ADDR="1.2.3.4")).status_code == 200
        assert view(factory.post("/", REMOTE_ADDR="5.6.7.8")).status_code == 200


class Pinged(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ratelimit.scoped_throttle("ping_scope")]

    def post(self, request):
        return Response({"ok": True})


@override_settings(XIAONENG_RATELIMITS={"ping_scope": "3/m"})
def test_the_drf_throttle_gives_a_problem_429_with_retry_after():
    factory = APIRequestFactory()
    view = Pinged.as_view()
    with at(30):
        codes = [view(factory.post("/", {}, format="json")).status_code for _ in range(3)]
        refused = view(factory.post("/", {}, format="json"))
    assert codes == [200, 200, 200]
    assert refused.status_code == 429
    assert refused["Retry-After"] == "50"  # 30 s + 20 s until 3 × (1 − t/60) ≤ 2
    refused.render()
    assert refused["Content-Type"].startswith("application/problem+json")
    assert refused.data["status"] == 429
