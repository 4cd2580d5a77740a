"""Two answers with one one-time link at the same moment: exactly one is stored, the other is
409 (the link is claimed with a conditional UPDATE; PostgreSQL runs the threads in parallel)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from xiaoneng.core.clock import frozen_now
from xiaoneng.core.errors import Conflict
from xiaoneng.core.testing import reseed_reference_data
from xiaoneng.evaluations.models import Response
from xiaoneng.evaluations.services import surveys as services

from .conftest import DURING, answers, batch


@pytest.fixture
def reseeded(transactional_db):
    reseed_reference_data()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reseeded")
def test_two_answers_with_one_link_at_once_one_wins(org, survey):
    link = batch(org, survey, org.unit_a, 1).tokens.get()
    sheet = answers(survey)
    outcomes: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(2)

    def answer():
        try:
            start.wait(timeout=10)
            with frozen_now(DURING):
                services.response_submit(token=link.token, answers=sheet)
            result = "stored"
        except Conflict:
            result = "conflict"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=answer) for _ in range(2)]
    parallel = connection.vendor == "postgresql"
    if not parallel:  # SQLite serialises writers: one after the other
        start = threading.Barrier(1)
    for t in threads:
        t.start()
        if not parallel:
            t.join()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "stored"]
    assert Response.objects.count() == 1
