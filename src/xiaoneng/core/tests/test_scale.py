"""The scale-data generator: consistent with the models' rules, deterministic for a seed."""

from datetime import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from xiaoneng.complaints import sla
from xiaoneng.complaints.escalation import candidate_ids, sweep
from xiaoneng.complaints.models import (
    ComplainantIdentity,
    Complaint,
    ComplaintEvent,
    ComplaintSequence,
    EscalationRule,
    EscalationStep,
)
from xiaoneng.complaints.scale import PATHS
from xiaoneng.complaints.vocab import CLOCK_STATUSES, Status
from xiaoneng.core import clock, crypto
from xiaoneng.core.models import Department, Person, Unit, User
from xiaoneng.core.scale import Counts, generate

NOW = timezone.make_aware(datetime(2026, 11, 20, 10, 0))
pytestmark = pytest.mark.django_db


def small(seed=3, prefix=None):
    return generate(
        Counts(units=12, staff=150, complaints=600, items=0),
        seed=seed,
        now=NOW,
        prefix=prefix,
        progress=lambda line: None,
    )


def test_it_builds_a_unit_tree_with_materialised_paths():
    small()
    units = {u.pk: u for u in Unit.objects.all()}
    assert len(units) == 12
    roots = [u for u in units.values() if u.parent_id is None]
    assert len(roots) == 1
    for unit in units.values():
        parent = units.get(unit.parent_id)
        expected = f"{parent.path if parent else '/'}{unit.pk}/"
        assert unit.path == expected
        assert unit.depth == (parent.depth + 1 if parent else 0)
        assert unit.principal.unit_id == unit.pk
    assert Person.objects.count() == 150
    for dept in Department.objects.select_related("head", "leader_in_charge"):
        assert dept.head is None or dept.head.unit_id == dept.unit_id
        assert dept.leader_in_charge is None or dept.leader_in_charge.unit_id == dept.unit_id
    # members belong to departments of their own unit
    assert not Person.departments.through.objects.exclude(
        department__unit_id=F("person__unit_id")
    ).exists()


def test_complaints_are_in_every_state_with_consistent_numbers_and_timelines():
    small()
    assert Complaint.objects.count() == 600
    states = set(Complaint.objects.values_list("status", flat=True))
    # every state of the lifecycle (merged duplicates are made by the duplicate engine)
    assert states >= set(PATHS) and set(PATHS) >= {s.value for s in Status} - {"merged"}
    # numbers gap-free per year and the counter continues after them
    for seq in ComplaintSequence.objects.all():
        numbers = sorted(
            Complaint.objects.filter(number__startswith=f"TS{seq.year}").values_list(
                "number", flat=True
            )
        )
        assert numbers == [f"TS{seq.year}{n:06d}" for n in range(1, seq.last + 1)]
    assert Complaint.objects.values("tracking_code").distinct().count() == 600
    # every case's timeline starts with the registration and ends in its state
    for complaint in Complaint.objects.all()[:200]:
        events = list(complaint.events.exclude(from_status=F("to_status")).order_by("at", "id"))
        assert events[0].action == "register"
        assert events[-1].to_status == complaint.status
        assert all(e.at <= NOW for e in events)
    # dispatched and later cases have a responsible unit; handlers work there
    assert not Complaint.objects.filter(
        status__in=[Status.DISPATCHED, Status.SIGNED, Status.HANDLING], unit__isnull=True
    ).exists()
    assert (
        not Complaint.objects.filter(handler__isnull=False)
        .exclude(handler__unit=F("unit"))
        .exists()
    )
    assert (
        not Complaint.objects.filter(department__isnull=False)
        .exclude(department__unit=F("unit"))
        .exists()
    )


def test_deadlines_follow_the_policy_and_the_calendar():
    small()
    for complaint in Complaint.objects.select_related("category", "sla_policy")[:300]:
        policy = sla.select_policy(complaint)
        assert complaint.sla_policy_id == (policy.pk if policy else None)
        due = sla.compute_deadlines(policy, complaint.received_at)
        assert (complaint.sign_by, complaint.feedback_by, complaint.resolve_by) == (
            due.sign_by,
            due.feedback_by,
            due.resolve_by,
        )


