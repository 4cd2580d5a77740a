"""Open311 keys: issued by an administrator in the staff UI or with `xiaoneng open311-key`,
stored hashed, shown once, revocable; the permission matrix of the key page."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from xiaoneng.core.errors import Forbidden, ValidationFailed
from xiaoneng.core.models import AuditRecord
from xiaoneng.core.testing import PASSWORD
from xiaoneng.open311 import services
from xiaoneng.open311.models import Open311Key

pytestmark = pytest.mark.django_db


def test_a_key_is_stored_hashed_and_authenticates_until_revoked(org, admin_user):
    key, raw = services.key_create(actor=admin_user, name="健康郑州 App", channel="web")
    assert raw.startswith("o311_") and raw not in key.key_hash and key.prefix == raw[5:13]
    assert services.authenticate(raw) == key
    assert services.authenticate("o311_" + "x" * 43) is None
    services.key_revoke(actor=admin_user, key=key)
    assert services.authenticate(raw) is None
    records = AuditRecord.objects.filter(object_type="open311.open311key", object_id=str(key.pk))
    assert sorted(records.values_list("action", flat=True)) == ["create", "revoke"]
    assert raw not in str(list(records.values_list("after", flat=True)))


def test_only_user_administrators_issue_keys(org, admin_user):
    with pytest.raises(Forbidden):
        services.key_create(actor=org.alice, name="x", channel="web")
    with pytest.raises(ValidationFailed) as exc:
        services.key_create(actor=admin_user, name=" ", channel="telegraph")
    assert set(exc.value.errors) == {"name", "channel"}


def test_a_key_prefix_never_looks_like_a_command_line_option(org):
    prefixes = {
        services.key_create(name=f"k{i}", channel="web", actor=None)[0].prefix for i in range(200)
    }
    assert not any(p.startswith(("-", "_")) for p in prefixes)


def test_the_command_creates_lists_and_revokes(org):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "open311_key", "create", "--name", "12345 热线", "--channel", "hotline_12345",
        stdout=out, stderr=err,
    )  # fmt: skip
    raw = out.getvalue().strip()
    key = Open311Key.objects.get()
    assert services.authenticate(raw) == key and key.channel == "hotline_12345"
    assert key.created_by is None
    listing = io.StringIO()
    call_command("open311_key", "list", stdout=listing)
    assert f"{key.prefix}…" in listing.getvalue() and raw not in listing.getvalue()
    call_command("open311_key", "revoke", key.prefix, stdout=io.StringIO())
    key.refresh_from_db()
    assert key.revoked_at is not None
    with pytest.raises(CommandError):
        call_command("open311_key", "create", "--name", "x", "--channel", "fax")
    with pytest.raises(CommandError):
        call_command("open311_key", "revoke", "999")


@pytest.mark.django_db(transaction=True)
def test_the_xiaoneng_cli_maps_the_dashed_name(org, tmp_path):
    from xiaoneng.core.tests.test_outbox import _database_url

    env = {
        "DATABASE_URL": _database_url(),
        "PYTHONPATH": str(Path(__file__).resolve().parents[3]),
        "XIAONENG_ENV": "test",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from xiaoneng.cli import main; main()",
            "open311-key",
            "create",
            "--name",
            "12345",
            "--channel",
            "hotline_12345",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    raw = result.stdout.strip()
    assert services.authenticate(raw).name == "12345"


# --- the staff page ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("nobody", 403), ("bob", 403), ("alice", 403), ("admin", 200)],
)
def test_key_page_permission_matrix(client, org, admin_user, who, expected):
    users = {"nobody": org.nobody, "bob": org.bob, "alice": org.alice, "admin": admin_user}
    if who in users:
        client.force_login(users[who])
    response = client.get("/open311/v2/keys/")
    assert response.status_code == expected
    if who != "admin":
        response = client.post("/open311/v2/keys/new", {"name": "x", "channel": "web"})
        assert response.status_code == expected
        assert not Open311Key.objects.exists()


def test_an_admin_issues_a_key_sees_it_once_and_revokes_it(client, org, admin_user):
    assert client.login(username="sam", password=PASSWORD)
    response = client.post(
        "/open311/v2/keys/new", {"name": "12345 热线", "channel": "hotline_12345"}, follow=True
    )
    page = response.content.decode()
    key = Open311Key.objects.get()
    assert key.created_by == admin_user
    raw = response.context["new_key"]["raw"]
    assert raw in page and services.authenticate(raw) == key
    again = client.get("/open311/v2/keys/").content.decode()
    assert raw not in again and f"{key.prefix}…" in again  # shown once only
    client.post(f"/open311/v2/keys/{key.pk}/revoke")
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_the_key_form_keeps_input_and_names_errors(client, org, admin_user):
    client.force_login(admin_user)
    response = client.post("/open311/v2/keys/new", {"name": "", "channel": "fax"})
    assert response.status_code == 400
    assert response.context["form_errors"].keys() == {"name", "channel"}
    assert not Open311Key.objects.exists()
