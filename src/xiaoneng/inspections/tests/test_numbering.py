"""督办单 numbers DB + year + 6 digits: gap-free, unique under concurrency, given back on
rollback (like complaint numbers); the counters are core.numbering's."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from xiaoneng.core.models import NumberSequence
from xiaoneng.core.numbering import next_value
from xiaoneng.inspections.services.common import BULLETIN_KEY, ORDER_KEY


def allocate(kind: str, year: int) -> int:
    return next_value({"DB": ORDER_KEY, "BG": BULLETIN_KEY}[kind], year)


@pytest.mark.django_db
def test_a_rolled_back_number_is_given_back():
    with transaction.atomic():
        assert allocate("DB", 2026) == 1

    def allocate_then_fail():
        with transaction.atomic():
            assert allocate("DB", 2026) == 2
            raise RuntimeError("the order was not issued after all")

    with pytest.raises(RuntimeError, match="not issued"):
        allocate_then_fail()
    assert allocate("DB", 2026) == 2
    assert allocate("DB", 2027) == 1
    assert allocate("BG", 2026) == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_orders_get_unique_gap_free_numbers():
    threads_n = 8 if connection.vendor == "postgresql" else 4
    per_thread = 5
    got: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads_n)
    lock = threading.Lock()

    def work():
        try:
            barrier.wait()
            for _ in range(per_thread):
                with transaction.atomic():
                    number = allocate("DB", 2026)
                with lock:
                    got.append(number)
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
    assert sorted(got) == list(range(1, total + 1))
    assert NumberSequence.objects.get(key=ORDER_KEY, year=2026).last == total
