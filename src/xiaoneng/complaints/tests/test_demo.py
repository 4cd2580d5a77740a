"""The demo county comes with complaints in every stage, made through the real services."""

import pytest
from django.db import transaction

from xiaoneng.complaints.models import Complaint, ComplaintEvent
from xiaoneng.core.demo import load_demo_county


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        assert load_demo_county() is True
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_demo_has_complaints_in_many_states(demo):
    statuses = set(Complaint.objects.values_list("status", flat=True))
    # 30 from the complaints module; supervision and reception days add their own channels
    own = Complaint.objects.exclude(channel__in=["supervisor", "reception_day"])
    assert own.count() == 30
    assert Complaint.objects.filter(channel="supervisor").exists()
    assert Complaint.objects.filter(channel="reception_day").exists()
    assert {"registered", "accepted", "dispatched", "replied", "closed"} <= statuses
    # Real timelines: every case has at least its registration event.
    assert (
        ComplaintEvent.objects.values("complaint").distinct().count() == Complaint.objects.count()
    )
    named = Complaint.objects.filter(anonymous=False).first()
    assert named is not None and named.identity.name_enc
    assert "先生" not in named.identity.name_enc and "女士" not in named.identity.name_enc
