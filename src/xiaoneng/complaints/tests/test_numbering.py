"""Numbers TS + year + 6 digits: sequential per year (Asia/Shanghai), gap-free, unique under
concurrency; tracking codes are unguessable and unambiguous."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from xiaoneng.complaints import services
from xiaoneng.complaints.models import Complaint, ComplaintSequence
from xiaoneng.core.clock import frozen_now

from .test_lifecycle import at, register, reseeded  # noqa: F401


@pytest.mark.django_db
def test_numbers_run_per_year_in_local_time(org):
    with frozen_now(at(2026, 12, 31, 23, 30)):
        first = register(org, received_at=at(2026, 12, 31, 22, 0))
        second = register(org, received_at=at(2026, 12, 31, 22, 0))
    # 00:10 on 1 January in Shanghai is still 31 December in UTC: the local year counts.
    with frozen_now(at(2027, 1, 1, 0, 10)):
        third = register(org, received_at=at(2026, 12, 31, 23, 50))
        fourth = register(org, received_at=at(2027, 1, 1, 0, 5))
    assert [c.number for c in (first, second, third, fourth)] == [
        "TS2026000001",
        "TS2026000002",
        "TS2027000001",
        "TS2027000002",
    ]
    assert dict(ComplaintSequence.objects.values_list("year", "last")) == {2026: 2, 2027: 2}


@pytest.mark.django_db
def test_a_rolled_back_registration_gives_its_number_back(org):
    register(org)

    def register_then_fail():
        with transaction.atomic():
            register(org)
            raise RuntimeError("the caller failed after registering")

    with pytest.raises(RuntimeError, match="the caller failed"):
        register_then_fail()
    assert register(org).number.endswith("000002")


@pytest.mark.django_db
def test_tracking_codes_are_long_random_and_unambiguous(org):
    codes = {register(org).tracking_code for _ in range(20)}
    assert len(codes) == 20
    for code in codes:
        assert len(code) >= 12
        assert set(code) <= set(services.TRACKING_ALPHABET)
        assert not set(code) & set("01ILO")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reseeded")
def test_concurrent_registrations_get_unique_gap_free_numbers(org):
    # Thread count only: SQLite serialises writers (IMMEDIATE transactions), PostgreSQL runs them
    # in parallel and the sequence row lock orders them. Both must give 1..N without gaps.
    threads_n = 8 if connection.vendor == "postgresql" else 4
    per_thread = 5
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads_n)

    def work():
        try:
            barrier.wait()
            for _ in range(per_thread):
                register(org)
        except BaseException as exc:  # noqa: BLE001  pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    total = threads_n * per_thread
    numbers = sorted(Complaint.objects.values_list("number", flat=True))
    year = numbers[0][2:6]
    assert numbers == [f"TS{year}{n:06d}" for n in range(1, total + 1)]
    assert ComplaintSequence.objects.get(year=int(year)).last == total
