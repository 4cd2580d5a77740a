"""Authentication: the Chinese login page, password policy, lockout, forced change, idle timeout."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from xiaoneng.core import audit, auth, captcha
from xiaoneng.core.clock import frozen_now
from xiaoneng.core.models import LoginLog
from xiaoneng.core.services import accounts
from xiaoneng.core.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Fresh-start-77"


def login(client, username, password, captcha=None, **extra):
    data = {"username": username, "password": password}
    if captcha is not None:
        data["captcha"] = captcha
    return client.post(reverse("login"), data, **extra)


def error_of(response) -> str:
    return " ".join(str(e) for e in response.context["form"].non_field_errors())


def outcomes(username) -> list[str]:
    """The user's login log, oldest first."""
    return list(
        LoginLog.objects.filter(username=username)
        .order_by("at", "id")
        .values_list("outcome", flat=True)
    )


# --- the login page ------------------------------------------------------------------------------
def test_the_login_page_is_chinese(client):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in html
    assert "登录" in html and "用户名" in html and "密码" in html


def test_a_page_sends_anonymous_visitors_to_the_login_page(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_good_login_is_logged_with_ip_and_user_agent(client, org):
    response = login(
        client, "bob", PASSWORD, HTTP_USER_AGENT="Mozilla/5.0 Test", REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 302
    entry = LoginLog.objects.get(username="bob")
    assert entry.success and entry.outcome == "success"
    assert entry.user == org.bob
    assert entry.ip == "10.1.2.3"
    assert entry.user_agent == "Mozilla/5.0 Test"


def test_a_wrong_password_is_refused_and_logged_with_the_reason(client, org):
    response = login(client, "bob", "Wrong-pass-1")
    assert response.status_code == 200
    assert error_of(response) == "用户名或密码错误。"
    assert outcomes("bob") == ["bad_password"]
    assert not LoginLog.objects.get(username="bob").success


def test_an_unknown_user_name_is_logged_without_a_user(client, db):
    login(client, "ghost", "Whatever-1")
    entry = LoginLog.objects.get(username="ghost")
    assert entry.user is None and entry.outcome == "bad_password"


def test_logging_out_is_logged(client, org):
    login(client, "bob", PASSWORD)
    client.post(reverse("logout"))
    assert outcomes("bob") == ["success", "logout"]


def test_a_disabled_account_is_refused_with_its_reason(client, org):
    org.bob.is_active = False
    org.bob.save()
    response = login(client, "bob", PASSWORD)
    assert "停用" in error_of(response) or "disabled" in error_of(response)
    assert outcomes("bob") == ["inactive"]


# --- password policy -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "password",
    [
        "Ab1-xyz",  # 7 characters
        "abcdefghij",  # one class
        "abcdefgh12",  # two classes
        "ABCDEFGH!!",  # two classes
        settings.DEMO_PASSWORD,  # published demo password (demo mode is off)
    ],
)
def test_the_password_policy_rejects(password, db):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize("password", ["Kx7mQpLz", "kx7mqp!z", "KX7MQP!Z", "Fresh-start-77"])
def test_the_password_policy_accepts_8_characters_of_3_classes(password, db):
    validate_password(password)


def test_the_password_form_names_the_broken_rule(client, org):
    client.force_login(org.dave)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "abcdefgh12", "new_password2": "abcdefgh12"},
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["new_password2"])
    assert "3" in errors
    org.dave.refresh_from_db()
    assert org.dave.check_password(PASSWORD)


# --- failed logins: captcha, progressive delay, per-address throttle (issue #21 item 11) -------
def captcha_answer(client) -> str:
    return client.session[captcha.SESSION_KEY]["answer"]


def test_five_failures_ask_for_a_captcha_and_the_password_alone_is_refused(client, org):
    for _ in range(5):
        assert login(client, "bob", "Wrong-pass-1").status_code == 200
    response = login(client, "bob", PASSWORD)  # the right password, but no captcha
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "图片" in error_of(response)
    assert 'data-testid="captcha-image"' in response.content.decode()
    assert outcomes("bob") == ["bad_password"] * 5 + ["captcha"]
    org.bob.refresh_from_db()
    assert org.bob.locked_until is None  # nobody can lock an account by guessing