def test_identities_are_encrypted_and_anonymous_cases_have_none():
    small()
    assert not ComplainantIdentity.objects.filter(complaint__anonymous=True).exists()
    named = Complaint.objects.filter(anonymous=False).count()
    assert ComplainantIdentity.objects.count() == named > 0
    identity = ComplainantIdentity.objects.first()
    phone = crypto.decrypt(identity.phone_enc)
    assert phone.startswith("13") and identity.phone_last4 == phone[-4:]
    assert identity.phone_index == crypto.blind_index(phone)


def test_the_escalation_steps_are_those_the_sweep_would_have_made():
    """As of the generator's `now` the SLA sweep finds nothing left to do."""
    small()
    assert EscalationStep.objects.exists()
    before = EscalationStep.objects.count()
    with clock.frozen_now(NOW):
        result = sweep(NOW)
    assert sum(result.steps.values()) == 0, result.summary()
    assert result.overdue_marked == 0
    assert EscalationStep.objects.count() == before
    rules = list(EscalationRule.objects.filter(is_active=True))
    running = Complaint.objects.filter(status__in=CLOCK_STATUSES)
    assert running.filter(overdue_since__isnull=False).exists()
    assert set(candidate_ids(NOW, rules)) <= set(
        running.filter(Q(status=Status.DISPATCHED) | Q(overdue_since__isnull=False)).values_list(
            "pk", flat=True
        )
    )


def test_it_is_deterministic_for_a_seed():
    small(seed=5, prefix="A")
    first = list(
        Complaint.objects.order_by("pk").values_list(
            "status", "received_at", "subject_unit__code", "resolve_by", "title"
        )
    )
    events = ComplaintEvent.objects.count()
    Complaint.objects.all().delete()
    small(seed=5, prefix="B")
    second = list(
        Complaint.objects.order_by("pk").values_list(
            "status", "received_at", "subject_unit__code", "resolve_by", "title"
        )
    )
    assert [r[:2] + (r[2][1:],) + r[3:] for r in first] == [
        r[:2] + (r[2][1:],) + r[3:] for r in second
    ]
    assert ComplaintEvent.objects.count() == events


def test_users_can_log_in_with_the_generated_password(client):
    summary = small()
    office = User.objects.get(username=summary["users"]["office"])
    assert office.has_permission("complaint.dispatch")
    assert client.login(username=office.username, password=summary["users"]["password"])
    admins = User.objects.filter(roles__code="unit_admin").annotate(n=Count("pk"))
    assert admins.count() >= 10


def test_the_command_prints_a_summary():
    out = StringIO()
    call_command(
        "gen_scale",
        "--units=6",
        "--staff=40",
        "--complaints=50",
        "--items=0",
        "--seed=2",
        "--now=2026-11-20T10:00:00",
        stdout=out,
    )
    assert '"complaints_complaint": 50' in out.getvalue()


def test_rectification_items_are_in_every_state_and_can_be_added_later():
    from xiaoneng.rectification.models import Issue, RectificationItem

    small()
    generate(
        Counts(units=0, staff=0, complaints=0, items=300),
        seed=3,
        now=NOW,
        prefix="GS3",
        items_only=True,
        progress=lambda line: None,
    )
    assert RectificationItem.objects.count() == 300
    assert Issue.objects.count() == 150
    states = set(RectificationItem.objects.values_list("status", flat=True))
    assert states == {"pending", "in_progress", "close_requested", "closed", "reopened"}
    assert not RectificationItem.objects.filter(yellow_at__gt=F("deadline")).exists()
    assert not RectificationItem.objects.exclude(
        responsible_department__unit=F("responsible_unit")
    ).exists()
    assert RectificationItem.objects.values("number").distinct().count() == 300
    assert not RectificationItem.objects.filter(status="closed", closed_at__isnull=True).exists()
