"""Every campaign page and endpoint against the permission matrix (anonymous, office, unit A,
unit B): the objects belong to a campaign of unit A only, so unit B gets 404."""

from __future__ import annotations

from decimal import Decimal

import pytest

from xiaoneng.campaigns import services
from xiaoneng.campaigns.models import CampaignTemplate, Submission
from xiaoneng.core import testing_matrix as m

pytestmark = pytest.mark.django_db
OFF, A, B = m.OFFICE, m.UNIT_A, m.UNIT_B


def campaign_a(w: m.World):
    def make():
        made = services.campaign_create_from_template(
            actor=w.org.alice,
            template=CampaignTemplate.objects.get(code="zuofeng-zhengdun"),
            year=2026,
            units=[w.org.unit_a],
        )
        services.campaign_start(actor=w.org.alice, campaign=made)
        return made

    return w.once("campaign_a", make)


def sub_a(w: m.World):
    return w.once(
        "sub_a",
        lambda: Submission.objects.filter(requirement__campaign=campaign_a(w)).order_by("id")[0],
    )


def target_a(w: m.World):
    return w.once(
        "target_a",
        lambda: services.target_create(
            actor=w.org.alice,
            campaign=campaign_a(w),
            number="1",
            content="满意率",
            standard="≥95%",
            responsible_unit=w.org.unit_a,
        ),
    )


def measurement_a(w: m.World):
    return w.once(
        "measurement_a",
        lambda: services.measurement_record(
            actor=w.org.alice, target=target_a(w), period="2027-01", value=Decimal("96")
        ),
    )


def pk(getter):
    return lambda w: {"pk": getter(w).pk}


def task_a(w):
    return campaign_a(w).key_tasks.order_by("number")[0]


def requirement_a(w):
    return campaign_a(w).requirements.order_by("id")[0]


def phase_a(w):
    return campaign_a(w).phases.order_by("order")[0]


def group_a(w):
    return campaign_a(w).groups.get(unit=None)


def member_a(w):
    return w.once(
        "member_a",
        lambda: services.group_member_add(
            actor=w.org.alice, group=group_a(w), person=w.org.leader.person, role="leader"
        ),
    )


