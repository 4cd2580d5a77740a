"""Setting a campaign up by hand (issue 20): phases edited (a changed end re-dates what units
still owe and tells them), reordered and removed; leading groups with people from the org chart;
requirements and key tasks with deadlines; every edit audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from xiaoneng.campaigns import services
from xiaoneng.campaigns.models import Campaign, CampaignTemplate, GroupMember, Submission
from xiaoneng.core import clock
from xiaoneng.core.errors import Forbidden, ValidationFailed
from xiaoneng.core.models import AuditRecord, Notification

from .conftest import at

pytestmark = pytest.mark.django_db
D = dt.date


def _phase(campaign, name):
    return campaign.phases.get(name=name)


def test_editing_a_phase_redates_owing_submissions_and_notifies_the_units(org, campaign):
    """Acceptance: 分析检查阶段 ends 2027-02-28; moved to 2027-03-10, the 自查报告 still owed moves
    ten days with it, the one already handed in keeps its date, and the units are told."""
    phase = _phase(campaign, "分析检查阶段")
    reports = Submission.objects.filter(
        requirement__name="自查报告", requirement__campaign=campaign
    )
    handed_in = reports.get(unit=org.unit_a)
    with clock.frozen_now(at(D(2027, 2, 20))):
        services.submission_submit(actor=org.bob, submission=handed_in, text="自查报告全文")
    owed = reports.get(unit=org.unit_b)
    Notification.objects.all().delete()

    with clock.frozen_now(at(D(2027, 2, 21))):
        services.phase_update(
            actor=org.alice,
            phase=phase,
            name="分析检查阶段（延长）",
            starts_on=D(2027, 1, 1),
            ends_on=D(2027, 3, 10),
        )

    owed.refresh_from_db()
    handed_in.refresh_from_db()
    assert owed.due_on == D(2027, 3, 10)
    assert handed_in.due_on == D(2027, 2, 28)
    assert owed.requirement.due_on == D(2027, 3, 10)
    notices = Notification.objects.filter(event="campaigns.deadline_changed", channel="inbox")
    assert {n.recipient for n in notices} == {org.carol}  # unit A owes nothing: not told
    assert "2027-03-10" in notices.get().body and "自查报告" in notices.get().body
    record = AuditRecord.objects.filter(action="update", object_type__endswith="phase").latest("id")
    assert record.after["name"] == "分析检查阶段（延长）"
    assert owed.pk in record.after["redated"]


def test_a_renamed_phase_with_the_same_end_moves_nothing(org, campaign):
    phase = _phase(campaign, "动员部署阶段")
    before = list(Submission.objects.values_list("pk", "due_on").order_by("pk"))
    services.phase_update(
        actor=org.alice,
        phase=phase,
        name="动员部署",
        starts_on=D(2026, 12, 15),
        ends_on=phase.ends_on,
    )
    assert list(Submission.objects.values_list("pk", "due_on").order_by("pk")) == before
    assert not Notification.objects.filter(event="campaigns.deadline_changed").exists()


def test_a_recurring_series_moves_as_a_whole(org, zuofeng):
    storm = services.campaign_create_from_template(
        actor=org.alice,
        template=CampaignTemplate.objects.get(code="xiaoneng-fengbao"),
        year=2026,
        units=[org.unit_a],
    )
    phase = _phase(storm, "自查自纠")
    dates = sorted(
        Submission.objects.filter(
            requirement__name="简报", requirement__campaign=storm
        ).values_list("due_on", flat=True)
    )
    services.phase_update(
        actor=org.alice,
        phase=phase,
        name=phase.name,
        starts_on=phase.starts_on,
        ends_on=phase.ends_on + dt.timedelta(days=7),
    )
    after = sorted(
        Submission.objects.filter(
            requirement__name="简报", requirement__campaign=storm
        ).values_list("due_on", flat=True)
    )
    assert after == [d + dt.timedelta(days=7) for d in dates]


def test_phases_are_added_reordered_and_removed_with_orders_kept_1_to_n(org, campaign):
    extra = services.phase_add(
        actor=org.alice,
        campaign=campaign,
        name="建章立制阶段",
        starts_on=D(2027, 6, 1),
        ends_on=D(2027, 6, 15),
    )
    assert extra.order == 5
    services.phase_move(actor=org.alice, phase=extra, direction="up")
    names = list(campaign.phases.order_by("order").values_list("name", flat=True))
    assert names[3:] == ["建章立制阶段", "检查验收阶段"]
    services.phase_delete(actor=org.alice, phase=_phase(campaign, "动员部署阶段"))
    orders = list(campaign.phases.order_by("order").values_list("order", "name"))
    assert orders[0] == (1, "分析检查阶段") and [o for o, _n in orders] == [1, 2, 3, 4]
    # the deleted phase's deliverable stays, no longer tied to a phase
    assert campaign.requirements.get(name="实施方案").phase is None


def test_a_phase_needs_its_dates_in_order(org, campaign):
    with pytest.raises(ValidationFailed) as exc:
        services.phase_add(
            actor=org.alice,
            campaign=campaign,
            name=" ",
            starts_on=D(2027, 6, 2),
            ends_on=D(2027, 6, 1),
        )
    assert set(exc.value.errors) == {"name", "ends_on"}


def test_only_the_office_edits_phases(org, campaign):
    with pytest.raises(Forbidden):
        services.phase_update(
            actor=org.bob,
            phase=_phase(campaign, "动员部署阶段"),
            name="x",
            starts_on=D(2026, 12, 20),
            ends_on=D(2026, 12, 31),
        )


def test_the_leading_group_gets_members_from_the_org_chart(org, campaign):
    """The demo campaign showed 暂无成员: members are now added, audited and shown in order."""
    group = campaign.groups.get(unit=None)
    group = services.group_save(
        actor=org.alice,
        campaign=campaign,
        name="作风整顿活动领导小组",
        office_name="领导小组办公室",
        office_director=org.alice.person,
    )
    services.group_member_add(actor=org.alice, group=group, person=org.leader.person, role="leader")
    services.group_member_add(actor=org.alice, group=group, person=org.bob.person, role="member")
    services.group_member_add(
        actor=org.alice, group=group, person=org.unit_a.principal, role="deputy"
    )
    roles = [(m.role, m.person.name) for m in group.members.order_by("sort_order", "id")]
    assert roles == [("leader", "李局"), ("deputy", "甲院长"), ("member", "鲍勃")]
    with pytest.raises(ValidationFailed) as exc:
        services.group_member_add(
            actor=org.alice, group=group, person=org.carol.person, role="leader"
        )
    assert "role" in exc.value.errors
    member = group.members.get(role="member")
    services.group_member_remove(actor=org.alice, member=member)
    assert not GroupMember.objects.filter(pk=member.pk).exists()
    actions = set(
        AuditRecord.objects.filter(object_type__endswith="groupmember").values_list(
            "action", flat=True
        )
    )
    assert actions == {"create", "delete"}


def test_a_unit_keeps_its_own_group_with_its_own_people_only(org, campaign):
    group = services.group_save(actor=org.bob, campaign=campaign, unit=org.unit_a)
    assert group.unit == org.unit_a
    services.group_member_add(
        actor=org.bob, group=group, person=org.unit_a.principal, role="leader"
    )
    with pytest.raises(ValidationFailed) as exc:
        services.group_member_add(
            actor=org.bob, group=group, person=org.carol.person, role="member"
        )
    assert "person" in exc.value.errors
    with pytest.raises(Forbidden):
        services.group_save(actor=org.carol, campaign=campaign, unit=org.unit_a)
    with pytest.raises(Forbidden):
        services.group_save(actor=org.bob, campaign=campaign, name="改名")  # the campaign's group


def test_a_redated_requirement_moves_what_is_owed(org, campaign):
    requirement = campaign.requirements.get(name="整改方案")
    services.requirement_update(
        actor=org.alice, requirement=requirement, name="整改措施", due_on=D(2027, 5, 5)
    )
    dates = set(requirement.submissions.values_list("due_on", flat=True))
    assert dates == {D(2027, 5, 5)}
    requirement.refresh_from_db()
    assert requirement.name == "整改措施"
    assert Notification.objects.filter(event="campaigns.deadline_changed").exists()


def test_key_tasks_carry_deadlines_and_units_follow_edits(org, campaign):
    task = services.key_task_create(
        actor=org.alice,
        campaign=campaign,
        number=90,
        title="建立首问负责制度",
        due_on=D(2027, 3, 31),
        responsible_units=[org.unit_a],
    )
    assert task.due_on == D(2027, 3, 31)
    services.key_task_update(
        actor=org.alice,
        task=task,
        title="建立首问负责和限时办结制度",
        due_on=D(2027, 4, 15),
        responsible_units=[org.unit_a, org.unit_b],
    )
    task.refresh_from_db()
    assert task.due_on == D(2027, 4, 15)
    assert set(task.progress.values_list("unit_id", flat=True)) == {org.unit_a.pk, org.unit_b.pk}
    told = Notification.objects.filter(event="campaigns.deadline_changed", channel="inbox")
    assert {n.recipient for n in told} == {org.bob, org.carol}


def test_the_campaign_frame_is_edited_and_audited(org, campaign):
    services.campaign_update(actor=org.alice, campaign=campaign, doc_number="卫发〔2026〕9号")
    record = AuditRecord.objects.filter(action="update", object_type__endswith="campaign").latest(
        "id"
    )
    assert record.after["doc_number"] == "卫发〔2026〕9号"
    with pytest.raises(ValidationFailed):
        services.campaign_update(actor=org.alice, campaign=campaign, status="closed")


# --- the pages -----------------------------------------------------------------------------------------
def test_the_office_sets_up_a_campaign_from_scratch_on_the_pages(org, client):
    client.force_login(org.alice)
    response = client.post(
        reverse("campaigns:new_blank"),
        {
            "name": "2027年行风建设专项行动",
            "kind": "other",
            "starts_on": "2027-03-01",
            "ends_on": "2027-09-30",
            "reminder_days": "2",
            "units": [org.unit_a.pk, org.unit_b.pk],
        },
    )
    campaign = Campaign.objects.get(name="2027年行风建设专项行动")
    setup = reverse("campaigns:setup", args=[campaign.pk])
    assert response.status_code == 302 and response["Location"] == setup
    response = client.post(
        setup,
        {
            "form": "phase_add",
            "new-phase-name": "动员部署阶段",
            "new-phase-starts_on": "2027-03-01",
            "new-phase-ends_on": "2027-03-15",
        },
    )
    assert response.status_code == 302
    phase = campaign.phases.get()
    # a bad edit comes back with the error and what was typed
    response = client.post(
        setup,
        {
            "form": "phase",
            "obj": phase.pk,
            f"phase-{phase.pk}-name": "动员部署",
            f"phase-{phase.pk}-starts_on": "2027-03-20",
            f"phase-{phase.pk}-ends_on": "2027-03-10",
        },
    )
    assert response.status_code == 400
    assert 'value="动员部署"' in response.content.decode()
    group = campaign.groups.get(unit=None)
    response = client.post(
        setup,
        {
            "form": "member_add",
            "obj": group.pk,
            f"member-{group.pk}-person": org.leader.person.pk,
            f"member-{group.pk}-role": "leader",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "组长：李局" in page


def test_units_may_not_open_the_set_up_page(org, client, campaign):
    client.force_login(org.bob)
    assert client.get(reverse("campaigns:setup", args=[campaign.pk])).status_code == 403
    client.force_login(org.carol)
    other = services.campaign_create(
        actor=org.alice,
        name="甲院专项",
        starts_on=D(2027, 1, 1),
        ends_on=D(2027, 2, 1),
        units=[org.unit_a],
    )
    assert client.get(reverse("campaigns:setup", args=[other.pk])).status_code == 404


def test_the_demo_campaign_shows_its_leading_group(org, client):
    """The demo campaign showed 暂无成员; now the bureau's group has its 组长 and 副组长."""
    from xiaoneng.campaigns import demo
    from xiaoneng.core.demo import BUREAU_CODE
    from xiaoneng.core.services import org as org_services

    org.alice.username = "office"
    org.alice.save(update_fields=["username"])
    org.bureau.code = BUREAU_CODE
    org.bureau.save(update_fields=["code"])
    org_services.unit_update(actor=None, unit=org.bureau, check=False, principal=org.leader.person)
    org_services.person_update(actor=None, person=org.bob.person, check=False, position="副局长")
    org_services.person_update(actor=None, person=org.bob.person, check=False, unit=org.bureau)
    assert demo.load_demo(now=at(D(2026, 9, 15))) == 1
    campaign = Campaign.objects.get()
    client.force_login(org.alice)
    page = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "组长：李局" in page and "副组长：鲍勃" in page
    assert "暂无成员" not in page


