"""The permission matrix over every named URL pattern of selfcheck (``core.testing_matrix``).

Users: anonymous, alice (office, all units), bob (unit A admin), carol (unit B admin).
Objects named in URLs live in unit A, so carol must get 404 wherever bob gets in.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from xiaoneng.core import testing_matrix as m
from xiaoneng.selfcheck import services as selfcheck_services
from xiaoneng.selfcheck.models import ChecklistTemplate, RecurringActivity, RuleType

pytestmark = pytest.mark.django_db

OFFICE, UNIT_A, UNIT_B, ANONYMOUS = m.OFFICE, m.UNIT_A, m.UNIT_B, m.ANONYMOUS
pk = m.pk


# --- objects of unit A the rows point at ---------------------------------------------------------
def due() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=10)


def assignment_a(w: m.World):
    return w.once(
        "assignment_a",
        lambda: selfcheck_services.assignment_create(
            actor=w.org.alice,
            template=ChecklistTemplate.objects.get(code="wucha-wukan"),
            unit=w.org.unit_a,
            due_on=due(),
        ),
    )


def commitment_a(w: m.World):
    return w.once(
        "commitment_a",
        lambda: selfcheck_services.commitment_create(
            actor=w.org.bob,
            unit=w.org.unit_a,
            content="承诺",
            committed_on=dt.date(2026, 5, 1),
            audience="website",
        ),
    )


def learning_record_a(w: m.World):
    return w.once(
        "learning_record_a",
        lambda: selfcheck_services.learning_record_create(
            actor=w.org.bob,
            person=w.org.bob.person,
            date=dt.date(2026, 3, 1),
            hours=Decimal(2),
            kind="self_study",
            topic="自学",
        ),
    )


def activity_record_a(w: m.World):
    return w.once(
        "activity_record_a",
        lambda: selfcheck_services.activity_record_create(
            actor=w.org.bob,
            activity=RecurringActivity.objects.get(code="warning-education-film"),
            unit=w.org.unit_a,
            held_on=dt.date(2026, 3, 1),
        ),
    )


def rule_a(w: m.World):
    return w.once(
        "rule_a",
        lambda: selfcheck_services.rule_create(
            actor=w.org.bob,
            unit=w.org.unit_a,
            rule_type=RuleType.TIME_LIMIT,
            adopted_on=dt.date(2026, 3, 1),
        ),
    )


def requirement(w: m.World):
    return w.once(
        "requirement",
        lambda: selfcheck_services.requirement_create(
            actor=w.org.alice,
            name="个人自学",
            measure="self_study",
            minimum=Decimal(40),
            starts_on=dt.date(2026, 2, 15),
            ends_on=dt.date(2026, 6, 30),
        ),
    )


# --- selfcheck -----------------------------------------------------------------------------------
def template_pk(w):
    return {"pk": ChecklistTemplate.objects.get(code="wucha-wukan").pk}


def requirement_pk(w):
    return {"pk": requirement(w).pk}


def activity_pk(w):
    return {"pk": RecurringActivity.objects.get(code="warning-education-film").pk}


SELFCHECK = [
    m.Row("selfcheck:mine", m.everyone()),
    m.Row("selfcheck:assignments", m.everyone()),
    m.Row("selfcheck:assignment", m.scoped(), kwargs=pk(assignment_a)),
    m.Row("selfcheck:commitments", m.everyone()),
    m.Row(
        "selfcheck:commitment_review",
        m.scoped(302),
        kwargs=pk(commitment_a),
        method="post",
        data={"result": "fulfilled"},
    ),
    m.Row(
        "selfcheck:rule_review",
        m.scoped(302),
        kwargs=pk(rule_a),
        method="post",
    ),
    m.Row("selfcheck:learning", m.everyone()),
    m.Row("selfcheck:compliance", m.everyone()),
    m.Row("selfcheck:activities", m.everyone()),
    m.Row("selfcheck:register", m.everyone()),
    # API: reference data (everyone reads, the office writes)
    m.Row("api-checklist-template-list", m.everyone()),
    m.Row("api-checklist-template-detail", m.everyone(), kwargs=template_pk),
    m.Row("api-learning-requirement-list", m.everyone()),
    m.Row("api-learning-requirement-detail", m.everyone(), kwargs=requirement_pk),
    m.Row("api-recurring-activity-list", m.everyone()),
    m.Row("api-recurring-activity-detail", m.everyone(), kwargs=activity_pk),
    m.Row("api-recurring-activity-missing", m.everyone()),
    # API: unit-scoped records
    m.Row("api-checklist-assignment-list", m.everyone()),
    m.Row("api-checklist-assignment-detail", m.scoped(), kwargs=pk(assignment_a)),
    m.Row(
        "api-checklist-assignment-answer",
        m.scoped(400),  # found; the empty answer is invalid
        kwargs=pk(assignment_a),
        method="post",
    ),
    m.Row(
        "api-checklist-assignment-material",
        m.scoped(400, **{OFFICE: 403}),  # units hand in material, the office does not
        kwargs=pk(assignment_a),
        method="post",
    ),
    m.Row("api-checklist-assignment-completion", m.everyone()),
    m.Row("api-commitment-list", m.everyone()),
    m.Row("api-commitment-detail", m.scoped(), kwargs=pk(commitment_a)),
    m.Row(
        "api-commitment-review",
        m.scoped(m.FOUND),  # found (the review then checks the commitment's dates)
        kwargs=pk(commitment_a),
        method="post",
        data={"result": "fulfilled"},
    ),
    m.Row("api-learning-record-list", m.everyone()),
    m.Row("api-learning-record-detail", m.scoped(), kwargs=pk(learning_record_a)),
    m.Row("api-learning-record-compliance", m.everyone()),
    m.Row("api-learning-record-group-session", m.everyone(400), method="post"),  # empty body
    m.Row("api-activity-record-list", m.everyone()),
    m.Row("api-activity-record-detail", m.scoped(), kwargs=pk(activity_record_a)),
    m.Row("api-institution-rule-list", m.everyone()),
    m.Row("api-institution-rule-detail", m.scoped(), kwargs=pk(rule_a)),
    m.Row("api-institution-rule-register", m.everyone()),
    m.Row(
        "api-institution-rule-review",
        m.scoped(m.FOUND),  # found (the review body is then validated)
        kwargs=pk(rule_a),
        method="post",
    ),
]


@m.parametrize(SELFCHECK)
def test_the_matrix(row, org):
    m.check(row, m.World(org))


def test_every_named_url_pattern_has_a_row(db):
    m.assert_complete("selfcheck", SELFCHECK)
