"""core.batch: deferred INSERTs are written together at the end of the block (one statement on
PostgreSQL, read back equal to what the ORM writes), never when the block fails, and a unique
violation in the batch fails the whole of it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from xiaoneng.core import batch
from xiaoneng.core.models import AuditRecord, IdempotencyKey

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 3, 4, 5, 6, 7, 891234, tzinfo=dt.UTC)


def _audit(**overrides) -> AuditRecord:
    data = {
        "at": AT,
        "actor_name": "system",
        "action": "create",
        "object_type": "core.thing",
        "object_id": "7",
        "object_repr": "一件事 'quoted' \"double\" %s %(x)s \\ back",
        "before": None,
        "after": {"n": 1, "when": "2026-03-04", "list": [1, "二", None], "d": str(Decimal("1.50"))},
        "reason": "",
        "request_id": "r-1",
        "ip": "10.1.2.3",
    }
    data.update(overrides)
    return AuditRecord(**data)


def _key(key: str) -> IdempotencyKey:
    return IdempotencyKey(
        scope="test",
        key=key,
        request_hash="h",
        response_status=201,
        response_body={"number": "TS2026000001", "named": True},
        created_at=AT,
    )


def _columns(obj) -> dict:
    return {
        f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.attname != "id"
    }


def test_outside_a_block_insert_writes_at_once():
    record = batch.insert(_audit())
    assert record.pk is not None and AuditRecord.objects.filter(pk=record.pk).exists()


def test_rows_are_written_when_the_block_ends_and_read_back_as_the_orm_writes_them():
    plain = _audit()
    plain.save()
    with batch.deferred():
        batch.insert(_audit(object_id="8"))
        batch.insert(_key("k-1"))
        assert not AuditRecord.objects.filter(object_id="8").exists()  # not yet
    deferred = AuditRecord.objects.get(object_id="8")
    expected = {**_columns(AuditRecord.objects.get(pk=plain.pk)), "object_id": "8"}
    assert _columns(deferred) == expected
    assert deferred.at == AT  # microseconds kept
    key = IdempotencyKey.objects.get(key="k-1")
    assert key.response_body == {"number": "TS2026000001", "named": True}


def test_on_postgresql_the_batch_is_one_statement():
    with CaptureQueriesContext(connection) as queries, batch.deferred():
        for i in range(3):
            batch.insert(_audit(object_id=str(i)))
        batch.insert(_key("k-2"))
    expected = 1 if connection.vendor == "postgresql" else 4
    assert len(queries.captured_queries) == expected
    assert AuditRecord.objects.filter(object_id__in=["0", "1", "2"]).count() == 3


def test_a_failing_block_writes_nothing():
    def refused():
        with transaction.atomic(), batch.deferred():
            batch.insert(_audit(object_id="9"))
            raise RuntimeError("refused")

    with pytest.raises(RuntimeError):
        refused()
    assert not AuditRecord.objects.filter(object_id="9").exists()
    assert not batch.is_open()


def test_a_unique_violation_fails_the_whole_batch():
    batch.insert(_key("taken"))

    def twice():
        with transaction.atomic(), batch.deferred():
            batch.insert(_audit(object_id="10"))
            batch.insert(_key("taken"))

    with pytest.raises(IntegrityError):
        twice()
    assert not AuditRecord.objects.filter(object_id="10").exists()
    assert IdempotencyKey.objects.filter(key="taken").count() == 1


def test_flush_writes_what_is_held_and_keeps_the_block_open():
    with batch.deferred():
        batch.insert(_audit(object_id="11"))
        batch.flush()
        assert AuditRecord.objects.filter(object_id="11").exists()
        batch.insert(_audit(object_id="12"))
        assert batch.is_open()
    assert AuditRecord.objects.filter(object_id="12").exists()


def test_an_inner_block_joins_the_outer_one():
    with batch.deferred():
        with batch.deferred():
            batch.insert(_audit(object_id="13"))
        assert not AuditRecord.objects.filter(object_id="13").exists()
    assert AuditRecord.objects.filter(object_id="13").exists()