def test_a_unit_admin_keeps_the_units_group_on_its_page(org, client, campaign):
    client.force_login(org.bob)
    url = reverse("campaigns:unit_group", args=[campaign.pk]) + f"?unit={org.unit_a.pk}"
    response = client.post(
        url, {"form": "group", "group-name": "甲医院作风整顿领导小组", "group-office_name": "院办"}
    )
    assert response.status_code == 302
    group = campaign.groups.get(unit=org.unit_a)
    response = client.post(
        url,
        {"form": "member_add", "member-person": org.carol.person.pk, "member-role": "member"},
    )
    assert response.status_code == 400  # 卡萝 works in 乙医院: not in the list of unit A's people
    response = client.post(
        url,
        {"form": "member_add", "member-person": org.unit_a.principal.pk, "member-role": "leader"},
    )
    assert response.status_code == 302
    assert [(m.role, m.person.name) for m in group.members.all()] == [("leader", "甲院长")]
    page = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "甲医院：甲医院作风整顿领导小组" in page


def test_the_api_patches_a_phase_and_the_owed_deliverables_follow(org, campaign, api_as):
    phase = _phase(campaign, "整改落实阶段")
    response = api_as(org.alice).patch(
        f"/api/v1/campaign-phases/{phase.pk}", {"ends_on": "2027-05-10"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["ends_on"] == "2027-05-10"
    dates = set(
        Submission.objects.filter(requirement__phase=phase).values_list("due_on", flat=True)
    )
    assert dates == {D(2027, 5, 10)}
    assert Notification.objects.filter(event="campaigns.deadline_changed").exists()
    response = api_as(org.alice).patch(
        f"/api/v1/campaign-phases/{phase.pk}", {"ends_on": "2020-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert "ends_on" in response.json()["errors"]
    group = campaign.groups.get(unit=None)
    response = api_as(org.alice).post(
        f"/api/v1/leading-groups/{group.pk}/members",
        {"person": org.leader.person.pk, "role": "leader"},
        format="json",
    )
    assert response.status_code == 201
    detail = api_as(org.bob).get(f"/api/v1/leading-groups/{group.pk}").json()
    assert [(m["role"], m["person_name"]) for m in detail["members"]] == [("leader", "李局")]


def test_set_up_creates_honour_an_idempotency_key(org, campaign, api_as):
    """A repeated phase add or member add with the same key creates once and replays the
    first answer; the same key with another body is a 409."""
    client = api_as(org.alice)
    url = f"/api/v1/campaigns/{campaign.pk}/phases"
    body = {"name": "回头看阶段", "starts_on": "2027-06-01", "ends_on": "2027-06-30"}
    first = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="phase-1")
    assert first.status_code == 200, first.content
    again = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="phase-1")
    assert again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert campaign.phases.filter(name="回头看阶段").count() == 1

    group = campaign.groups.get(unit=None)
    members = f"/api/v1/leading-groups/{group.pk}/members"
    body = {"person": org.leader.person.pk, "role": "leader"}
    first = client.post(members, body, format="json", HTTP_IDEMPOTENCY_KEY="member-1")
    assert first.status_code == 201, first.content
    again = client.post(members, body, format="json", HTTP_IDEMPOTENCY_KEY="member-1")
    assert again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert GroupMember.objects.filter(group=group).count() == 1
    other = {"person": org.alice.person.pk, "role": "member"}
    clash = client.post(members, other, format="json", HTTP_IDEMPOTENCY_KEY="member-1")
    assert clash.status_code == 409
    assert clash.headers["Content-Type"].startswith("application/problem+json")
    assert GroupMember.objects.filter(group=group).count() == 1
