"""The demo county comes with a drawn plan, three visits, findings of each severity, a 督办单 and
a published bulletin, made through the real services."""

import pytest
from django.db import transaction

from xiaoneng.core.demo import load_demo_county
from xiaoneng.inspections.models import Bulletin, Finding, InspectionPlan, SupervisionOrder, Visit


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        assert load_demo_county() is True
        yield
        transaction.set_rollback(True)


def test_the_demo_has_a_drawn_plan_visits_findings_an_order_and_a_bulletin(demo, db):
    plan = InspectionPlan.objects.get()
    assert plan.status == "drawn" and plan.seed is not None
    # 3 from the inspections module; the supervision module adds one with supervisor1 on its team
    assert Visit.objects.filter(plan=plan).count() == 4
    assert Visit.objects.filter(plan=plan, team__user__username="supervisor1").count() == 1
    assert set(Finding.objects.values_list("severity", flat=True)) == {
        "general",
        "serious",
        "severe",
    }
    order = SupervisionOrder.objects.get()
    assert order.number.startswith("DB") and order.issue.inspection_finding == order.finding
    bulletin = Bulletin.objects.get()
    assert bulletin.status == "published" and bulletin.number
    assert bulletin.entries.filter(approved=True).count() == 2
