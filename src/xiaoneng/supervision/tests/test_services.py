"""Social supervision: the roster with terms, a supervisor's report and the office's triage into
a complaint (channel 监督员) or a ledger issue; the supervisor sees only their own reports and
the public outcome; ballot links for an evaluation round."""

from __future__ import annotations

import pytest
from django.http import Http404

from xiaoneng.complaints import services as complaint_services
from xiaoneng.core import clock
from xiaoneng.core.errors import Conflict, Forbidden, ValidationFailed
from xiaoneng.core.models import AuditRecord, Notification
from xiaoneng.supervision import selectors, services
from xiaoneng.supervision.models import Report

from .conftest import D, at

pytestmark = pytest.mark.django_db


def test_only_the_office_keeps_the_roster(org, sup):
    supervisor = services.supervisor_of(sup)
    assert supervisor.kind == "conduct" and services.in_term(supervisor, D(2026, 6, 1))
    with pytest.raises(Forbidden):
        services.supervisor_end(actor=org.bob, supervisor=supervisor, reason="任期届满")
    with pytest.raises(ValidationFailed) as exc:
        services.supervisor_appoint(
            actor=org.alice,
            person=sup.person,
            kind="conduct",
            term_starts_on=D(2027, 1, 1),
            term_ends_on=D(2026, 1, 1),
        )
    assert set(exc.value.errors) == {"person", "term_ends_on"}


def test_a_supervisor_out_of_term_may_not_file(org, sup):
    services.supervisor_end(actor=org.alice, supervisor=services.supervisor_of(sup), reason="辞聘")
    with pytest.raises(Forbidden):
        services.report_file(actor=sup, kind="clue", unit=org.unit_a, title="x", content="y")
    assert AuditRecord.objects.filter(action="end").exists()


def test_staff_without_an_appointment_may_not_file(org):
    with pytest.raises(Forbidden):
        services.report_file(actor=org.bob, kind="clue", unit=org.unit_a, title="x", content="y")


def test_a_filed_report_reaches_the_office(org, report):
    assert report.status == "submitted"
    told = Notification.objects.filter(event="supervision.report_filed", channel="inbox")
    assert org.alice in {n.recipient for n in told}
    assert org.bob not in {n.recipient for n in told}


def test_the_office_turns_a_clue_into_a_supervisor_complaint(org, report, category):
    with clock.frozen_now(at(D(2026, 12, 3))):
        services.report_to_complaint(actor=org.alice, report=report, category=category)
    report.refresh_from_db()
    complaint = report.complaint
    assert report.status == "complaint"
    assert complaint.channel == "supervisor" and complaint.subject_unit == org.unit_a
    assert selectors.outcome(report).label == "已受理"
    with pytest.raises(Conflict):
        services.report_note(actor=org.alice, report=report, answer="已阅")


def test_the_supervisor_sees_the_public_answer_of_the_complaint(org, report, category):
    services.report_to_complaint(actor=org.alice, report=report, category=category)
    report.refresh_from_db()
    complaint = report.complaint
    complaint_services.complaint_reject(
        complaint=complaint, actor=org.alice, reason="不属于受理范围，已转卫生监督所。"
    )
    report.refresh_from_db()
    seen = selectors.outcome(report)
    assert seen.label == "不予受理" and "卫生监督所" in seen.reply


def test_the_office_may_enter_a_clue_in_the_ledger_instead(org, report):
    services.report_to_issue(actor=org.alice, report=report, severity="serious")
    report.refresh_from_db()
    assert report.status == "issue"
    assert report.issue.unit == org.unit_a and "JD-" in report.issue.source_ref
    assert report.issue.severity == "serious"
    assert selectors.outcome(report).number == report.issue.number


def test_noting_needs_an_answer_for_the_supervisor(org, report, sup):
    with pytest.raises(ValidationFailed):
        services.report_note(actor=org.alice, report=report, answer=" ")
    services.report_note(actor=org.alice, report=report, answer="已转告医院加强窗口管理。")
    told = Notification.objects.filter(event="supervision.report_triaged", recipient=sup)
    assert told.exists()


def test_a_supervisor_sees_only_what_they_filed(org, report, sup, sup2):
    assert list(selectors.my_reports(sup)) == [report]
    assert list(selectors.reports_for(sup2)) == []
    with pytest.raises(Http404):
        selectors.get_report(sup2, report.pk)
    # units do not see the reports themselves, only the cases made of them
    assert not selectors.reports_for(org.bob).exists()
    assert selectors.reports_for(org.alice).count() == Report.objects.count()


