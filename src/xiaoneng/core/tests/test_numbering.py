"""core.numbering: one gap-free counter per key and year for every app's numbers (issue #12).
Numbers run 1, 2, 3 … per key and year, a rolled-back transaction gives its number back, and
concurrent creators (threads with their own connections; on PostgreSQL truly in parallel) get
each number exactly once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from xiaoneng.core import numbering
from xiaoneng.core.models import NumberSequence


@pytest.mark.django_db
def test_numbers_run_per_key_and_year_and_a_rollback_gives_its_number_back():
    with transaction.atomic():
        assert numbering.next_value("test.a", 2026) == 1

    def take_then_fail():
        with transaction.atomic():
            assert numbering.next_value("test.a", 2026) == 2
            raise RuntimeError("the document was not created after all")

    with pytest.raises(RuntimeError, match="not created"):
        take_then_fail()
    assert numbering.next_value("test.a", 2026) == 2
    assert numbering.next_value("test.a", 2027) == 1
    assert numbering.next_value("test.b", 2026) == 1
    assert dict(
        ((k, y), last) for k, y, last in NumberSequence.objects.values_list("key", "year", "last")
    ) == {("test.a", 2026): 2, ("test.a", 2027): 1, ("test.b", 2026): 1}


@pytest.mark.django_db
def test_a_block_of_numbers_is_reserved_at_once_and_formatted():
    assert numbering.allocate("test.block", 2026, 3) == 1
    assert numbering.allocate("test.block", 2026, 2) == 4
    assert numbering.next_value("test.block", 2026) == 6
    assert numbering.format_number("WT", 2026, 7) == "WT2026000007"
    assert numbering.next_number("test.block", "ZG", 2026) == "ZG2026000007"
    with pytest.raises(ValueError, match="at least 1"):
        numbering.allocate("test.block", 2026, 0)


@pytest.mark.django_db
def test_the_steady_state_is_one_statement(django_assert_num_queries):
    numbering.next_value("test.one", 2026)  # creates the row
    with django_assert_num_queries(1):
        assert numbering.next_value("test.one", 2026) == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first_use", [True, False], ids=["first-use-race", "existing-row"])
def test_concurrent_creators_get_unique_gap_free_numbers(first_use):
    # SQLite serialises writers; PostgreSQL runs the threads in parallel and the counter's row
    # lock (or, on first use, the unique constraint) orders them. Both must give 1..N.
    if not first_use:
        NumberSequence.objects.create(key="test.race", year=2026, last=0)
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
                    number = numbering.next_value("test.race", 2026)
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
    assert NumberSequence.objects.get(key="test.race", year=2026).last == total