def test_the_real_user_gets_in_with_the_captcha_however_many_attacks(client, org):
    attacker = type(client)()
    for i in range(40):  # many addresses, so the per-address throttle does not stop them
        login(attacker, "bob", "Wrong-pass-1", REMOTE_ADDR=f"10.0.{i}.1")
    first = login(client, "bob", "Wrong-pass-1")
    assert 'data-testid="captcha-image"' in first.content.decode()
    response = login(client, "bob", PASSWORD, captcha=captcha_answer(client).lower())
    assert response.status_code == 302
    assert outcomes("bob")[-1] == "success"


def test_a_wrong_captcha_is_refused_counted_and_replaced(client, org):
    for _ in range(5):
        login(client, "bob", "Wrong-pass-1")
    client.get(reverse("login"))
    login(client, "bob", PASSWORD)
    old = captcha_answer(client)
    response = login(client, "bob", PASSWORD, captcha="ZZZZ" if old != "ZZZZ" else "YYYY")
    assert "验证码" in error_of(response)
    # The used-up answer does not work a second time.
    response = login(client, "bob", PASSWORD, captcha=old)
    assert "_auth_user_id" not in client.session
    assert outcomes("bob")[-3:] == ["captcha"] * 3


def test_an_unknown_user_name_gets_the_same_captcha(client, db):
    for _ in range(5):
        login(client, "ghost", "Wrong-pass-1")
    response = login(client, "ghost", "Wrong-pass-1")
    assert 'data-testid="captcha-image"' in response.content.decode()


def test_an_administrators_lock_refuses_the_right_password_and_shows_in_the_log(client, org):
    accounts.account_lock(actor=org.alice, user=org.bob, check=False)
    response = login(client, "bob", PASSWORD)
    assert "管理员" in error_of(response)
    client.force_login(org.alice)
    response = client.get(reverse("org:loginlog"), {"q": "bob", "outcome": "locked"})
    rows = list(response.context["page"])
    assert [r.outcome for r in rows] == ["locked"]
    assert 'data-testid="locked"' in response.content.decode()


def test_four_failures_do_not_ask_for_a_captcha(client, org):
    for _ in range(4):
        login(client, "bob", "Wrong-pass-1")
    assert login(client, "bob", PASSWORD).status_code == 302


def test_a_success_resets_the_failure_count(client, org):
    start = timezone.now()
    with frozen_now(start):
        for _ in range(4):
            login(client, "bob", "Wrong-pass-1")
        assert login(client, "bob", PASSWORD).status_code == 302
        client.post(reverse("logout"))
    with frozen_now(start + timedelta(minutes=1)):
        login(client, "bob", "Wrong-pass-1")
        assert not auth.needs_captcha("bob")


def test_failures_older_than_the_window_do_not_count(client, org):
    start = timezone.now()
    with frozen_now(start):
        for _ in range(4):
            login(client, "bob", "Wrong-pass-1")
    with frozen_now(start + timedelta(minutes=11)):
        login(client, "bob", "Wrong-pass-1")
        assert not auth.needs_captcha("bob")


def token(api, username, password, **extra):
    return api.post(reverse("api-token"), {"username": username, "password": password}, **extra)


def test_the_api_waits_a_doubling_delay_after_five_failures(api, org):
    start = timezone.now()
    with frozen_now(start):
        for _ in range(5):
            assert token(api, "bob", "Wrong-pass-1").status_code == 400
        refused = token(api, "bob", PASSWORD)
    assert refused.status_code == 429 and refused["Retry-After"] == "1"
    assert outcomes("bob")[-1] == "throttled"
    with frozen_now(start + timedelta(seconds=1)):
        assert token(api, "bob", "Wrong-pass-1").status_code == 400  # the 6th failure
        assert token(api, "bob", PASSWORD)["Retry-After"] == "2"
    with frozen_now(start + timedelta(seconds=3)):
        assert token(api, "bob", PASSWORD).status_code == 201


def test_the_delay_never_exceeds_the_window(org):
    start = timezone.now()
    LoginLog.objects.bulk_create(
        LoginLog(at=start, username="bob", success=False, outcome="bad_password") for _ in range(60)
    )
    with frozen_now(start):
        assert auth.retry_delay(auth.recent_failures("bob")) == settings.LOGIN_LOCK_MINUTES * 60


