"""complaints 0009 moves the idempotency keys to core without losing one (issue #12)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("complaints", "0008_receipt_sms_template"), ("core", "0007_idempotency_key")]
AFTER = [("complaints", "0009_idempotency_to_core")]


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
