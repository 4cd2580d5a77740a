"""Issue #21 item 12: CSP without inline script, HSTS and https redirect for production
(``xiaoneng check --deploy`` clean), client addresses behind trusted proxies only."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory
from django.urls import reverse

from xiaoneng.core import ratelimit
from xiaoneng.core.middleware import client_ip

pytestmark = pytest.mark.django_db

SRC = Path(django_settings.BASE_DIR)


# --- xiaoneng check --deploy -----------------------------------------------------------------
def deploy_check(tmp_path, **overrides) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "PYTHONPATH": str(SRC.parent),
        "XIAONENG_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "XIAONENG_FIELD_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "xiaoneng.example.gov.cn",
        "XIAONENG_VAR_DIR": str(tmp_path),
        **overrides,
    }
    code = "from xiaoneng.cli import main; main(['xiaoneng', 'check', '--deploy', '--fail-level', 'WARNING'])"
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )


def test_the_deploy_check_is_clean_in_production_mode(tmp_path):
    result = deploy_check(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "identified no issues" in result.stdout


def test_the_deploy_check_fails_when_https_is_switched_off(tmp_path):
    result = deploy_check(tmp_path, XIAONENG_SSL_REDIRECT="false", XIAONENG_HSTS_SECONDS="0")
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout
    assert "security.W008" in result.stderr + result.stdout


# --- Content-Security-Policy -----------------------------------------------------------------
def script_src(policy: str) -> str:
    return next(p for p in policy.split(";") if p.strip().startswith("script-src"))


@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/public/", "/api/v1/public/units", "/api/docs/"]
)
def test_every_answer_carries_a_policy_without_inline_script(client, url):
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    assert "'self'" in script_src(policy)
    assert "unsafe-inline" not in script_src(policy) and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"


def test_staff_pages_carry_the_policy_too(client, org):
    client.force_login(org.alice)
    assert "script-src 'self'" in client.get(reverse("home"))["Content-Security-Policy"]


def test_the_policy_can_be_report_only(client, settings):
    settings.XIAONENG_CSP_REPORT_ONLY = True
    response = client.get("/accounts/login/")
    assert "Content-Security-Policy" not in response
    assert "script-src" in response["Content-Security-Policy-Report-Only"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def test_no_template_has_inline_script_or_event_handler_attributes():
    offenders = []
    for path in SRC.rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, JS_URL):
            for match in pattern.finditer(text):
                offenders.append(f"{path.relative_to(SRC)}: {match.group(0)[:80]}")
    assert offenders == []


def test_rendered_pages_have_no_inline_script(client, org):
    client.force_login(org.alice)
    for url in ["/accounts/password/", "/system/units/", "/system/calendar/", "/public/"]:
        html = client.get(url).content.decode()
        assert not INLINE_SCRIPT.search(html), url
        assert not EVENT_HANDLER.search(html), url
    assert "js/xiaoneng.js" in client.get("/system/calendar/").content.decode()


# --- HSTS and the https redirect ---------------------------------------------------------------
def test_https_pages_send_hsts_and_http_is_redirected(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    redirect = client.get("/accounts/login/")
    assert redirect.status_code == 301 and redirect["Location"].startswith("https://")


# --- client address behind trusted proxies -----------------------------------------------------
def request(remote: str, forwarded: str | None = None, **meta):
    extra = {"REMOTE_ADDR": remote, **meta}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_forwarded_for_is_ignored_without_trusted_proxies(settings):
    settings.XIAONENG_TRUSTED_PROXIES = []
    assert client_ip(request("10.0.0.1", "1.2.3.4")) == "10.0.0.1"


def test_forwarded_for_is_read_from_the_right_past_trusted_proxies(settings):
    settings.XIAONENG_TRUSTED_PROXIES = ["10.0.0.0/8", "127.0.0.1"]
    assert client_ip(request("127.0.0.1", "1.2.3.4")) == "1.2.3.4"
    # What the client wrote itself (left of the real address) is never believed.
    assert client_ip(request("127.0.0.1", "6.6.6.6, 1.2.3.4")) == "1.2.3.4"
    assert client_ip(request("127.0.0.1", "1.2.3.4, 10.1.1.1")) == "1.2.3.4"
    assert client_ip(request("127.0.0.1", "2001:db8::1")) == "2001:db8::1"
    assert client_ip(request("127.0.0.1", "not-an-ip")) == "127.0.0.1"
    assert client_ip(request("127.0.0.1")) == "127.0.0.1"
    # A client talking to the site directly cannot pick its address.
    assert client_ip(request("5.5.5.5", "1.2.3.4")) == "5.5.5.5"


def test_rate_limits_key_on_each_client_behind_the_proxy(client, db, settings):
    settings.XIAONENG_TRUSTED_PROXIES = ["127.0.0.1"]
    for i in range(20):
        client.post(
            reverse("login"),
            {"username": f"u{i}", "password": "Spring-2026"},
            HTTP_X_FORWARDED_FOR="1.1.1.1",
        )
    assert not ratelimit.hit("login_ip", "1.1.1.1", count=False).allowed
    assert ratelimit.hit("login_ip", "127.0.0.1", count=False).allowed
    refused = client.post(
        reverse("login"), {"username": "x", "password": "y"}, HTTP_X_FORWARDED_FOR="1.1.1.1"
    )
    other = client.post(
        reverse("login"), {"username": "x", "password": "y"}, HTTP_X_FORWARDED_FOR="2.2.2.2"
    )
    assert refused.status_code == 429 and other.status_code == 200


def test_forwarded_proto_counts_only_from_a_trusted_proxy(client, settings):
    settings.XIAONENG_TRUSTED_PROXIES = ["10.0.0.1"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    spoofed = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="5.5.5.5")
    assert spoofed.status_code == 301
    proxied = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="10.0.0.1")
    assert proxied.status_code == 200
