"""Self-inspection staff pages: permission matrix (anonymous, no role, own unit, other unit,
office; out of scope = 404), the answer form, group-session form, the 五个一 matrix and the
ten-rule register, query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xiaoneng.core import clock
from xiaoneng.core.testing import PASSWORD
from xiaoneng.selfcheck import services
from xiaoneng.selfcheck.models import (
    ChecklistAssignment,
    ChecklistTemplate,
    InstitutionRule,
    LearningRecord,
    RecurringActivity,
    RuleType,
)

pytestmark = pytest.mark.django_db

PAGES = [
    "selfcheck:mine",
    "selfcheck:assignments",
    "selfcheck:commitments",
    "selfcheck:learning",
    "selfcheck:compliance",
    "selfcheck:activities",
    "selfcheck:register",
]


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def tasks(org, wucha, due):
    return {
        "a": services.assignment_create(
            actor=org.alice, template=wucha, unit=org.unit_a, due_on=due
        ),
        "b": services.assignment_create(
            actor=org.alice, template=wucha, unit=org.unit_b, due_on=due
        ),
    }


def test_anonymous_users_are_sent_to_the_login_page(client, org, tasks):
    urls = [reverse(n) for n in PAGES] + [reverse("selfcheck:assignment", args=[tasks["a"].pk])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "login" in response["Location"]


def test_every_page_opens_for_every_signed_in_user(client, org, tasks):
    for user in (org.nobody, org.bob, org.carol, org.alice, org.dave):
        login(client, user)
        for name in PAGES:
            assert client.get(reverse(name)).status_code == 200, (user, name)


def test_the_assignment_page_is_404_outside_the_scope(client, org, tasks):
    # (GET, POST of an empty answer form) per user and unit
    matrix = {
        "nobody": {"a": (404, 404), "b": (404, 404)},
        "bob": {"a": (200, 400), "b": (404, 404)},
        "carol": {"a": (404, 404), "b": (200, 400)},
        "alice": {"a": (200, 403), "b": (200, 403)},  # the office sees, units answer
    }
    for username, expected in matrix.items():
        login(client, getattr(org, username))
        for key, (get_status, post_status) in expected.items():
            url = reverse("selfcheck:assignment", args=[tasks[key].pk])
            assert client.get(url).status_code == get_status, (username, key)
            assert client.post(url, {"form": "answers"}).status_code == post_status, (username, key)


def test_lists_show_only_the_own_units_rows(client, org, tasks):
    login(client, org.bob)
    page = client.get(reverse("selfcheck:assignments")).context["page"]
    assert {a.unit for a in page.object_list} == {org.unit_a}
    login(client, org.alice)
    page = client.get(reverse("selfcheck:assignments")).context["page"]
    assert {a.unit for a in page.object_list} == {org.unit_a, org.unit_b}
    login(client, org.bob)
    assert [a.pk for a in client.get(reverse("selfcheck:mine")).context["rows"]] == [tasks["a"].pk]


def test_the_answer_form_records_answers_and_opens_issues(client, org, tasks, fake_ledger):
    login(client, org.bob)
    assignment = tasks["a"]
    items = list(assignment.template.items.order_by("number"))
    data = {
        "form": "answers",
        f"result-{items[0].pk}": "problem",
        f"result-{items[1].pk}": "problem",
    }
    url = reverse("selfcheck:assignment", args=[assignment.pk])
    response = client.post(url, data)
    assert response.status_code == 400  # descriptions missing
    assert "form-errors" in response.content.decode()
    data |= {f"description-{items[0].pk}": "态度生硬", f"description-{items[1].pk}": "推诿"}
    data |= {f"result-{i.pk}": "ok" for i in items[2:]}
    response = client.post(url, data)
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == ChecklistAssignment.Status.COMPLETED
    assert len(fake_ledger.calls) == 2
    page = client.get(url).content.decode()
    assert all(f"#{pk}" in page for pk in fake_ledger.ids)
    assert len(fake_ledger.ids) == 2


def test_the_office_assigns_from_the_list_page(client, org, wucha):
    login(client, org.alice)
    response = client.post(
        reverse("selfcheck:assignments"),
        {"template": wucha.pk, "units": [org.unit_a.pk, org.unit_b.pk], "due_on": "2026-12-31"},
    )
    assert response.status_code == 302
    assert ChecklistAssignment.objects.count() == 2
    login(client, org.dave)
    assert client.post(reverse("selfcheck:assignments"), {}).status_code == 403


def test_the_group_session_form_adds_hours_to_each_attendee(client, org):
    login(client, org.bob)
    people = [org.bob.person.pk, org.dave.person.pk, org.erin.person.pk]
    response = client.post(
        reverse("selfcheck:learning"),
        {
            "form": "group",
            "unit": org.unit_a.pk,
            "attendees": people,
            "date": "2026-03-10",
            "hours": "2",
            "kind": "group",
            "topic": "集中学习",
        },
    )
    assert response.status_code == 302
    assert LearningRecord.objects.filter(person_id__in=people, hours=2).count() == 3
    login(client, org.dave)
    assert client.post(reverse("selfcheck:learning"), {"form": "group"}).status_code == 403
    login(client, org.carol)
    response = client.post(
        reverse("selfcheck:learning"),
        {
            "form": "group",
            "unit": org.unit_a.pk,
            "attendees": people,
            "date": "2026-03-10",
            "hours": "2",
            "kind": "group",
            "topic": "x",
        },
    )
    assert response.status_code == 400


def test_the_compliance_page_flags_people_below_the_minimum(client, org):
    services.requirement_create(
        actor=org.alice,
        name="个人自学",
        measure="self_study",
        minimum=Decimal(40),
        starts_on=dt.date(2026, 2, 15),
        ends_on=dt.date(2026, 6, 30),
    )
    for day in (1, 2):
        services.learning_record_create(
            actor=org.dave,
            person=org.dave.person,
            date=dt.date(2026, 3, day),
            hours=Decimal(19),
            kind="self_study",
            topic="自学",
        )
    login(client, org.bob)
    rows = {r.person: r for r in client.get(reverse("selfcheck:compliance")).context["rows"]}
    assert rows[org.dave.person].compliant is False
    assert org.carol.person not in rows


def test_the_activity_matrix_flags_a_missing_month(client, org):
    film = RecurringActivity.objects.get(code="warning-education-film")
    film.active_from = dt.date(2026, 1, 1)
    film.save()
    login(client, org.bob)
    with clock.frozen_now(clock.parse_instant("2026-10-20T10:00")):
        response = client.post(
            reverse("selfcheck:activities"),
            {
                "activity": film.pk,
                "unit": org.unit_a.pk,
                "held_on": "2026-10-05",
                "participant_count": 30,
            },
        )
        assert response.status_code == 302
        context = client.get(reverse("selfcheck:activities")).context
    matrix = next(m for m in context["matrices"] if m["activity"] == film)
    cells = dict(matrix["rows"])[org.unit_a]
    assert matrix["columns"][-2:] == ["2026-09", "2026-10"]
    assert cells[-2].missing and not cells[-1].missing and cells[-1].count == 1
    assert any(m.unit == org.unit_a and m.period == "2026-09" for m in context["missing"])
    assert all(m.unit in {org.unit_a, org.unit_a_child} for m in context["missing"])


def test_the_register_matrix_shows_missing_rules_and_records_new_ones(client, org):
    login(client, org.bob)
    response = client.post(
        reverse("selfcheck:register"),
        {"unit": org.unit_a.pk, "rule_type": RuleType.FIRST_INQUIRY, "adopted_on": "2026-03-01"},
    )
    assert response.status_code == 302
    rows = {r.unit: r for r in client.get(reverse("selfcheck:register")).context["rows"]}
    assert set(rows) == {org.unit_a, org.unit_a_child}
    assert len(rows[org.unit_a].missing) == 9
    login(client, org.carol)
    response = client.post(
        reverse("selfcheck:register"),
        {"unit": org.unit_a.pk, "rule_type": RuleType.TIME_LIMIT, "adopted_on": "2026-03-01"},
    )
    assert response.status_code == 400
    assert InstitutionRule.objects.count() == 1
    login(client, org.alice)
    assert client.post(reverse("selfcheck:register"), {}).status_code == 403


def test_commitments_are_recorded_and_reviewed_from_the_page(client, org):
    login(client, org.dave)
    response = client.post(
        reverse("selfcheck:commitments"),
        {
            "person": org.dave.person.pk,
            "content": "热情服务",
            "committed_on": "2026-05-01",
            "audience": "leader",
        },
    )
    assert response.status_code == 302
    login(client, org.bob)
    rows = client.get(reverse("selfcheck:commitments")).context["page"].object_list
    assert [c.may_review for c in rows] == [True]
    url = reverse("selfcheck:commitment_review", args=[rows[0].pk])
    login(client, org.carol)
    assert client.post(url, {"fulfilment": "fulfilled"}).status_code == 404
    login(client, org.bob)
    assert client.post(url, {"fulfilment": "fulfilled"}).status_code == 302
    rows[0].refresh_from_db()
    assert rows[0].fulfilment == "fulfilled"


def test_the_assignment_list_needs_a_fixed_number_of_queries(client, org, wucha, due):
    login(client, org.alice)
    url = reverse("selfcheck:assignments")
    services.assignment_create(actor=org.alice, template=wucha, unit=org.unit_a, due_on=due)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    teacher = ChecklistTemplate.objects.get(code="jiaoshi-sifangmian")
    for person in (org.dave.person, org.erin.person, org.bob.person, org.carol.person):
        services.assignment_create(actor=org.alice, template=teacher, person=person, due_on=due)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
