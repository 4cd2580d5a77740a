"""Plans, the draw, findings → ledger, 督办单 and escalation (issue #14)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from xiaoneng.core.clock import frozen_now
from xiaoneng.core.errors import Conflict, ValidationFailed
from xiaoneng.core.models import AuditRecord, Notification, Unit
from xiaoneng.core.services import org as org_services
from xiaoneng.inspections import services
from xiaoneng.inspections.models import InspectionPlan, SupervisionOrder
from xiaoneng.inspections.services.draw import compute_draw
from xiaoneng.inspections.vocab import FindingSeverity, OrderStatus
from xiaoneng.rectification.vocab import IssueSource, ItemStatus

from .conftest import stored_png


def _visits(plan):
    return [(v.unit_id, sorted(v.team.values_list("pk", flat=True))) for v in plan.visits.all()]


def test_it_draws_the_same_units_and_inspectors_for_the_same_seed(org, plan_factory):
    first, second = plan_factory(unit_count=1), plan_factory(unit_count=1)
    services.plan_draw(actor=org.alice, plan=first, seed=424242)
    services.plan_draw(actor=org.alice, plan=second, seed=424242)
    first.refresh_from_db()
    assert first.seed == 424242 and first.status == "drawn"
    assert _visits(first) == _visits(second)
    record = AuditRecord.objects.get(action="draw", object_id=str(first.pk))
    assert record.after["seed"] == 424242


def test_the_seed_decides_the_draw(org, squad):
    units = [
        org_services.unit_create(actor=None, check=False, name=f"卫生院{i}", code=f"T{i}",
                                 parent=org.bureau, kind=Unit.Kind.TOWNSHIP)
        for i in range(8)
    ]  # fmt: skip
    pool = [squad.ins_bureau.person, squad.ins_b.person, squad.ins_a.person]

    def draw(seed):
        rows = compute_draw(units=units, pool=pool, unit_count=3, stratify=False,
                            inspector_count=1, seed=seed)  # fmt: skip
        return [(r.unit.pk, [p.pk for p in r.inspectors]) for r in rows]

    assert draw(7) == draw(7)
    assert len({tuple(u for u, _ in draw(s)) for s in range(10)}) > 1


def test_stratified_draw_takes_each_unit_type_in_proportion(org, squad):
    towns = [
        org_services.unit_create(actor=None, check=False, name=f"卫生院{i}", code=f"S{i}",
                                 parent=org.bureau, kind=Unit.Kind.TOWNSHIP)
        for i in range(4)
    ]  # fmt: skip
    units = [org.unit_a, org.unit_b, *towns]  # hospital, TCM hospital, 4 township centres
    rows = compute_draw(units=units, pool=[], unit_count=3, stratify=True, inspector_count=None,
                        seed=99)  # fmt: skip
    kinds = sorted(r.unit.kind for r in rows)
    assert kinds.count(Unit.Kind.TOWNSHIP) == 2 and len(kinds) == 3


@pytest.mark.parametrize("seed", range(25))
def test_an_inspector_of_the_inspected_unit_is_never_drawn(org, squad, plan_factory, seed):
    plan = plan_factory(inspector_count=2)
    services.plan_draw(actor=org.alice, plan=plan, seed=seed)
    for visit in plan.visits.select_related("unit"):
        for person in visit.team.select_related("unit"):
            assert not person.unit.path.startswith(visit.unit.path)
    visit_a = plan.visits.get(unit=org.unit_a)
    assert squad.ins_a.person not in visit_a.team.all()


def test_a_plan_is_drawn_once(org, plan_factory):
    plan = plan_factory()
    services.plan_draw(actor=org.alice, plan=plan, seed=1)
    with pytest.raises(Conflict):
        services.plan_draw(actor=org.alice, plan=InspectionPlan.objects.get(pk=plan.pk), seed=1)


def test_a_hand_made_visit_refuses_people_of_the_unit(org, squad, plan_factory):
    with pytest.raises(ValidationFailed):
        services.visit_create(actor=org.alice, plan=plan_factory(), unit=org.unit_a,
                              scheduled_on=dt.date(2026, 4, 1), team=[squad.ins_a.person])  # fmt: skip


def test_a_general_finding_becomes_a_linked_ledger_issue(org, squad, visit_a, category):
    finding = services.finding_create(
        actor=squad.ins_bureau, visit=visit_a, title="挂号窗口无人", description="上午10点窗口空岗",
        category=category, files=[(stored_png(squad.ins_bureau), None)],
    )  # fmt: skip
    issue = finding.issue
    assert issue.source == IssueSource.INSPECTION and issue.unit == org.unit_a
    assert issue.inspection_finding == finding
    assert issue.category == category and issue.files.count() == 1
    assert not SupervisionOrder.objects.exists()


def test_a_severe_finding_opens_an_issue_and_a_supervision_order(org, squad, visit_a, category):
    now = timezone.make_aware(dt.datetime(2026, 5, 11, 9, 0))
    with frozen_now(now):
        finding = services.finding_create(
            actor=squad.ins_bureau, visit=visit_a, title="收受红包", description="医生收受患者红包",
            severity=FindingSeverity.SEVERE, category=category,
        )  # fmt: skip
    order = finding.order
    assert order.number == "DB2026000001"
    assert order.issue == finding.issue and order.item.issue == finding.issue
    assert order.item.supervision_order == order
    assert order.responsible_leader == org.unit_a.principal
    assert order.deadline.date() == dt.date(2026, 5, 25)  # 10 working days
    assert finding.issue.severity == "major"


def test_an_overdue_order_escalates_once_per_level(org, squad, visit_a):
    now = timezone.make_aware(dt.datetime(2026, 5, 11, 9, 0))
    with frozen_now(now):
        finding = services.finding_create(actor=squad.ins_bureau, visit=visit_a, title="推诿患者",
                                          description="拒收急诊患者", severity="severe")  # fmt: skip
    order = finding.order
    assert services.escalate_overdue(now=now + dt.timedelta(days=3)) == 0
    late = order.deadline + dt.timedelta(days=1)
    assert services.escalate_overdue(now=late) == 1
    assert services.escalate_overdue(now=late) == 0
    order.refresh_from_db()
    assert order.escalation_level == 1
    rows = Notification.objects.filter(event="supervision_order_overdue")
    assert {r.recipient for r in rows} >= {org.bob, org.alice}
    assert services.escalate_overdue(now=order.deadline + dt.timedelta(days=14)) == 1
    order.refresh_from_db()
    assert order.escalation_level >= 2
    assert Notification.objects.filter(
        event="supervision_order_overdue", recipient=org.leader
    ).exists()


def test_reply_and_verify_follow_the_ledger(org, squad, visit_a):
    finding = services.finding_create(actor=squad.ins_bureau, visit=visit_a, title="推诿患者",
                                      description="拒收急诊患者", severity="severe")  # fmt: skip
    order = finding.order
    with pytest.raises(ValidationFailed):  # the ledger wants evidence
        services.order_reply(actor=org.bob, order=order, reply="已整改", files=[])
    services.order_reply(actor=org.bob, order=order, reply="已整改", files=[stored_png(org.bob)])
    order.item.refresh_from_db()
    assert order.status == OrderStatus.REPLIED and order.item.status == ItemStatus.CLOSE_REQUESTED
    with pytest.raises(Conflict):
        services.order_reply(actor=org.bob, order=order, reply="再次", files=[stored_png(org.bob)])
    services.order_verify(actor=org.alice, order=order, decision="accept")
    order.item.refresh_from_db()
    assert order.status == OrderStatus.CLOSED and order.item.status == ItemStatus.CLOSED
    assert services.escalate_overdue(now=order.deadline + dt.timedelta(days=30)) == 0


def test_an_unannounced_finding_reaches_the_ledger_only_when_published(org, squad,
                                                                        secret_visit_a):  # fmt: skip
    finding = services.finding_create(actor=squad.ins_bureau, visit=secret_visit_a,
                                      title="工作时间玩手机", description="导诊台人员玩手机")  # fmt: skip
    assert finding.issue is None
    with pytest.raises(Conflict):  # not recorded yet
        services.visit_publish(actor=org.alice, visit=secret_visit_a)
    services.visit_record(actor=squad.ins_bureau, visit=secret_visit_a, summary="暗访窗口")
    services.visit_publish(actor=org.alice, visit=secret_visit_a)
    finding.refresh_from_db()
    assert finding.issue is not None and finding.issue.unit == org.unit_a


def test_a_problem_answer_becomes_a_finding(org, squad, visit_a):
    item = visit_a.plan.template.items.first()
    services.visit_record(actor=squad.ins_bureau, visit=visit_a, latitude="30.1234567",
                          longitude="120.5", answers=[{"item": item, "result": "problem",
                                                       "note": "未公示收费标准"}])  # fmt: skip
    visit_a.refresh_from_db()
    finding = visit_a.findings.get()
    assert finding.checklist_item == item and finding.issue is not None
    assert str(visit_a.latitude) == "30.123457"


def test_only_the_team_records_a_visit(org, squad, visit_a):
    from xiaoneng.core.errors import Forbidden

    with pytest.raises(Forbidden):
        services.finding_create(actor=squad.ins_b, visit=visit_a, title="x", description="y")


def test_lookback_reopens_the_items_of_an_unrectified_finding(org, squad, visit_a, plan_factory):
    finding = services.finding_create(actor=squad.ins_bureau, visit=visit_a, title="推诿患者",
                                      description="拒收急诊患者", severity="severe")  # fmt: skip
    order = finding.order
    services.order_reply(actor=org.bob, order=order, reply="已整改", files=[stored_png(org.bob)])
    services.order_verify(actor=org.alice, order=order, decision="accept")
    lookback = plan_factory(kind="lookback", name="回头看")
    visit = services.visit_create(actor=org.alice, plan=lookback, unit=org.unit_a,
                                  scheduled_on=dt.date(2026, 6, 1), team=[squad.ins_bureau.person])  # fmt: skip
    check = services.lookback_check(actor=org.alice, visit=visit, finding=finding,
                                    result="not_rectified", note="问题依旧")  # fmt: skip
    order.item.refresh_from_db()
    assert check.reopened_items == 1 and order.item.status == ItemStatus.REOPENED


def test_the_bulletin_reminder_follows_the_cadence(org):
    now = timezone.make_aware(dt.datetime(2026, 5, 11, 9, 0))
    assert services.remind_bulletin_due(now=now)  # none yet: due now
    assert Notification.objects.filter(event="bulletin_due", recipient=org.alice).count() == 1
    assert services.remind_bulletin_due(now=now)
    assert Notification.objects.filter(event="bulletin_due", recipient=org.alice).count() == 1
