"""The work home lists what inspections wait for: visits to do, orders to reply to, replies to
verify, bulletins to approve."""

from __future__ import annotations

from xiaoneng.core import workhome
from xiaoneng.core.models import Role
from xiaoneng.core.testing import make_user
from xiaoneng.inspections import services

from .conftest import stored_png


def keys(user) -> dict[str, int]:
    return {w.key: w.count for w in workhome.collect(user) if w.key.startswith("inspections.")}


def test_the_work_home_shows_inspection_work(org, squad, visit_a):
    assert keys(squad.ins_bureau)["inspections.visits_to_do"] == 1
    finding = services.finding_create(actor=squad.ins_bureau, visit=visit_a, title="收受红包",
                                      description="收受红包", severity="severe")  # fmt: skip
    assert keys(org.bob)["inspections.orders_to_reply"] == 1
    assert "inspections.orders_to_reply" not in keys(org.carol)
    assert "inspections.orders_to_reply" not in keys(org.alice)
    services.order_reply(actor=org.bob, order=finding.order, reply="已整改",
                         files=[stored_png(org.bob)])  # fmt: skip
    assert keys(org.alice)["inspections.orders_to_verify"] == 1


def test_leaders_see_bulletins_to_approve(org, squad, visit_a):
    services.finding_create(actor=squad.ins_bureau, visit=visit_a, title="导诊台无人",
                            description="无人值守")  # fmt: skip
    services.visit_record(actor=squad.ins_bureau, visit=visit_a)
    services.visit_publish(actor=org.alice, visit=visit_a)
    bulletin = services.bulletin_create(
        actor=org.alice, title="通报", findings=list(visit_a.findings.all()),
        period_start=visit_a.scheduled_on, period_end=visit_a.scheduled_on,
    )  # fmt: skip
    services.bulletin_submit(actor=org.alice, bulletin=bulletin)
    leader = make_user("approver", None)
    leader.roles.set(Role.objects.filter(code="leader"))
    assert keys(leader)["inspections.bulletins_to_approve"] == 1
    assert "inspections.bulletins_to_approve" not in keys(org.bob)