def test_supervisors_receive_ballot_links_as_an_evaluator_group(org, sup, sup2):
    from xiaoneng.evaluations.models import BallotToken, EvaluationRound, EvaluatorGroup

    round_ = EvaluationRound.objects.create(
        title="2026年度民主评议",
        **{
            f.name: f.get_default()
            for f in EvaluationRound._meta.concrete_fields
            if f.name not in ("id", "title") and f.has_default()
        },
        **_round_required(org),
    )
    group = EvaluatorGroup.objects.create(round=round_, name="监督员", weight=30)
    with clock.frozen_now(at(D(2026, 12, 5))):
        served = services.ballots_send(actor=org.alice, round=round_, group=group)
    assert {s.person for s in served} == {sup.person, sup2.person}
    assert BallotToken.objects.filter(group=group).count() == 2
    links = Notification.objects.filter(event="supervision.ballot", channel="inbox")
    assert {n.recipient for n in links} == {sup, sup2}
    assert all("/public/evaluation/b/" in n.link for n in links)


def _round_required(org) -> dict:
    from xiaoneng.evaluations.models import EvaluationRound

    values = {}
    for f in EvaluationRound._meta.concrete_fields:
        if f.name in ("id", "title") or f.has_default() or f.null or f.blank:
            continue
        if f.get_internal_type() == "DateField":
            values[f.name] = D(2026, 12, 31)
        elif f.get_internal_type() == "DateTimeField":
            values[f.name] = at(D(2026, 12, 1))
        elif f.is_relation:
            values[f.name] = org.alice
        else:
            values[f.name] = "x"
    return values


def test_the_dashboard_counts_reports_by_unit_and_outcome(org, report, sup, category):
    from xiaoneng.core import statistics as stats

    with clock.frozen_now(at(D(2026, 12, 3))):
        services.report_file(actor=sup, kind="observation", unit=org.unit_a, title="a", content="b")
        services.report_to_complaint(actor=org.alice, report=report, category=category)
    params = stats.Params(start=D(2026, 12, 1), end=D(2026, 12, 31))
    assert stats.get(org.bob, "supervision.reports") is None  # the office's figures
    table = stats.get(org.alice, "supervision.reports").run(org.alice, params)
    assert [(r["unit"], r["total"], r["complaint"], r["waiting"]) for r in table.rows] == [
        ("甲医院", 2, 1, 1)
    ]