ROWS = [
    m.Row("campaigns:list", m.everyone()),
    m.Row("campaigns:new", m.permitted(OFF)),
    m.Row("campaigns:new_blank", m.permitted(OFF)),
    m.Row("campaigns:edit", {OFF: 200, A: 403, B: 404}, kwargs=pk(campaign_a)),
    m.Row("campaigns:setup", {OFF: 200, A: 403, B: 404}, kwargs=pk(campaign_a)),
    m.Row("campaigns:unit_group", m.scoped(), kwargs=pk(campaign_a)),
    m.Row(
        "campaigns:unit_group",
        m.scoped(302),
        kwargs=pk(campaign_a),
        method="post",
        data={"form": "group", "group-name": "甲医院作风整顿领导小组"},
        label="save",
    ),
    m.Row(
        "campaigns:setup",
        {OFF: 302, A: 403, B: 404},
        kwargs=pk(campaign_a),
        method="post",
        data=lambda w: {"form": "phase_down", "obj": phase_a(w).pk},
        label="move a phase",
    ),
    m.Row(
        "api-campaign-detail",
        {OFF: 200, A: 403, B: 404},
        kwargs=pk(campaign_a),
        method="patch",
        data={"doc_number": "卫发〔2026〕1号"},
        label="patch",
    ),
    m.Row(
        "api-campaign-phases",
        {OFF: 200, A: 403, B: 404},
        kwargs=pk(campaign_a),
        method="post",
        data={"name": "建章立制阶段", "starts_on": "2027-06-01", "ends_on": "2027-06-30"},
        label="add",
    ),
    m.Row("api-campaign-phase-detail", m.scoped(), kwargs=pk(phase_a)),
    m.Row(
        "api-campaign-phase-detail",
        {OFF: 200, A: 403, B: 404},
        kwargs=pk(phase_a),
        method="patch",
        data={"ends_on": "2027-01-05"},
        label="patch",
    ),
    m.Row(
        "api-campaign-phase-detail",
        {OFF: 204, A: 403, B: 404},
        kwargs=pk(phase_a),
        method="delete",
        label="delete",
    ),
    m.Row(
        "api-campaign-phase-move",
        {OFF: 200, A: 403, B: 404},
        kwargs=pk(phase_a),
        method="post",
        data={"direction": "down"},
    ),
    m.Row("api-campaign-group-list", m.everyone()),
    m.Row(
        "api-campaign-group-list",
        {OFF: 201, A: 201, B: 400},
        method="post",
        data=lambda w: {"campaign": campaign_a(w).pk, "unit": w.org.unit_a.pk},
        label="a unit's group",
    ),
    m.Row("api-campaign-group-detail", m.scoped(), kwargs=pk(group_a)),
    m.Row(
        "api-campaign-group-detail",
        {OFF: 200, A: 403, B: 404},
        kwargs=pk(group_a),
        method="patch",
        data={"office_name": "领导小组办公室"},
        label="patch",
    ),
    m.Row(
        "api-campaign-group-members",
        {OFF: 201, A: 403, B: 404},
        kwargs=pk(group_a),
        method="post",
        data=lambda w: {"person": w.org.bob.person.pk, "role": "member"},
    ),
    m.Row("api-campaign-group-member-detail", m.scoped(), kwargs=pk(member_a)),
    m.Row(
        "api-campaign-group-member-detail",
        {OFF: 204, A: 403, B: 404},
        kwargs=pk(member_a),
        method="delete",
        label="delete",
    ),
    m.Row(
        "api-campaign-requirement-detail",
        {OFF: 200, A: 403, B: 404},
        kwargs=pk(requirement_a),
        method="patch",
        data={"due_on": "2027-01-10"},
        label="patch",
    ),
    m.Row(
        "api-campaign-key-task-detail",
        {OFF: 200, A: 403, B: 404},
        kwargs=pk(task_a),
        method="patch",
        data={"due_on": "2027-03-31"},
        label="patch",
    ),
    m.Row("campaigns:detail", m.scoped(), kwargs=pk(campaign_a)),
    m.Row("campaigns:matrix_export", m.scoped(), kwargs=pk(campaign_a)),
    m.Row("campaigns:review", {OFF: 200, A: 403, B: 404}, kwargs=pk(campaign_a)),
    m.Row("campaigns:targets", m.scoped(), kwargs=pk(campaign_a)),
    m.Row("campaigns:targets_export", m.scoped(), kwargs=pk(campaign_a)),
    m.Row(
        "campaigns:action",
        {OFF: 302, A: 403, B: 404},
        kwargs=lambda w: {"pk": campaign_a(w).pk, "action": "urge"},
        method="post",
    ),
    m.Row("campaigns:submission", m.scoped(), kwargs=pk(sub_a)),
    m.Row(
        "campaigns:task_progress",
        {OFF: 302, A: 302, B: 404},
        kwargs=pk(task_a),
        method="post",
        data=lambda w: {"unit": w.org.unit_a.pk, "status": "done"},
    ),
    m.Row("api-campaign-template-list", m.everyone()),
    m.Row(
        "api-campaign-template-detail",
        m.everyone(),
        kwargs=lambda w: {"pk": CampaignTemplate.objects.first().pk},
    ),
    m.Row("api-campaign-list", m.everyone()),
    m.Row("api-campaign-detail", m.scoped(), kwargs=pk(campaign_a)),
    m.Row("api-campaign-phases", m.scoped(), kwargs=pk(campaign_a)),
    m.Row("api-campaign-start", {OFF: 409, A: 403, B: 404}, kwargs=pk(campaign_a), method="post"),
    m.Row("api-campaign-close", {OFF: 200, A: 403, B: 404}, kwargs=pk(campaign_a), method="post"),
    m.Row("api-campaign-urge", {OFF: 200, A: 403, B: 404}, kwargs=pk(campaign_a), method="post"),
    m.Row("api-campaign-requirement-list", m.everyone()),
    m.Row("api-campaign-requirement-detail", m.scoped(), kwargs=pk(requirement_a)),
    m.Row("api-campaign-submission-list", m.everyone()),
    m.Row("api-campaign-submission-detail", m.scoped(), kwargs=pk(sub_a)),
    m.Row(
        "api-campaign-submission-submit",
        {OFF: 403, A: 200, B: 404},
        kwargs=pk(sub_a),
        method="post",
        data={"text": "实施方案"},
    ),
    m.Row(
        "api-campaign-submission-accept",
        {OFF: 409, A: 403, B: 404},
        kwargs=pk(sub_a),
        method="post",
    ),
    m.Row(
        "api-campaign-submission-return",
        {OFF: 409, A: 403, B: 404},
        kwargs=pk(sub_a),
        method="post",
        data={"reason": "不完整"},
    ),
    m.Row("api-campaign-key-task-list", m.everyone()),
    m.Row("api-campaign-key-task-detail", m.scoped(), kwargs=pk(task_a)),
    m.Row(
        "api-campaign-key-task-progress",
        {OFF: 200, A: 200, B: 404},
        kwargs=pk(task_a),
        method="post",
        data=lambda w: {"unit": w.org.unit_a.pk, "status": "in_progress"},
    ),
    m.Row("api-campaign-target-list", m.everyone()),
    m.Row("api-campaign-target-detail", m.scoped(), kwargs=pk(target_a)),
    m.Row("api-campaign-measurement-list", m.everyone()),
    m.Row("api-campaign-measurement-detail", m.scoped(), kwargs=pk(measurement_a)),
]


@m.parametrize(ROWS)
def test_matrix(row, org):
    m.check(row, m.World(org))


def test_every_pattern_has_a_row(db):
    m.assert_complete("campaigns", ROWS)
