"""Campaign services: templates rolled to a year, submissions and their state machine,
reminders and 催报 (now-aware, idempotent), key tasks, targets judged against standards."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from xiaoneng.campaigns import selectors, services, standards
from xiaoneng.campaigns.models import (
    Campaign,
    CampaignTemplate,
    KeyTaskProgress,
    Submission,
)
from xiaoneng.core import clock
from xiaoneng.core.errors import Conflict, Forbidden, ValidationFailed
from xiaoneng.core.models import AuditRecord, Notification

from .conftest import at

pytestmark = pytest.mark.django_db
D = dt.date


def test_the_seeds_give_five_templates():
    codes = set(CampaignTemplate.objects.values_list("code", flat=True))
    assert {
        "zuofeng-zhengdun",
        "xiaoneng-fengbao",
        "zhuan-zuofeng-ti-xiaoneng",
        "jiguan-xiaoneng-jianshe",
        "wenming-chengshi",
    } <= codes
    storm = CampaignTemplate.objects.get(code="xiaoneng-fengbao")
    assert [p["name"] for p in storm.spec["phases"]] == ["动员部署", "自查自纠", "总结验收"]
    assert len(storm.spec["key_tasks"]) == 18
    assert len({t["group"] for t in storm.spec["key_tasks"]}) == 5
    building = CampaignTemplate.objects.get(code="jiguan-xiaoneng-jianshe")
    phases = building.spec["phases"]
    assert len(phases) == 5
    first, last = D(2026, *phases[0]["start"][1:]), D(2026, *phases[-1]["end"][1:])
    assert (last - first).days + 1 == 42  # six weeks


def test_it_rolls_the_work_style_template_to_2026_2027(org, campaign):
    """Acceptance: four phases with the seed's dates in 2026–2027 and four deliverables with
    due dates per unit."""
    assert campaign.name == "2026—2027年卫生系统作风整顿活动"
    assert (campaign.starts_on, campaign.ends_on) == (D(2026, 12, 20), D(2027, 5, 31))
    phases = [(p.name, p.starts_on, p.ends_on) for p in campaign.phases.order_by("order")]
    assert phases == [
        ("动员部署阶段", D(2026, 12, 20), D(2026, 12, 31)),
        ("分析检查阶段", D(2027, 1, 1), D(2027, 2, 28)),
        ("整改落实阶段", D(2027, 3, 1), D(2027, 4, 30)),
        ("检查验收阶段", D(2027, 5, 1), D(2027, 5, 31)),
    ]
    reqs = [(r.name, r.due_on, r.phase.name) for r in campaign.requirements.order_by("due_on")]
    assert reqs == [
        ("实施方案", D(2026, 12, 31), "动员部署阶段"),
        ("自查报告", D(2027, 2, 28), "分析检查阶段"),
        ("整改方案", D(2027, 4, 30), "整改落实阶段"),
        ("活动总结报告", D(2027, 5, 31), "检查验收阶段"),
    ]
    units = {org.unit_a.pk, org.unit_a_child.pk, org.unit_b.pk}
    assert set(campaign.units.values_list("pk", flat=True)) == units
    for unit_id in units:
        dues = sorted(
            Submission.objects.filter(requirement__campaign=campaign, unit_id=unit_id).values_list(
                "due_on", flat=True
            )
        )
        assert dues == [D(2026, 12, 31), D(2027, 2, 28), D(2027, 4, 30), D(2027, 5, 31)]
    assert set(Submission.objects.values_list("status", flat=True)) == {"pending"}
    # the key tasks' responsible units are "各医疗卫生单位" → every unit gets a progress row
    assert campaign.key_tasks.count() == 5
    assert KeyTaskProgress.objects.filter(task__campaign=campaign).count() == 15
    assert campaign.groups.get(unit=None).name == "作风整顿活动领导小组"


def test_the_current_phase_follows_now(campaign):
    phases = selectors.phases_of(campaign)
    assert selectors.current_phase(phases, D(2026, 12, 1)) is None
    assert selectors.current_phase(phases, D(2027, 1, 15)).name == "分析检查阶段"
    assert selectors.current_phase(phases, D(2027, 7, 1)).name == "检查验收阶段"


def test_a_recurring_deliverable_generates_its_due_dates(org):
    storm = CampaignTemplate.objects.get(code="xiaoneng-fengbao")
    made = services.campaign_create_from_template(actor=org.alice, template=storm, year=2026)
    brief = made.requirements.get(name="简报")
    dues = sorted(set(brief.submissions.values_list("due_on", flat=True)))
    assert dues == [D(2026, m, 25) for m in range(6, 12)]
    assert services.due_dates(D(2026, 5, 15), "weekly", D(2026, 6, 5)) == [
        D(2026, 5, 15),
        D(2026, 5, 22),
        D(2026, 5, 29),
        D(2026, 6, 5),
    ]
    with pytest.raises(ValidationFailed):
        services.due_dates(D(2026, 5, 15), "weekly", None)


def _sub(campaign, unit, name="实施方案"):
    return Submission.objects.get(requirement__campaign=campaign, unit=unit, requirement__name=name)


def test_a_unit_that_has_not_submitted_is_overdue_the_next_day_and_reminded(org, campaign):
    """Acceptance: not submitted by 12-31 → 逾期 on 1-1 (computed from now), and a reminder."""
    sub = _sub(campaign, org.unit_a)
    with clock.frozen_now(at(D(2026, 12, 31), 20)):
        assert not selectors.is_overdue(sub)
        assert selectors.display_status(sub)[0] == "pending"
    with clock.frozen_now(at(D(2027, 1, 1), 8)):
        assert selectors.is_overdue(sub)
        code, label = selectors.display_status(sub)
        assert code == "overdue"
    # the reminder: the command with --now, run twice, sends one message per unit admin
    call_command("campaigns_remind", now="2027-01-01T08:10:00")
    call_command("campaigns_remind", now="2027-01-01T09:10:00")
    overdue = Notification.objects.filter(event="campaigns.submission_overdue", channel="inbox")
    assert overdue.filter(recipient=org.bob).count() == 1  # unit A's 实施方案
    assert overdue.filter(recipient=org.carol).count() == 1  # unit B's 实施方案
    assert not overdue.filter(recipient=org.alice).exists()
    assert "实施方案" in overdue.get(recipient=org.bob).subject


def test_the_reminder_before_the_due_date_counts_working_days(org, campaign):
    # 2026-12-31 is a Thursday; 2 working days before → from Tuesday 12-29 on
    with clock.frozen_now(at(D(2026, 12, 28))):
        services.remind()
    assert not Notification.objects.filter(event="campaigns.submission_due").exists()
    with clock.frozen_now(at(D(2026, 12, 29))):
        services.remind()
        services.remind()
    due = Notification.objects.filter(event="campaigns.submission_due", recipient=org.bob)
    assert due.count() == 1


def test_submitting_on_time_late_and_the_return_with_its_reason(org, campaign, upload):
    sub_a, sub_b = _sub(campaign, org.unit_a), _sub(campaign, org.unit_b)
    with clock.frozen_now(at(D(2026, 12, 30))):
        services.submission_submit(actor=org.bob, submission=sub_a, files=[upload(org.bob)])
    assert sub_a.status == Submission.Status.SUBMITTED
    with clock.frozen_now(at(D(2027, 1, 2))):
        services.submission_submit(actor=org.carol, submission=sub_b, text="方案全文")
    assert sub_b.status == Submission.Status.LATE
    services.submission_return(actor=org.alice, submission=sub_a, reason="缺少责任分工")
    sub_a.refresh_from_db()
    assert sub_a.status == Submission.Status.RETURNED
    assert sub_a.return_reason == "缺少责任分工"
    note = Notification.objects.get(event="campaigns.submission_returned", channel="inbox")
    assert note.recipient == org.bob and "缺少责任分工" in note.body
    assert AuditRecord.objects.filter(action="return", reason="缺少责任分工").exists()
    # returned and now past due: shown overdue until resubmitted, then 逾期报送
    with clock.frozen_now(at(D(2027, 1, 3))):
        assert selectors.display_status(sub_a)[0] == "overdue"
        services.submission_submit(actor=org.bob, submission=sub_a, text="已补充责任分工")
    assert sub_a.status == Submission.Status.LATE and sub_a.return_reason == ""
    services.submission_accept(actor=org.alice, submission=sub_a)
    assert sub_a.status == Submission.Status.ACCEPTED
    with pytest.raises(Conflict):
        services.submission_return(actor=org.alice, submission=sub_a, reason="再看看")
    with pytest.raises(ValidationFailed):
        services.submission_return(actor=org.alice, submission=sub_b, reason="  ")


def test_only_the_units_own_admin_submits_and_only_the_office_reviews(org, campaign):
    sub_a = _sub(campaign, org.unit_a)
    for user in (org.carol, org.alice, org.dave, org.leader, org.nobody):
        with pytest.raises(Forbidden):
            services.submission_submit(actor=user, submission=sub_a, text="x")
    with pytest.raises(ValidationFailed):
        services.submission_submit(actor=org.bob, submission=sub_a, text="")
    services.submission_submit(actor=org.bob, submission=sub_a, text="x")
    for user in (org.bob, org.carol, org.leader):
        with pytest.raises(Forbidden):
            services.submission_accept(actor=user, submission=sub_a)


def test_concurrent_reviews_one_wins(org, campaign):
    sub = _sub(campaign, org.unit_a)
    services.submission_submit(actor=org.bob, submission=sub, text="x")
    stale = Submission.objects.get(pk=sub.pk)
    services.submission_accept(actor=org.alice, submission=sub)
    with pytest.raises(Conflict):
        services.submission_return(actor=org.alice, submission=stale, reason="迟了")


def test_urging_reminds_every_late_unit_once_a_day(org, campaign):
    services.submission_submit(actor=org.bob, submission=_sub(campaign, org.unit_a), text="x")
    with clock.frozen_now(at(D(2027, 1, 4))):
        late = services.submissions_urge(actor=org.alice, campaign=campaign)
        again = services.submissions_urge(actor=org.alice, campaign=campaign)
    assert late == again == 2  # unit A's branch and unit B
    urged = Notification.objects.filter(event="campaigns.submission_urged", channel="inbox")
    assert list(urged.values_list("recipient__username", flat=True)) == ["carol"]
    with pytest.raises(Forbidden):
        services.submissions_urge(actor=org.bob, campaign=campaign)


def test_drafts_are_not_reminded_and_cannot_be_submitted(org, zuofeng):
    draft = services.campaign_create_from_template(actor=org.alice, template=zuofeng, year=2026)
    assert draft.status == Campaign.Status.DRAFT
    with clock.frozen_now(at(D(2027, 1, 5))):
        assert services.remind()["overdue"] == 0
    with pytest.raises(Conflict):
        services.submission_submit(actor=org.bob, submission=_sub(draft, org.unit_a), text="x")


@pytest.mark.parametrize(
    ("text", "comparator", "value", "unit"),
    [
        ("≥95%", "ge", Decimal("95"), "%"),
        ("≤10分钟", "le", Decimal("10"), "分钟"),
        (">1.2", "gt", Decimal("1.2"), ""),
        ("95%以上", "ge", Decimal("95"), "%"),
        ("不超过15分钟", "le", Decimal("15"), "分钟"),
        ("≤3个工作日", "le", Decimal("3"), "个工作日"),
        ("严格按照法律法规", "", None, ""),
    ],
)
def test_standards_parse(text, comparator, value, unit):
    parsed = standards.parse(text)
    assert (parsed.comparator, parsed.value, parsed.unit) == (comparator, value, unit)


def test_a_measurement_is_judged_against_the_standard(org, campaign):
    """Acceptance: "≥95%" measured 93.2 is not met."""
    target = services.target_create(
        actor=org.alice,
        campaign=campaign,
        number="1",
        content="居民满意率",
        standard="≥95%",
        methods=["survey"],
        responsible_unit=org.unit_a,
    )
    assert (target.comparator, target.value, target.measure_unit) == ("ge", 95, "%")
    m = services.measurement_record(
        actor=org.bob, target=target, period="2027-03", value=Decimal("93.2")
    )
    assert m.met is False
    m = services.measurement_record(
        actor=org.bob, target=target, period="2027-03", value=Decimal("95")
    )
    assert m.met is True and target.measurements.count() == 1
    with pytest.raises(Forbidden):
        services.measurement_record(actor=org.carol, target=target, period="2027-04", value=99)
    # changing the standard re-judges what was measured
    services.target_update(actor=org.alice, target=target, standard=">95%")
    m.refresh_from_db()
    assert m.met is False


def test_key_task_progress_per_unit_and_overall(org, campaign):
    task = campaign.key_tasks.get(number=1)
    services.key_task_report(
        actor=org.bob, task=task, unit=org.unit_a, status="done", note="已开展五个一"
    )
    with pytest.raises(Forbidden):
        services.key_task_report(actor=org.carol, task=task, unit=org.unit_a, status="done")
    rows = {r.task.number: r for r in selectors.key_task_rows(campaign, org.alice)}
    assert (rows[1].done, rows[1].total, rows[1].overall) == (1, 3, "in_progress")
    for unit, user in ((org.unit_a_child, org.bob), (org.unit_b, org.carol)):
        services.key_task_report(actor=user, task=task, unit=unit, status="done")
    rows = {r.task.number: r for r in selectors.key_task_rows(campaign, org.alice)}
    assert rows[1].overall == "done"
    # a unit sees only its own progress rows
    mine = {r.task.number: r for r in selectors.key_task_rows(campaign, org.carol)}
    assert [p.unit for p in mine[1].progress] == [org.unit_b]
    assert (mine[1].done, mine[1].total) == (1, 1)  # its own row, not "3 / 3" county-wide
    bob = {r.task.number: r for r in selectors.key_task_rows(campaign, org.bob)}
    assert (bob[1].done, bob[1].total) == (2, 2)  # unit A and the branch below it


def test_the_matrix_shows_units_by_deliverables(org, campaign):
    services.submission_submit(actor=org.bob, submission=_sub(campaign, org.unit_a), text="x")
    with clock.frozen_now(at(D(2027, 1, 1))):
        office = selectors.submission_matrix(campaign, org.alice)
        unit_b = selectors.submission_matrix(campaign, org.carol)
    assert [r.name for r in office.requirements][0] == "实施方案"
    states = {u.name: cells[0].code for u, cells in office.rows}
    assert states == {"甲医院": "submitted", "甲医院分院": "overdue", "乙医院": "overdue"}
    assert [u.name for u, _c in unit_b.rows] == ["乙医院"]


def test_the_demo_loads_one_running_campaign(org):
    from django.contrib.auth import get_user_model

    from xiaoneng.campaigns import demo

    org.alice.username = "office"
    org.alice.save(update_fields=["username"])
    now = at(D(2026, 9, 15))
    assert demo.load_demo(now=now) == 1
    assert demo.load_demo(now=now) == 0
    made = Campaign.objects.get()
    assert made.status == Campaign.Status.ACTIVE and made.template.code == "xiaoneng-fengbao"
    assert selectors.current_phase(selectors.phases_of(made), D(2026, 9, 15)).name == "自查自纠"
    statuses = set(
        Submission.objects.filter(requirement__campaign=made).values_list("status", flat=True)
    )
    assert {"accepted", "returned", "pending"} <= statuses
    assert made.targets.filter(measurements__met=False).exists()
    assert get_user_model().objects.filter(username="office").exists()


def test_ledger_issues_found_for_the_campaign_are_counted(org, campaign):
    from xiaoneng.rectification import services as ledger

    ledger.issue_create(
        actor=org.bob,
        unit=org.unit_a,
        source="self_inspection",
        title="导诊服务流于形式",
        description="门诊大厅无人导诊。",
        campaign=campaign,
    )
    ledger.issue_create(
        actor=org.bob, unit=org.unit_a, source="other", title="别的问题", description="无关。"
    )
    assert selectors.issue_counts(campaign, org.alice) == {"found": 1, "closed": 0}
    assert selectors.issue_counts(campaign, org.carol) == {"found": 0, "closed": 0}
