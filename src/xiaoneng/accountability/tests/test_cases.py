"""Accountability cases: 一案双查 from a failed spot check, the workflow (409 on illegal steps,
roles per step), privacy (unit B and the person concerned never see the case), the decision
served on the person, step limits and numbering."""

from __future__ import annotations

from datetime import timedelta

import pytest

from xiaoneng.accountability.models import CaseEvent
from xiaoneng.accountability.services import cases
from xiaoneng.accountability.vocab import CaseStatus, SubjectRole
from xiaoneng.core.clock import frozen_now
from xiaoneng.core.errors import Conflict, Forbidden
from xiaoneng.core.models import AuditRecord, Message, Notification
from xiaoneng.core.testing import make_user

from .helpers import failed_spot_check, measure, principal_user

pytestmark = pytest.mark.django_db


def test_it_opens_a_case_from_a_failed_spot_check_with_the_leaders_proposed(org):
    case = failed_spot_check(org)
    assert case.unit == org.unit_a
    assert case.source == "spot_check"
    assert case.referral is not None and case.referral.item == case.item
    roles = {s.person: s.role for s in case.subjects.all()}
    assert roles[org.dave.person] == SubjectRole.DIRECT
    assert roles[org.erin.person] == SubjectRole.DEPARTMENT_HEAD
    # the leader in charge of the department (甲副院长) and the principal (甲院长)
    assert roles[org.dept_a1.leader_in_charge] == SubjectRole.LEADER_IN_CHARGE
    assert roles[org.unit_a.principal] == SubjectRole.PRINCIPAL
    case.referral.refresh_from_db()
    assert case.referral.picked_up is True
    assert case.number.startswith("WZ")


def test_an_inadequate_rectification_also_opens_a_case(org):
    case = failed_spot_check(org, result="inadequate")
    assert case.status == CaseStatus.REGISTERED


def _propose(org, case):
    cases.transition(case, "review", actor=org.alice)
    cases.transition(case, "file", actor=org.alice)
    cases.transition(case, "investigate", actor=org.alice)
    for subject in case.subjects.all():
        cases.subject_update(
            subject=subject,
            actor=org.alice,
            finding="未落实整改" if subject.role == SubjectRole.DIRECT else "督促不力",
            measure=measure(
                "circulated_criticism" if subject.role == SubjectRole.DIRECT else "reminder_talk"
            ),
        )
    return cases.transition(case, "propose", actor=org.alice, note="通报批评并提醒谈话")


def test_the_whole_workflow_with_the_leader_approving(org):
    case = _propose(org, failed_spot_check(org))
    assert case.status == CaseStatus.PROPOSED
    with pytest.raises(Forbidden):
        cases.transition(case, "approve", actor=org.alice)  # the office proposes, a leader approves
    case = cases.transition(case, "approve", actor=org.leader, note="同意")
    assert case.approved_by == org.leader and case.decision == "同意"
    with pytest.raises(Conflict):  # subjects are fixed once approved
        cases.subject_update(subject=case.subjects.first(), actor=org.alice, finding="x")
    case = cases.transition(case, "serve", actor=org.alice)
    assert case.appeal_by is not None and case.appeal_by > case.served_at
    with pytest.raises(Conflict):  # still inside the appeal period
        cases.transition(case, "close", actor=org.alice)
    case = cases.transition(case, "close", actor=org.alice, appeal_waived=True)
    assert case.status == CaseStatus.CLOSED
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds[:1] == ["registered"] and kinds[-3:] == ["approve", "serve", "close"]
    assert AuditRecord.objects.filter(action="transition", object_id=str(case.pk)).count() == 7


def test_an_illegal_step_is_a_409(org):
    case = failed_spot_check(org)
    with pytest.raises(Conflict):
        cases.transition(case, "approve", actor=org.leader)
    with pytest.raises(Conflict):  # only a fast-track case goes straight to a proposal
        cases.transition(case, "propose", actor=org.alice, note="x")


def test_an_appeal_after_its_deadline_is_refused(org):
    case = cases.transition(_propose(org, failed_spot_check(org)), "approve", actor=org.leader)
    case = cases.transition(case, "serve", actor=org.alice)
    with frozen_now(case.appeal_by + timedelta(seconds=1)):
        with pytest.raises(Conflict):
            cases.transition(case, "appeal", actor=org.alice, note="不服")
        case = cases.transition(case, "close", actor=org.alice)
    assert case.status == CaseStatus.CLOSED


def test_serving_tells_the_people_concerned(org):
    case = cases.transition(_propose(org, failed_spot_check(org)), "approve", actor=org.leader)
    cases.transition(case, "serve", actor=org.alice)
    rows = Notification.objects.filter(event="accountability.decision_served")
    assert set(rows.values_list("recipient_id", flat=True)) >= {org.dave.pk, org.erin.pk}


