"""The one Idempotency-Key implementation (core/idempotency.py), through a create endpoint of
accountability: replay, 409 on another body or endpoint, scoped by user, failures not kept."""

from __future__ import annotations

import pytest

from xiaoneng.accountability.models import Case
from xiaoneng.core.models import IdempotencyKey

pytestmark = pytest.mark.django_db
URL = "/api/v1/accountability-cases"


def body(org, title="窗口推诿"):
    return {"title": title, "unit": org.unit_a.pk}


def test_the_same_key_and_body_replays_the_first_response(org, api_as):
    client = api_as(org.alice)
    first = client.post(URL, body(org), format="json", HTTP_IDEMPOTENCY_KEY="c-1")
    again = client.post(URL, body(org), format="json", HTTP_IDEMPOTENCY_KEY="c-1")
    assert first.status_code == 201, first.json()
    assert "Idempotent-Replayed" not in first
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Case.objects.filter(title="窗口推诿").count() == 1
    record = IdempotencyKey.objects.get(key="c-1")
    assert record.scope == f"user:{org.alice.pk}" and record.user == org.alice
    assert record.endpoint == URL


def test_the_same_key_with_another_body_is_a_409_problem(org, api_as):
    client = api_as(org.alice)
    client.post(URL, body(org), format="json", HTTP_IDEMPOTENCY_KEY="c-2")
    other = client.post(URL, body(org, "另一件"), format="json", HTTP_IDEMPOTENCY_KEY="c-2")
    assert other.status_code == 409
    assert other["Content-Type"].startswith("application/problem+json")
    assert "Idempotency-Key" in other.json()["errors"]
    assert not Case.objects.filter(title="另一件").exists()


def test_the_same_key_on_another_endpoint_is_a_409(org, api_as):
    client = api_as(org.alice)
    client.post(URL, body(org), format="json", HTTP_IDEMPOTENCY_KEY="c-3")
    other = client.post(
        "/api/v1/accountability-cases/from-source",
        body(org),
        format="json",
        HTTP_IDEMPOTENCY_KEY="c-3",
    )
    assert other.status_code == 409


def test_keys_are_scoped_by_user(org, api_as):
    api_as(org.alice).post(URL, body(org), format="json", HTTP_IDEMPOTENCY_KEY="same")
    # another office user with the same key makes their own case
    from xiaoneng.core.models import Role
    from xiaoneng.core.testing import make_user

    colleague = make_user("office2", None)
    colleague.roles.set(Role.objects.filter(code="office"))
    second = api_as(colleague).post(URL, body(org), format="json", HTTP_IDEMPOTENCY_KEY="same")
    assert second.status_code == 201 and "Idempotent-Replayed" not in second
    assert Case.objects.filter(title="窗口推诿").count() == 2


def test_a_failed_request_keeps_no_key_and_a_long_key_is_a_400(org, api_as):
    client = api_as(org.alice)
    bad = client.post(URL, {"title": "", "unit": org.unit_a.pk}, format="json",
                      HTTP_IDEMPOTENCY_KEY="c-4")  # fmt: skip
    assert bad.status_code == 400
    assert not IdempotencyKey.objects.filter(key="c-4").exists()
    good = client.post(URL, body(org), format="json", HTTP_IDEMPOTENCY_KEY="c-4")
    assert good.status_code == 201
    long = client.post(URL, body(org, "x"), format="json", HTTP_IDEMPOTENCY_KEY="k" * 201)
    assert long.status_code == 400 and "Idempotency-Key" in long.json()["errors"]
    assert not Case.objects.filter(title="x").exists()


def test_without_a_key_every_post_creates(org, api_as):
    client = api_as(org.alice)
    client.post(URL, body(org), format="json")
    client.post(URL, body(org), format="json")
    assert Case.objects.filter(title="窗口推诿").count() == 2
    assert not IdempotencyKey.objects.exists()