def test_a_retried_report_from_a_phone_is_filed_once(org, sup, api_as):
    client = api_as(sup)
    body = {
        "kind": "clue",
        "unit": org.unit_a.pk,
        "title": "候诊区无人引导",
        "content": "老人找不到诊室",
    }
    first = client.post(
        "/api/v1/supervisor-reports", body, format="json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    again = client.post(
        "/api/v1/supervisor-reports", body, format="json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json()["id"] == first.json()["id"]
    assert Report.objects.filter(title="候诊区无人引导").count() == 1
    other = client.post(
        "/api/v1/supervisor-reports",
        {**body, "title": "另一件事"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k1",
    )
    assert other.status_code == 409
    mine = client.get(f"/api/v1/supervisor-reports/{first.json()['id']}").json()
    assert mine["outcome"]["label"] == "待效能办处理"


def test_a_supervisor_sees_the_inspection_visits_the_office_put_them_on(org, sup, client):
    from xiaoneng.inspections import services as inspection_services

    plan = inspection_services.plan_create(
        actor=org.alice,
        name="窗口服务暗访",
        kind="unannounced",
        units=[org.unit_a],
        starts_on=D(2026, 12, 1),
        ends_on=D(2026, 12, 31),
        team=[org.alice.person],
    )
    inspection_services.visit_create(
        actor=org.alice,
        plan=plan,
        unit=org.unit_b,
        scheduled_on=D(2026, 12, 9),
        team=[org.alice.person, sup.person],
    )
    assert [v.unit for v in selectors.my_inspection_visits(sup)] == [org.unit_b]
    client.force_login(sup)
    page = client.get("/supervision/").content.decode()
    assert "乙医院" in page and "窗口服务暗访" in page


def test_a_clue_entered_in_the_ledger_shows_its_source_as_social_supervision(org, report, client):
    from django.urls import reverse
    from django.utils import translation

    from xiaoneng.rectification import excel

    services.report_to_issue(actor=org.alice, report=report)
    report.refresh_from_db()
    issue = report.issue
    assert issue.source == "supervisor"
    with translation.override("zh-hans"):
        assert issue.get_source_display() == "社会监督"
    assert excel.SOURCE_LABELS["supervisor"] == "社会监督"
    assert excel.SOURCE_CODES["社会监督"] == "supervisor"
    client.force_login(org.alice)
    page = client.get(
        reverse("rectification:issue", args=[issue.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    html = page.content.decode()
    assert "社会监督" in html
    assert ">supervisor<" not in html


def test_a_supervisor_on_a_team_accompanies_but_the_inspectors_record(org, sup, client):
    """Policy (issue 20): the supervisor sees the visit on their page; the visit's record and
    findings are the inspectors' (the supervisor cannot open or edit the visit)."""
    from django.urls import reverse

    from xiaoneng.inspections import services as inspection_services

    plan = inspection_services.plan_create(
        actor=org.alice,
        name="窗口服务暗访",
        kind="unannounced",
        units=[org.unit_a],
        starts_on=D(2026, 12, 1),
        ends_on=D(2026, 12, 31),
        team=[org.alice.person],
    )
    visit = inspection_services.visit_create(
        actor=org.alice,
        plan=plan,
        unit=org.unit_b,
        scheduled_on=D(2026, 12, 9),
        team=[org.alice.person, sup.person],
    )
    client.force_login(sup)
    page = client.get("/supervision/").content.decode()
    assert "窗口服务暗访" in page and 'data-testid="visits-note"' in page
    with pytest.raises(Forbidden):
        inspection_services.visit_record(actor=sup, visit=visit, summary="看到窗口无人")
    with pytest.raises(Forbidden):
        inspection_services.finding_create(
            actor=sup, visit=visit, title="窗口无人", description="十点窗口无人值守"
        )
    assert client.get(reverse("inspections:visit", args=[visit.pk])).status_code == 404
    assert client.post(reverse("inspections:visit-finding", args=[visit.pk])).status_code in (
        403,
        404,
    )
    visit.refresh_from_db()
    assert visit.findings.count() == 0 and visit.status == "planned"


def _patient_record(org):
    from xiaoneng.selfcheck.models import RecurringActivity
    from xiaoneng.selfcheck.services import activities as activity_services

    activity = RecurringActivity.objects.get(code="if-i-were-the-patient")
    return activity_services.activity_record_create(
        actor=org.bob,
        activity=activity,
        unit=org.unit_a,
        held_on=clock.now().date(),
        participant_count=5,
        participants="副院长、医务科",
    )


def test_the_office_adds_a_supervisor_to_a_five_ones_activity(org, sup, sup2, client):
    from django.urls import reverse

    record = _patient_record(org)
    supervisor = sup.person.supervisor_post
    with pytest.raises(Forbidden):
        services.activity_add(actor=org.bob, supervisor=supervisor, record=record)
    client.force_login(org.alice)
    url = reverse("supervision:supervisor", args=[supervisor.pk])
    assert "假如我是患者" in client.get(url).content.decode()  # offered in the select
    response = client.post(url, {"form": "activity_add", "record": record.pk})
    assert response.status_code == 302
    row = supervisor.activities.get()
    assert row.record == record
    created = AuditRecord.objects.filter(action="create", object_id=str(row.pk))
    assert created.filter(object_type__icontains="activityparticipation").exists()
    with pytest.raises(ValidationFailed):
        services.activity_add(actor=org.alice, supervisor=supervisor, record=record)
    # the supervisor sees it on their own page; another supervisor does not
    client.force_login(sup)
    page = client.get("/supervision/").content.decode()
    assert 'data-testid="my-activities"' in page and "假如我是患者" in page
    client.force_login(sup2)
    assert "假如我是患者" not in client.get("/supervision/").content.decode()
    # the office takes them off again (audited)
    client.force_login(org.alice)
    response = client.post(url, {"form": "activity_remove", "participation": row.pk})
    assert response.status_code == 302
    assert not supervisor.activities.exists()
    deleted = AuditRecord.objects.filter(action="delete", object_id=str(row.pk))
    assert deleted.filter(object_type__icontains="activityparticipation").exists()


def test_a_unit_admin_may_not_add_supervisors_to_activities_on_the_page(org, sup, client):
    from django.urls import reverse

    record = _patient_record(org)
    supervisor = sup.person.supervisor_post
    client.force_login(org.bob)
    url = reverse("supervision:supervisor", args=[supervisor.pk])
    response = client.post(url, {"form": "activity_add", "record": record.pk})
    assert response.status_code in (403, 404)
    assert not supervisor.activities.exists()
