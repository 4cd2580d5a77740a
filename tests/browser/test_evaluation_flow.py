"""Evaluations in a real browser: a patient answers a satisfaction survey on a phone through a
QR-code link (once: the link then says it was used); the office closes a democratic-evaluation
round and confirms the proposed consequences (the bottom one opens a ledger issue); the unit
then sees its ranking."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from xiaoneng.evaluations.models import Consequence, Response
from xiaoneng.evaluations.services import rounds as round_services
from xiaoneng.evaluations.services import surveys as survey_services

pytestmark = pytest.mark.browser
GROUPS = [("服务对象", 40), ("行风监督员", 30), ("同级互评", 30)]


def test_a_patient_answers_on_a_phone_through_a_qr_link(phone_page, live_server, org):
    now = timezone.now()
    survey = survey_services.survey_create(
        actor=org.alice, title="门诊患者满意度调查", units=[org.unit_a],
        opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=10),
        questions=[{"kind": "scale", "text": "候诊时间"}],
    )  # fmt: skip
    survey_services.survey_open(actor=org.alice, survey=survey)
    link = survey_services.batch_create(
        actor=org.alice, survey=survey, unit=org.unit_a, department=org.dept_a1, size=1
    ).tokens.get()
    url = live_server.url + reverse("evaluations_public:answer", args=[link.token])
    page = phone_page
    page.goto(url)
    expect(page.get_by_test_id("survey-title")).to_have_text("门诊患者满意度调查")
    # Submitting empty names what is missing, keeping the page usable on a phone.
    page.get_by_test_id("submit-answer").click()
    expect(page.get_by_test_id("question-error").first).to_be_visible()
    page.locator("label[for$=_basically_satisfied]").click()
    page.locator("label[for$=_4]").click()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    with page.expect_navigation():
        page.get_by_test_id("submit-answer").click()
    expect(page.get_by_test_id("public-message")).to_contain_text("匿名")
    answer = Response.objects.get()
    assert (answer.unit, answer.department, answer.satisfaction) == (
        org.unit_a,
        org.dept_a1,
        "basically_satisfied",
    )
    page.goto(url)  # the same QR code again
    expect(page.get_by_test_id("public-message")).to_contain_text("已使用")
    assert Response.objects.count() == 1


def voted_round(org):
    made = round_services.round_create(
        actor=org.alice, title="2026年度政风行风民主评议", series="政风行风", subject_kind="unit",
        period_label="2026年度", starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 11, 30),
        groups=GROUPS, units=[org.bureau, org.unit_b, org.unit_a_child, org.unit_a],
    )  # fmt: skip
    round_services.round_open(actor=org.alice, round=made)
    ratings = {
        org.bureau: "satisfied",
        org.unit_b: "satisfied",
        org.unit_a_child: "basically_satisfied",
        org.unit_a: "unsatisfied",
    }
    subjects = {s.unit: s for s in made.subjects.all()}
    for group in made.groups.all():
        for link in round_services.tokens_create(actor=org.alice, round=made, group=group, count=2):
            marks = {subjects[u].pk: r for u, r in ratings.items()}
            round_services.ballot_submit(token=link.token, marks=marks)
    return made


def test_the_office_closes_and_confirms_and_the_unit_sees_its_ranking(
    page, live_server, org, login
):
    made = voted_round(org)
    round_url = live_server.url + reverse("evaluations:round", args=[made.pk])
    login(page, live_server, "alice")
    page.goto(round_url)
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_test_id("close-round").click()
    expect(page.get_by_test_id("round-status")).to_have_text("已办结")
    rows = page.get_by_test_id("consequence")
    expect(rows.first).to_be_visible()
    proposed = rows.count()
    assert proposed >= 3  # praise for the top three, talk + rectification for unit A
    for _ in range(proposed):
        with page.expect_navigation():
            page.locator(
                "[data-testid=consequence][data-status=proposed] [data-testid=confirm]"
            ).first.click()
    expect(page.locator("[data-testid=consequence][data-status=proposed]")).to_have_count(0)
    rectification = page.locator("[data-testid=consequence][data-measure=rectification]")
    expect(rectification).to_contain_text("WT")  # the ledger issue's number
    c = Consequence.objects.get(round=made, measure="rectification")
    assert c.status == "confirmed" and c.issue is not None and c.deadline is not None

    with page.expect_navigation():
        page.get_by_test_id("logout").click()
    login(page, live_server, "bob")
    page.goto(round_url)
    own = page.locator(f"[data-testid=subject][data-unit='{org.unit_a.pk}']")
    expect(own.get_by_test_id("rank")).to_have_text("4")
    expect(page.locator(f"[data-testid=subject][data-unit='{org.unit_b.pk}']")).to_have_count(0)
    expect(page.locator("[data-testid=consequence][data-measure=admonishing_talk]")).to_be_visible()