def test_failed_logins_are_throttled_per_address_on_the_form_and_the_api(client, api, org):
    for i in range(20):  # spraying: one password over many names
        login(client, f"user{i}", "Spring-2026", REMOTE_ADDR="10.9.9.9")
    response = login(client, "bob", PASSWORD, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 429 and "秒" in error_of(response)
    refused = token(api, "bob", PASSWORD, REMOTE_ADDR="10.9.9.9")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert outcomes("bob")[-2:] == ["throttled", "throttled"]
    # Another address is not affected.
    assert login(client, "bob", PASSWORD, REMOTE_ADDR="10.9.9.10").status_code == 302


def test_the_token_endpoint_limits_every_request_per_address(api, db):
    for _ in range(30):
        api.post(reverse("api-token"), {}, REMOTE_ADDR="10.8.8.8")
    refused = api.post(reverse("api-token"), {}, REMOTE_ADDR="10.8.8.8")
    assert refused.status_code == 429 and refused["Content-Type"] == "application/problem+json"


# --- forced password change ----------------------------------------------------------------------
@pytest.fixture
def newcomer(org):
    return make_user("newbie", None, "staff", must_change_password=True)


def test_first_login_sends_every_page_to_the_password_form(client, org, newcomer):
    response = login(client, "newbie", PASSWORD)
    assert response.status_code == 302
    for url in [reverse("home"), reverse("inbox"), reverse("org:units"), "/complaints/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("password_change"), url
    assert client.get(reverse("password_change")).status_code == 200


def test_first_login_refuses_the_api_until_the_password_is_changed(client, api, org, newcomer):
    login(client, "newbie", PASSWORD)
    response = client.get(reverse("api-me"))
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    token = api.post(reverse("api-token"), {"username": "newbie", "password": PASSWORD})
    assert token.status_code == 400


def test_changing_the_password_lifts_the_redirect(client, org, newcomer):
    login(client, "newbie", PASSWORD)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    newcomer.refresh_from_db()
    assert not newcomer.must_change_password
    assert newcomer.password_changed_at is not None
    assert client.get(reverse("home")).status_code == 200  # still logged in
    assert audit.history(newcomer).filter(action="password_change").exists()
    record = audit.history(newcomer).get(action="password_change")
    assert record.before is None and record.after is None  # never the password itself


def test_the_forced_change_still_applies_the_policy(client, org, newcomer):
    login(client, "newbie", PASSWORD)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "short1A", "new_password2": "short1A"},
    )
    assert response.status_code == 200
    newcomer.refresh_from_db()
    assert newcomer.must_change_password


def test_an_account_created_in_the_admin_must_change_its_password(client, org):
    admin = make_user("root", None, is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.post(
        reverse("admin:core_user_add"),
        {
            "username": "fresh",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    from xiaoneng.core.models import User

    assert User.objects.get(username="fresh").must_change_password


# --- idle timeout --------------------------------------------------------------------------------
def test_the_session_expires_after_thirty_idle_minutes(client, org):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        login(client, "bob", PASSWORD)
        assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_activity_keeps_the_session_alive(client, org):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        login(client, "bob", PASSWORD)
    for minutes in (20, 40, 60):  # each request renews the 30-minute window
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get(reverse("home")).status_code == 200, minutes
    with time_machine.travel(start + timedelta(minutes=91), tick=False):
        assert client.get(reverse("home")).status_code == 302


def test_an_unchanged_session_is_rewritten_at_most_once_a_minute(client, org):
    from django.contrib.sessions.models import Session

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        login(client, "bob", PASSWORD)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value

    def stored_expiry():
        return Session.objects.get(pk=key).expire_date

    first = stored_expiry()
    with time_machine.travel(start + timedelta(seconds=40), tick=False):
        assert client.get(reverse("home")).status_code == 200
    assert stored_expiry() == first  # renewed 40 s ago: no write
    later = start + timedelta(seconds=90)
    with time_machine.travel(later, tick=False):
        assert client.get(reverse("home")).status_code == 200
    assert stored_expiry() == later + timedelta(seconds=settings.SESSION_COOKIE_AGE)


# --- demo password -------------------------------------------------------------------------------
def test_the_demo_password_is_refused_when_demo_mode_is_off(client, org):
    assert settings.DEMO is False
    org.bob.set_password(settings.DEMO_PASSWORD)
    org.bob.save()
    response = login(client, "bob", settings.DEMO_PASSWORD)
    assert response.status_code == 200
    assert "演示" in error_of(response)
    assert outcomes("bob") == ["demo_password"]


def test_the_demo_password_works_in_demo_mode(client, org, settings):
    settings.DEMO = True
    org.bob.set_password(settings.DEMO_PASSWORD)
    org.bob.save()
    assert login(client, "bob", settings.DEMO_PASSWORD).status_code == 302
    assert outcomes("bob") == ["success"]
