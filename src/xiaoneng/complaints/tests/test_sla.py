"""SLA clocks: policy selection (rules are data), deadline arithmetic on the working-day calendar,
the traffic light, and the examples that must hold (PRODUCT.md "Time rules")."""

from __future__ import annotations

import pytest

from xiaoneng.complaints import sla
from xiaoneng.complaints.models import Complaint, ComplaintRules, SlaPolicy
from xiaoneng.core.clock import frozen_now

from .test_lifecycle import at, category, register

pytestmark = pytest.mark.django_db

RECEIVED = at(2026, 9, 30, 17, 0)  # the eve of the National Day holiday (1–7 Oct 2026)


def registered(org, **over) -> Complaint:
    with frozen_now(at(2026, 9, 30, 17, 30)):
        return register(org, received_at=RECEIVED, **over)


def test_a_12345_complaint_received_before_national_day_is_due_20_october(org):
    c = registered(org, channel="hotline_12345", type="complaint")
    assert c.sla_policy.code == "h12345_complaint"
    assert c.resolve_by == at(2026, 10, 20, 23, 59, 59)
    # 24 working-day hours: 7 h on 30 Sep, then 8 Oct 00:00 → 17:00 (holidays do not count)
    assert c.sign_by == at(2026, 10, 8, 17, 0)
    assert c.clock_started_at == RECEIVED and not c.deadline_uncertain


def test_a_price_complaint_received_then_is_due_10_october_a_makeup_saturday(org):
    c = registered(org, price_related=True, category=category("improper_charges"))
    assert c.sla_policy.code == "price"
    assert c.resolve_by == at(2026, 10, 10, 23, 59, 59)


def test_price_rule_wins_over_the_12345_rule(org):
    c = registered(org, price_related=True, channel="hotline_12345")
    assert c.sla_policy.code == "price"


@pytest.mark.parametrize(
    ("over", "code", "resolve_by"),
    [
        ({"channel": "hotline_12345", "type": "enquiry"}, "h12345_enquiry", (2026, 10, 10)),
        ({"channel": "hotline_12345", "type": "praise"}, "h12345_suggestion", (2026, 10, 13)),
        ({"matter": "medical"}, "medical", (2026, 10, 13)),
        ({"matter": "medical", "multi_department": True}, "medical_multi", (2026, 10, 20)),
        ({"matter": "discipline_forwarded"}, "discipline_forwarded", (2026, 10, 13)),
        ({"matter": "efficiency"}, "efficiency", None),
        ({"matter": "leader_assigned"}, "leader_13710", (2026, 10, 15)),
        (
            {"matter": "leader_assigned", "complex_matter": True},
            "leader_13710_complex",
            (2026, 10, 30),
        ),
        ({"type": "report"}, "real_name_report", None),
        ({}, "default", (2026, 10, 15)),
    ],
)
def test_it_selects_the_policy_by_priority(org, over, code, resolve_by):
    c = registered(org, **over)
    assert c.sla_policy.code == code
    if resolve_by:
        assert c.resolve_by == at(*resolve_by, 23, 59, 59)


def test_an_anonymous_report_is_not_a_real_name_report(org):
    c = registered(org, type="report", complainant={"anonymous": True})
    assert c.anonymous and c.sla_policy.code == "default"


def test_leader_assigned_must_be_signed_the_same_day(org):
    c = registered(org, matter="leader_assigned")
    assert c.sign_by == at(2026, 9, 30, 23, 59, 59)
    # 3 working days: 8 Oct, 9 Oct, 10 Oct (a make-up working Saturday)
    assert c.feedback_by == at(2026, 10, 10, 23, 59, 59)


def test_policies_are_data(org):
    SlaPolicy.objects.filter(code="default").update(resolve_value=2)
    c = registered(org)
    assert c.resolve_by == at(2026, 10, 9, 23, 59, 59)


def test_compute_deadlines_units(org):
    policy = SlaPolicy(
        code="x", name="x", sign_value=24, sign_unit="working_hours", feedback_value=0,
        feedback_unit="natural_days", resolve_value=1, resolve_unit="months",
    )  # fmt: skip
    friday = at(2026, 11, 6, 17, 0)
    d = sla.compute_deadlines(policy, friday)
    assert d.sign_by == at(2026, 11, 9, 17, 0)  # Friday 17:00 + 24 h → Monday 17:00
    assert d.feedback_by == at(2026, 11, 6, 23, 59, 59)
    assert d.resolve_by == at(2026, 12, 6, 23, 59, 59)
    assert sla.compute_deadlines(None, friday).resolve_by is None


def test_a_year_without_calendar_data_is_flagged_uncertain_not_an_error(org):
    with frozen_now(at(2027, 3, 1, 9, 0)):
        c = register(org, received_at=at(2027, 3, 1, 9, 0))
    assert c.deadline_uncertain and c.resolve_by == at(2027, 3, 10, 23, 59, 59)


def test_the_traffic_light(org):
    sla.invalidate_rules()
    with frozen_now(at(2026, 11, 2, 9, 0)):  # Monday; default: due Wed 11 Nov
        c = register(org, received_at=at(2026, 11, 2, 9, 0))
    assert c.resolve_by == at(2026, 11, 11, 23, 59, 59)
    assert sla.light(c, at(2026, 11, 2, 10, 0)) == "none"  # registered: no clock yet
    c.status = "handling"
    assert sla.light(c, at(2026, 11, 3, 10, 0)) == "green"
    assert sla.light(c, at(2026, 11, 5, 10, 0)) == "green"  # 4 working days left, 31 % used
    assert sla.light(c, at(2026, 11, 6, 10, 0)) == "yellow"  # 9, 10, 11 Nov: 3 left
    assert sla.light(c, at(2026, 11, 12, 0, 0)) == "red"
    c.status = "closed"
    assert sla.light(c, at(2026, 11, 12, 0, 0)) == "none"


def test_the_light_thresholds_are_data(org):
    rules = ComplaintRules.current()
    rules.yellow_remaining_working_days = 0
    rules.yellow_elapsed_percent = 10
    rules.save()
    try:
        with frozen_now(at(2026, 11, 2, 9, 0)):
            c = register(org, received_at=at(2026, 11, 2, 9, 0))
        c.status = "handling"
        assert sla.light(c, at(2026, 11, 2, 10, 0)) == "green"
        assert sla.light(c, at(2026, 11, 3, 12, 0)) == "yellow"  # > 10 % elapsed
    finally:
        sla.invalidate_rules()
