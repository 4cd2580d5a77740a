"""Satisfaction surveys: one-time links, anonymity, the close date, and the rates computed
exactly on a fixed fixture (满意率 = (满意 + 基本满意) / 有效答卷; 参评率 = answered / issued)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from xiaoneng.complaints.models import Complaint, ComplaintEvent
from xiaoneng.complaints.tests.test_lifecycle import register
from xiaoneng.core.clock import frozen_now
from xiaoneng.core.errors import Conflict, Forbidden, ValidationFailed
from xiaoneng.core.models import AuditRecord
from xiaoneng.evaluations import rates
from xiaoneng.evaluations.models import Answer, Response, SurveyToken
from xiaoneng.evaluations.services import surveys as services

from .conftest import DURING, answer_with, answers, at, batch

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def test_it_answers_once_per_link_and_says_so_the_second_time(org, survey):
    link = batch(org, survey, org.unit_a, 1).tokens.get()
    with frozen_now(DURING):
        services.response_submit(token=link.token, answers=answers(survey))
        with pytest.raises(Conflict) as exc:
            services.response_submit(token=link.token, answers=answers(survey, "unsatisfied"))
    assert "已使用" in exc.value.detail
    assert Response.objects.count() == 1
    assert Response.objects.get().satisfaction == "satisfied"


def test_it_stores_no_identity_with_an_answer(org, survey):
    link = batch(org, survey, org.unit_a, 1, department=org.dept_a1).tokens.get()
    before = AuditRecord.objects.count()
    with frozen_now(DURING):
        response = services.response_submit(token=link.token, answers=answers(survey))
    columns = {f.name for f in Response._meta.get_fields()} | {
        f.name for f in Answer._meta.get_fields()
    }
    assert not columns & {"token", "ip", "user", "person", "phone", "created_by", "session"}
    assert (response.unit, response.department) == (org.unit_a, org.dept_a1)
    assert AuditRecord.objects.count() == before  # no record carrying the request's IP
    token_fields = {f.name for f in SurveyToken._meta.get_fields()}
    assert "response" not in token_fields


def test_it_refuses_answers_after_the_close_date_with_a_clear_message(org, survey):
    link = batch(org, survey, org.unit_a, 1).tokens.get()
    with frozen_now(at(2026, 11, 30, 18, 1)), pytest.raises(Conflict) as exc:
        services.response_submit(token=link.token, answers=answers(survey))
    assert "已于2026-11-30 18:00截止" in exc.value.detail
    assert SurveyToken.objects.get(pk=link.pk).used_at is None


def test_it_validates_the_whole_sheet_before_spending_the_link(org, survey):
    link = batch(org, survey, org.unit_a, 1).tokens.get()
    bad = answers(survey, "maybe")
    with frozen_now(DURING), pytest.raises(ValidationFailed) as exc:
        services.response_submit(token=link.token, answers=bad)
    assert any(key.startswith("q") for key in exc.value.errors)
    assert SurveyToken.objects.get(pk=link.pk).used_at is None


def test_an_open_link_answers_many_times(org, survey):
    link = batch(org, survey, org.unit_a, 1, channel="open").tokens.get()
    with frozen_now(DURING):
        for _ in range(3):
            services.response_submit(token=link.token, answers=answers(survey))
    assert Response.objects.filter(channel="open").count() == 3


def test_a_unit_issues_links_only_for_itself(org, survey):
    services.batch_create(actor=org.bob, survey=survey, unit=org.unit_a, size=2)
    with pytest.raises(Forbidden):
        services.batch_create(actor=org.bob, survey=survey, unit=org.unit_b, size=2)


def fixture_rates(org, survey):
    """A: 10 links, 4 answered (2 满意, 1 基本满意, 1 不满意) + 1 open-link 基本满意;
    A/急诊科: 5 links, 2 answered (不满意, 不满意); B: 3 links, 3 answered (1 满意, 2 不满意)."""
    a = batch(org, survey, org.unit_a, 10)
    answer_with(survey, a, ["satisfied", "satisfied", "basically_satisfied", "unsatisfied"])
    a_open = batch(org, survey, org.unit_a, 1, channel="open")
    answer_with(survey, a_open, ["basically_satisfied"], when=at(2026, 11, 20, 9))
    a1 = batch(org, survey, org.unit_a, 5, department=org.dept_a1)
    answer_with(survey, a1, ["unsatisfied", "unsatisfied"], when=at(2026, 11, 21, 9))
    b = batch(org, survey, org.unit_b, 3)
    answer_with(survey, b, ["satisfied", "unsatisfied", "unsatisfied"])


def test_rates_by_unit_are_exact(org, survey):
    fixture_rates(org, survey)
    rows = {r.key: r for r in rates.survey_rates(survey, by="unit")}
    a, b = rows[org.unit_a.pk], rows[org.unit_b.pk]
    assert (a.issued, a.used, a.responses, a.valid) == (15, 6, 7, 7)
    assert (a.satisfied, a.basically_satisfied, a.unsatisfied) == (2, 2, 3)
    assert a.response_rate == Decimal("40.00")  # 6 / 15
    assert a.satisfaction_rate == Decimal("57.14")  # 4 / 7
    assert (b.issued, b.used, b.valid) == (3, 3, 3)
    assert b.response_rate == Decimal("100.00")
    assert b.satisfaction_rate == Decimal("33.33")  # 1 / 3
    total = rates.survey_totals(survey)
    assert (total.valid, total.satisfaction_rate) == (10, Decimal("50.00"))


def test_rates_by_department_and_month_are_exact(org, survey):
    fixture_rates(org, survey)
    by_dept = {r.key: r for r in rates.survey_rates(survey, by="department")}
    assert by_dept[org.dept_a1.pk].satisfaction_rate == Decimal("0.00")
    assert by_dept[org.dept_a1.pk].response_rate == Decimal("40.00")  # 2 / 5
    assert by_dept[None].valid == 8
    months = rates.survey_rates(survey, by="month")
    assert [(m.key, m.valid) for m in months] == [("2026-11", 10)]
    # Limited to unit B (what carol sees):
    only_b = rates.survey_rates(survey, by="unit", unit_ids=[org.unit_b.pk])
    assert [r.key for r in only_b] == [org.unit_b.pk]


def test_period_filter_counts_only_the_answers_inside(org, survey):
    fixture_rates(org, survey)
    rows = {r.key: r for r in rates.survey_rates(survey, start=at(2026, 11, 15).date())}
    assert rows[org.unit_a.pk].valid == 3  # the open link (20th) and A/急诊科 (21st)


def test_return_visit_ratings_are_a_separate_series_per_unit(org):
    complaint = register(org)
    Complaint.objects.filter(pk=complaint.pk).update(unit=org.unit_a)
    for rating in ("satisfied", "unsatisfied", "basically_satisfied"):
        ComplaintEvent.objects.create(
            complaint=complaint, at=DURING, action="return_visit", data={"satisfaction": rating}
        )
    rows = rates.return_visit_rates(unit_ids=[org.unit_a.pk, org.unit_b.pk])
    assert [(r.key, r.valid, r.satisfaction_rate) for r in rows] == [
        (org.unit_a.pk, 3, Decimal("66.67"))
    ]


def test_publication_needs_an_opened_survey_and_shows_on_the_public_page(org, survey, client):
    fixture_rates(org, survey)
    services.survey_publish(actor=org.alice, survey=survey)
    page = client.get("/public/evaluation/")
    text = page.content.decode()
    assert page.status_code == 200 and "57.14%" in text and "33.33%" in text


def test_surveys_past_their_close_date_are_closed_by_the_sweep(org, survey):
    assert services.close_due(now=at(2026, 11, 30, 17)) == 0
    assert services.close_due(now=at(2026, 11, 30, 19)) == 1
    survey.refresh_from_db()
    assert survey.status == "closed"
    assert services.close_due(now=at(2026, 12, 1, 19)) == 0
