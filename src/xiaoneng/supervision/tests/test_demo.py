"""The demo county's social supervision: supervisor1 took part in a 五个一 “假如我是患者” visit
and their clue entered in the ledger carries the source 社会监督."""

from __future__ import annotations

import pytest
from django.db import transaction

from xiaoneng.core.demo import load_demo_county
from xiaoneng.core.models import User
from xiaoneng.supervision.models import ActivityParticipation, Report


@pytest.fixture(scope="module")
def county(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        assert load_demo_county() is True
        yield
        transaction.set_rollback(True)


def test_supervisor1_took_part_in_a_patient_experience_visit(county, db, client):
    sup = User.objects.get(username="supervisor1")
    row = ActivityParticipation.objects.select_related("record__activity").get(
        supervisor__person=sup.person
    )
    assert row.record.activity.code == "if-i-were-the-patient"
    client.force_login(sup)
    page = client.get("/supervision/").content.decode()
    assert 'data-testid="my-activities"' in page and "假如我是患者" in page


def test_the_demo_clue_in_the_ledger_has_the_supervisor_source(county, db):
    issues = [r.issue for r in Report.objects.exclude(issue=None).select_related("issue")]
    assert issues and all(i.source == "supervisor" for i in issues)
