"""The demo county comes with self-inspection data made through the real services."""

from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from xiaoneng.core import clock
from xiaoneng.core.demo import load_demo_county
from xiaoneng.core.models import User
from xiaoneng.selfcheck import selectors
from xiaoneng.selfcheck.demo import load_demo
from xiaoneng.selfcheck.models import (
    ActivityRecord,
    ChecklistAnswer,
    ChecklistAssignment,
    Commitment,
    InstitutionRule,
    LearningRecord,
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        assert load_demo_county() is True
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_demo_has_checklists_learning_commitments_activities_and_rules(demo):
    office = User.objects.get(username="office")
    staff1 = User.objects.get(username="staff1")
    statuses = list(ChecklistAssignment.objects.values_list("status", flat=True))
    assert statuses.count("completed") == 1 and len(statuses) == 5
    assert selectors.overdue_assignments(office).count() == 1
    problem = ChecklistAnswer.objects.get(result="problem")
    assert problem.issue_id is not None
    completion = {c.unit.code: c for c in selectors.completion_by_unit(office)}
    assert completion["QS-ZYYY"].rate == 100.0

    rows = {r.person: r for r in selectors.compliance(office, unit=staff1.person.unit)}
    mine = rows[staff1.person]
    self_study = next(r for r in mine.results if r.requirement.measure == "self_study")
    assert self_study.actual == Decimal(38) and not self_study.compliant
    assert LearningRecord.objects.filter(session__isnull=False).count() >= 2

    public = selectors.public_commitments()
    assert {c.person_name for c in public} == {"", staff1.person.name}
    assert Commitment.objects.filter(is_public=False).count() == 1

    # the film of the people's hospital, and its “假如我是患者” visit (with supervisor1, from
    # the supervision demo)
    codes = sorted(ActivityRecord.objects.values_list("activity__code", flat=True))
    assert codes == ["if-i-were-the-patient", "warning-education-film"]
    missing = selectors.missing_occurrences(as_of=timezone.localdate(clock.now()))
    assert any(m.unit.code == "QS-ZYYY" for m in missing)
    register = {r.unit.code: r for r in selectors.register(office)}
    assert len(register["QS-RMYY"].missing) == 4 and len(register["QS-ZYYY"].missing) == 7
    assert InstitutionRule.objects.count() == 9
    assert load_demo(now=clock.now()) == 0  # once only
