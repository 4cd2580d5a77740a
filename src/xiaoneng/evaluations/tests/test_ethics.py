"""Medical-ethics files: stages, figures pulled from surveys and 属实 complaints, veto items
forcing 较差, the grade distribution and a person's history."""

from __future__ import annotations

from decimal import Decimal

import pytest

from xiaoneng.complaints.models import Complaint
from xiaoneng.complaints.tests.test_lifecycle import register
from xiaoneng.core.clock import frozen_now
from xiaoneng.core.errors import Conflict, Forbidden, ValidationFailed
from xiaoneng.evaluations import selectors
from xiaoneng.evaluations.models import VetoItem
from xiaoneng.evaluations.services import ethics as services

from .conftest import DURING, answer_with, at, batch

pytestmark = pytest.mark.django_db


def new_file(org, year=2026):
    with frozen_now(at(year, 12, 1, 9)):
        return services.file_create(actor=org.bob, person=org.dave.person, year=year)


def fill(org, file, score=95):
    services.file_evaluate(actor=org.dave, file=file, stage="self", text="严格自律", score=score)
    services.file_evaluate(
        actor=org.erin, file=file, stage="department", text="表现良好", score=score
    )
    services.file_evaluate(actor=org.bob, file=file, stage="unit", text="同意", score=score)


def test_a_veto_item_forces_poor_whatever_the_scores(org):
    file = new_file(org)
    fill(org, file, score=100)
    assert services.suggested(file) == (Decimal("100.00"), "excellent")
    veto = VetoItem.objects.get(code="red_envelope")
    services.file_grade(actor=org.bob, file=file, grade="excellent", vetoes=[veto],
                        veto_note="2026年5月收受患者红包500元")  # fmt: skip
    file.refresh_from_db()
    assert file.grade == "poor" and file.reviewer == org.bob
    assert "不论得分均评为较差" in file.grade_note  # kept in the site language


def test_without_a_grade_the_suggested_one_applies(org):
    file = new_file(org)
    fill(org, file, score=85)
    services.file_grade(actor=org.bob, file=file)
    file.refresh_from_db()
    assert (file.grade, file.suggested_score) == ("good", Decimal("85.00"))


def test_a_veto_needs_its_facts(org):
    file = new_file(org)
    with pytest.raises(ValidationFailed) as exc:
        services.file_grade(actor=org.bob, file=file, grade="good",
                            vetoes=[VetoItem.objects.first()])  # fmt: skip
    assert "veto_note" in exc.value.errors


def test_only_the_worker_writes_the_self_evaluation_and_graded_files_are_closed(org):
    file = new_file(org)
    with pytest.raises(Forbidden):
        services.file_evaluate(actor=org.erin, file=file, stage="self", text="x", score=90)
    with pytest.raises(Forbidden):  # a department head does not grade
        services.file_grade(actor=org.erin, file=file, grade="good")
    with pytest.raises(Forbidden):  # unit B's admin cannot grade unit A's worker
        services.file_grade(actor=org.carol, file=file, grade="good")
    services.file_grade(actor=org.bob, file=file, grade="good")
    with pytest.raises(Conflict):
        services.file_evaluate(actor=org.dave, file=file, stage="self", text="x", score=90)
    services.file_reopen(actor=org.bob, file=file, reason="补充自评")
    services.file_evaluate(actor=org.dave, file=file, stage="self", text="x", score=90)


def test_one_file_per_person_and_year(org):
    new_file(org)
    with pytest.raises(Conflict):
        new_file(org)


def test_patient_figures_come_from_surveys_and_verified_complaints(org, survey):
    a1 = batch(org, survey, org.unit_a, 4, department=org.dept_a1)
    answer_with(survey, a1, ["satisfied", "basically_satisfied", "unsatisfied", "satisfied"])
    with frozen_now(DURING):
        true_one = register(org, subject_person=org.dave.person)
        register(org, subject_person=org.dave.person)  # not verified: does not count
    Complaint.objects.filter(pk=true_one.pk).update(verification="true")
    file = new_file(org)
    assert file.department == org.dept_a1
    assert (file.patient_responses, file.patient_satisfaction) == (4, Decimal("75.00"))
    assert file.verified_complaints == 1
    fill(org, file, score=90)
    assert file.suggested_score == Decimal("80.00")  # 90 less 10 per verified complaint


def test_distribution_and_history(org):
    old = new_file(org, 2025)
    services.file_grade(actor=org.bob, file=old, grade="average")
    new_file(org, 2026)
    files = selectors.ethics_files_for(org.bob)
    dist = {code: n for code, _label, n in selectors.grade_distribution(files)}
    assert dist == {"excellent": 0, "good": 0, "average": 1, "poor": 0, "": 1}
    assert [f.year for f in selectors.person_history(org.bob, org.dave.person.pk)] == [2026, 2025]
    assert not selectors.ethics_files_for(org.carol).exists()
    assert [f.year for f in selectors.ethics_files_for(org.dave)] == [2026, 2025]  # own files


def test_files_open_for_every_medical_worker_of_a_unit(org):
    with frozen_now(at(2026, 12, 1, 9)):
        count = services.files_open_for_unit(actor=org.bob, unit=org.unit_a, year=2026)
        again = services.files_open_for_unit(actor=org.bob, unit=org.unit_a, year=2026)
    assert count == 2 and again == 0  # dave and erin work in 急诊科 (clinical)
