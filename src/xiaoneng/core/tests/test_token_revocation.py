"""Issue #21 item 5: API tokens end with the password, a lock or deactivation; revoke-all."""

from datetime import timedelta

import django.contrib.auth.management.commands.changepassword as cmd
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from xiaoneng.core import audit
from xiaoneng.core.clock import frozen_now
from xiaoneng.core.errors import Forbidden
from xiaoneng.core.models import ApiToken, User
from xiaoneng.core.services import accounts
from xiaoneng.core.testing import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Fresh-start-77"


def issue(username="bob", password=PASSWORD) -> str:
    response = APIClient().post(
        reverse("api-token"), {"username": username, "password": password}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()["token"]


def me(key: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client.get(reverse("api-me")).status_code


def live(user) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()


def test_changing_the_password_on_the_web_form_revokes_every_token(client, org):
    keys = [issue(), issue()]
    client.force_login(org.bob)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert [me(k) for k in keys] == [401, 401]
    assert live(org.bob) == 0
    assert me(issue(password=NEW_PASSWORD)) == 200  # a new token works


def test_a_password_set_by_an_admin_or_a_command_revokes_tokens(org):
    key = issue()
    user = User.objects.get(pk=org.bob.pk)
    user.set_password(NEW_PASSWORD)
    user.save(update_fields=["password"])
    assert me(key) == 401
    key = issue(password=NEW_PASSWORD)
    # ``changepassword`` asks twice through getpass.
    answers = iter(["Other-pass-88", "Other-pass-88"])
    original = cmd.getpass.getpass
    cmd.getpass.getpass = lambda prompt="": next(answers)
    try:
        call_command("changepassword", "bob")
    finally:
        cmd.getpass.getpass = original
    assert me(key) == 401


def test_a_password_written_behind_save_still_ends_older_tokens(org):
    start = timezone.now()
    with frozen_now(start):
        key = issue()
    # e.g. a bulk update or a restore: only password_changed_at moves.
    User.objects.filter(pk=org.bob.pk).update(password_changed_at=start + timedelta(seconds=1))
    assert me(key) == 401


def test_deactivating_an_account_revokes_its_tokens(org):
    key = issue()
    org.bob.is_active = False
    org.bob.save()
    assert live(org.bob) == 0
    org.bob.is_active = True
    org.bob.save()
    assert me(key) == 401  # revoked, not just refused while inactive


def test_a_lock_by_an_administrator_revokes_tokens_and_is_audited(org):
    admin = User.objects.create_superuser("root", password=NEW_PASSWORD)
    key = issue()
    accounts.account_lock(actor=admin, user=org.bob, reason="lost laptop")
    assert me(key) == 401 and live(org.bob) == 0
    assert audit.history(org.bob).first().action == "account_lock"
    refused = APIClient().post(
        reverse("api-token"), {"username": "bob", "password": PASSWORD}, format="json"
    )
    assert refused.status_code == 400
    accounts.account_unlock(actor=admin, user=org.bob)
    assert me(issue()) == 200


def test_only_user_managers_lock_accounts(org):
    with pytest.raises(Forbidden):
        accounts.account_lock(actor=org.alice, user=org.bob)
    with pytest.raises(Forbidden):
        accounts.tokens_revoke_all(actor=org.carol, user=org.bob)


def test_revoke_all_ends_every_token_of_the_caller_and_no_one_elses(org):
    keys = [issue(), issue()]
    carols = issue("carol")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {keys[0]}")
    response = client.post(reverse("api-token-revoke-all"))
    assert response.status_code == 200 and response.json() == {"revoked": 2}
    assert [me(k) for k in keys] == [401, 401]
    assert me(carols) == 200
    assert audit.history(org.bob).first().action == "tokens_revoke_all"


def test_revoke_all_works_from_a_browser_session_and_needs_a_login(api_as, org):
    key = issue()
    assert api_as(org.bob).post(reverse("api-token-revoke-all")).json() == {"revoked": 1}
    assert me(key) == 401
    assert APIClient().post(reverse("api-token-revoke-all")).status_code == 401


def test_the_token_lifetime_is_a_setting(org, settings):
    settings.API_TOKEN_TTL_HOURS = 2
    start = timezone.now()
    with frozen_now(start):
        key = issue()
        assert ApiToken.objects.get(user=org.bob).expires_at == start + timedelta(hours=2)
    with frozen_now(start + timedelta(hours=2, seconds=1)):
        assert me(key) == 401