def test_the_api_enforces_the_workflow_and_privacy(org, api_as):
    case = failed_spot_check(org)
    url = f"/api/v1/accountability-cases/{case.pk}"
    assert api_as(org.alice).get(url).status_code == 200
    assert api_as(org.leader).get(url).status_code == 200
    for outsider in (org.carol, org.bob, org.nobody):
        assert api_as(outsider).get(url).status_code == 404
    # the person concerned never sees the case itself
    assert api_as(org.dave).get(url).status_code == 404
    assert api_as(org.erin).get(url).status_code == 404
    r = api_as(org.alice).post(f"{url}/transitions", {"action": "approve"}, format="json")
    assert r.status_code == 409 and r["Content-Type"].startswith("application/problem+json")
    r = api_as(org.carol).post(f"{url}/transitions", {"action": "review"}, format="json")
    assert r.status_code == 404
    r = api_as(org.leader).post(f"{url}/transitions", {"action": "review"}, format="json")
    assert r.status_code == 403
    r = api_as(org.alice).post(f"{url}/transitions", {"action": "review"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "reviewing"
    listed = api_as(org.carol).get("/api/v1/accountability-cases").json()
    assert listed["count"] == 0


def test_the_principal_leader_sees_the_units_cases_only(org, api_as):
    case = cases.case_create(actor=org.alice, title="窗口推诿", unit=org.unit_b)
    mine = cases.case_create(actor=org.alice, title="导诊无人", unit=org.unit_a, subjects=[])
    principal = principal_user(org)
    assert api_as(principal).get(f"/api/v1/accountability-cases/{mine.pk}").status_code == 200
    assert api_as(principal).get(f"/api/v1/accountability-cases/{case.pk}").status_code == 404
    # …unless the principal is examined in it: then not even the unit's principal sees it
    failed = failed_spot_check(org)
    assert api_as(principal).get(f"/api/v1/accountability-cases/{failed.pk}").status_code == 404


def test_the_decision_served_is_visible_to_the_person_concerned_only(org, client):
    case = cases.transition(_propose(org, failed_spot_check(org)), "approve", actor=org.leader)
    client.force_login(org.dave)
    assert "通报批评" not in client.get("/accountability/mine/").content.decode()
    cases.transition(case, "serve", actor=org.alice)
    page = client.get("/accountability/mine/").content.decode()
    assert case.number in page and "通报批评" in page
    client.force_login(org.carol)
    assert case.number not in client.get("/accountability/mine/").content.decode()


def test_a_step_past_its_limit_is_reminded_once(org):
    case = failed_spot_check(org)
    later = case.step_due_at + timedelta(hours=1)
    assert cases.remind_overdue(now=later) == {"reminded": 1}
    assert cases.remind_overdue(now=later) == {"reminded": 0}
    assert (
        Message.objects.filter(kind="accountability.step_overdue").exists()
        or Notification.objects.filter(event="accountability.step_overdue").exists()
    )


def test_numbers_are_sequential_per_year(org):
    a = cases.case_create(actor=org.alice, title="一", unit=org.unit_a)
    b = cases.case_create(actor=org.alice, title="二", unit=org.unit_a)
    assert int(b.number[-6:]) == int(a.number[-6:]) + 1


def test_a_unit_admin_cannot_register_a_case(org):
    with pytest.raises(Forbidden):
        cases.case_create(actor=org.bob, title="x", unit=org.unit_a)


def test_a_case_from_a_complaint_needs_a_true_verification(org):
    from xiaoneng.complaints.tests.test_lifecycle import register

    complaint = register(org)
    with pytest.raises(Conflict):
        cases.case_from_complaint(complaint=complaint, actor=org.alice)
    type(complaint).objects.filter(pk=complaint.pk).update(verification="true", unit=org.unit_a)
    complaint.refresh_from_db()
    case = cases.case_from_complaint(complaint=complaint, actor=org.alice)
    assert case.complaint == complaint and case.unit == org.unit_a
    assert list(complaint.accountability_cases.all()) == [case]


def test_a_referral_outcome_is_recorded_never_decided(org):
    case = failed_spot_check(org)
    direct = case.subjects.get(role=SubjectRole.DIRECT)
    cases.subject_update(subject=direct, actor=org.alice, measure=measure("discipline_referral"))
    with pytest.raises(Conflict):  # a plain measure has no referral outcome
        cases.subject_update(
            subject=case.subjects.get(role=SubjectRole.DEPARTMENT_HEAD),
            actor=org.alice,
            referral_outcome="x",
        )
    cases.subject_update(subject=direct, actor=org.alice, referral_outcome="纪委给予警告处分")
    direct.refresh_from_db()
    assert direct.referral_outcome == "纪委给予警告处分"


def test_a_deactivated_office_user_sees_nothing(org):
    from xiaoneng.accountability.policies import visible_cases

    failed_spot_check(org)
    ghost = make_user("ghost", None, "office", is_active=False)
    assert not visible_cases(ghost).exists()
    assert visible_cases(org.alice).exists()
