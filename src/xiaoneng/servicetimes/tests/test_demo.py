"""The demo county comes with imported service-time logs, figures and a few ledger proposals."""

import pytest
from django.db import transaction

from xiaoneng.core.demo import load_demo_county
from xiaoneng.servicetimes.models import ComplianceResult, LedgerProposal, LogImport


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        assert load_demo_county() is True
        yield
        transaction.set_rollback(True)


def test_the_demo_has_logs_figures_and_proposals(demo, db):
    record = LogImport.objects.get()
    assert record.job.status == "done" and record.added > 19000
    assert ComplianceResult.objects.filter(department__isnull=True).count() > 20
    assert LedgerProposal.objects.exists()
