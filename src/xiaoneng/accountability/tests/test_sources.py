"""Cases from the other sources, pre-filled and linked both ways: an inspection finding, an
overdue supervision order (督办单), a confirmed evaluation consequence; and the indicator sources
and vetoes the inspections and evaluations apps lend the annual assessment."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from xiaoneng.accountability.models import Case
from xiaoneng.accountability.services import assessment, cases
from xiaoneng.accountability.vocab import SourceKind, SubjectRole
from xiaoneng.core.clock import frozen_now
from xiaoneng.core.errors import Conflict
from xiaoneng.evaluations.models import Consequence
from xiaoneng.evaluations.services import consequences as consequence_services
from xiaoneng.evaluations.tests.test_rounds import ranking_round
from xiaoneng.inspections.services import visits as inspection_services

pytestmark = pytest.mark.django_db


def _finding(squad, visit_a, category, severity="serious"):
    return inspection_services.finding_create(
        actor=squad.ins_bureau,
        visit=visit_a,
        title="挂号窗口无人",
        description="上午10点窗口空岗",
        severity=severity,
        category=category,
        department=visit_a.unit.departments.first(),
    )


def test_a_finding_opens_a_case_linked_both_ways(org, squad, visit_a, category, api_as):
    finding = _finding(squad, visit_a, category)
    r = api_as(org.alice).post(
        "/api/v1/accountability-cases/from-source",
        {"source": "finding", "id": finding.pk},
        format="json",
    )
    assert r.status_code == 201, r.json()
    case = Case.objects.get(pk=r.json()["id"])
    assert case.source == SourceKind.FINDING
    assert case.unit == finding.unit
    assert list(finding.accountability_cases.all()) == [case]
    assert case.subjects.filter(role=SubjectRole.PRINCIPAL).exists()
    # unit B cannot reach unit A's finding; unit A's admin may not open cases
    assert (
        api_as(org.carol)
        .post(
            "/api/v1/accountability-cases/from-source",
            {"source": "finding", "id": finding.pk},
            format="json",
        )
        .status_code
        == 403
    )


def test_an_overdue_supervision_order_opens_a_case_against_its_leader(
    org, squad, visit_a, category
):
    with frozen_now(timezone.make_aware(dt.datetime(2026, 5, 11, 9, 0))):
        finding = _finding(squad, visit_a, category, severity="severe")
    order = finding.order
    with frozen_now(order.deadline - dt.timedelta(hours=1)), pytest.raises(Conflict):
        cases.case_from_order(order=order, actor=org.alice)
    with frozen_now(order.deadline + dt.timedelta(days=1)):
        case = cases.case_from_order(order=order, actor=org.alice)
    assert case.supervision_order == order
    assert case.finding == finding
    assert case.subjects.filter(person=order.responsible_leader).exists()


def test_a_confirmed_consequence_becomes_a_case_with_the_measure_proposed(
    org, django_capture_on_commit_callbacks
):
    made, _units = ranking_round(org)
    talk = Consequence.objects.get(round=made, measure="admonishing_talk", subject__unit=org.unit_a)
    praise = Consequence.objects.filter(round=made, measure="commendation").first()
    with django_capture_on_commit_callbacks(execute=True):
        consequence_services.consequence_confirm(actor=org.alice, consequence=talk)
        consequence_services.consequence_confirm(actor=org.alice, consequence=praise)
    case = Case.objects.get(consequence=talk)
    assert case.source == SourceKind.EVALUATION
    subject = case.subjects.get()
    assert subject.person == org.unit_a.principal
    assert subject.measure.code == "admonition_talk"
    assert not Case.objects.filter(consequence=praise).exists()  # praise is no case


def test_the_default_scheme_reads_findings_and_evaluations(org, squad, visit_a, category):
    made, _units = ranking_round(org)  # unit A ends last with a 差
    year = made.closed_at.astimezone().year
    with frozen_now(timezone.make_aware(dt.datetime(year, 5, 11, 9, 0))):
        _finding(squad, visit_a, category, severity="serious")
        _finding(squad, visit_a, category, severity="general")
    scheme = assessment.scheme_create(actor=org.alice, year=year)
    assessment.compute(scheme=scheme, actor=org.alice)
    a = scheme.assessments.get(unit=org.unit_a)
    lines = {line.indicator.code: line for line in a.lines.select_related("indicator")}
    assert lines["inspections"].value == 1  # the serious one only
    assert lines["inspections"].score == 8  # 10 − 2
    assert lines["evaluation"].value is not None
    assert any(v["rule"] == "民主评议结果为差" for v in a.vetoes)
