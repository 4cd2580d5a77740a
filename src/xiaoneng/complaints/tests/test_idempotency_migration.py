"""complaints 0009 moves the idempotency keys to core without losing one (issue #12)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("complaints", "0008_receipt_sms_template"), ("core", "0008_idempotency_key")]
AFTER = [("complaints", "0009_idempotency_to_core")]


@pytest.fixture(autouse=True)
def _latest_schema_afterwards():
    """Each test migrates back in time; the tests after it need every table of today."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_keys_are_copied_to_core_with_their_responses(org):
    old_apps = migrate(BEFORE)
    Old = old_apps.get_model("complaints", "IdempotencyKey")
    at = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    Old.objects.create(
        user_id=org.alice.pk,
        key="k-1",
        request_hash="a" * 64,
        response_status=201,
        response_body={"id": 7, "number": "TS2026000007"},
        created_at=at,
    )
    new_apps = migrate(AFTER)
    New = new_apps.get_model("core", "IdempotencyKey")
    row = New.objects.get(key="k-1")
    assert row.scope == f"user:{org.alice.pk}" and row.user_id == org.alice.pk
    assert row.request_hash == "a" * 64 and row.response_status == 201
    assert row.response_body == {"id": 7, "number": "TS2026000007"}
    assert row.created_at == at and row.endpoint == ""


@pytest.mark.django_db(transaction=True)
def test_open311_keys_are_copied_to_core_and_replay_the_same_request(org):
    from xiaoneng.complaints import services
    from xiaoneng.complaints.models import Category

    old_apps = migrate([("open311", "0002_public_id"), ("core", "0008_idempotency_key")])
    Key = old_apps.get_model("open311", "Open311Key")
    Request = old_apps.get_model("open311", "Open311Request")
    category = Category.objects.filter(is_active=True).first()
    complaint = services.complaint_register(
        actor=None, channel="web", type="complaint", category=category,
        subject_unit=org.unit_a, title="排队", content="排队太久",
    )  # fmt: skip
    at = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    key = Key.objects.create(
        name="app", prefix="o311_abc", key_hash="x" * 64, channel="web", created_at=at
    )
    Request.objects.create(
        key=key, complaint_id=complaint.pk, token="t" * 32, public_id="PUB123", created_at=at,
        idempotency_key="abc-1", request_hash="b" * 64,
    )  # fmt: skip
    Request.objects.create(
        key=key, complaint_id=services.complaint_register(
            actor=None, channel="web", type="complaint", category=category,
            subject_unit=org.unit_a, title="无键", content="无键",
        ).pk, token="u" * 32, public_id="PUB456", created_at=at,
    )  # fmt: skip
    new_apps = migrate([("open311", "0003_idempotency_to_core")])
    rows = list(
        new_apps.get_model("core", "IdempotencyKey").objects.filter(scope__startswith="open311:")
    )
    assert len(rows) == 1
    row = rows[0]
    assert row.scope == f"open311:{key.pk}" and row.key == "abc-1"
    assert row.request_hash == "b" * 64 and row.response_body == {"service_request_id": "PUB123"}
