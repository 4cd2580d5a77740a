"""Accountability in a real browser: a spot check finds false rectification; the office opens
the case it produced, records findings and measures for two people (一案双查) and proposes the
handling; the leader approves; the office serves the decision; the person concerned reads it;
the year's assessment shows the unit's score with its explanation."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from xiaoneng.accountability.models import Case
from xiaoneng.rectification import spotchecks
from xiaoneng.rectification.tests.helpers import closed_item

pytestmark = pytest.mark.browser


def log_out(page) -> None:
    with page.expect_navigation():
        page.get_by_test_id("logout").click()


def click(page, testid: str) -> None:
    with page.expect_navigation():
        page.get_by_test_id(testid).click()


def test_a_case_from_a_failed_spot_check_to_the_decision_served(page, live_server, org, login):
    item = closed_item(org)
    item.responsible_department = org.dept_a1
    item.responsible_person = org.dave.person
    item.save(update_fields=["responsible_department", "responsible_person"])
    check = spotchecks.spot_check_draw(actor=org.alice, count=1, unit=org.unit_a, seed=3)

    # The office records the spot-check result: false rectification.
    login(page, live_server, "alice")
    page.goto(f"/rectification/spot-checks/{check.pk}/")
    form = page.get_by_test_id("result-form")
    form.locator("select").select_option("false")
    form.locator("input[type=text], textarea").first.fill("整改照片系补拍")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()

    # … which opened a case: the office finds it in the list and opens it.
    page.goto("/accountability/")
    case = Case.objects.get(item=item)
    row = page.get_by_test_id("case-list").locator("tr", has_text=case.number)
    expect(row).to_contain_text("抽查未通过")
    with page.expect_navigation():
        row.get_by_role("link", name=case.number).click()
    subjects = page.get_by_test_id("subjects")
    expect(subjects).to_contain_text(org.dave.person.name)
    expect(subjects).to_contain_text("直接责任人")
    expect(subjects).to_contain_text(org.erin.person.name)

    for action in ("review", "file", "investigate"):
        click(page, f"action-{action}")
    # Findings and measures for two people; the other leaders are removed… not needed: they
    # keep a finding and no measure.
    direct = case.subjects.get(person=org.dave.person)
    head = case.subjects.get(person=org.erin.person)
    for subject, finding, measure in (
        (direct, "以补拍照片应付销号", "通报批评"),
        (head, "对整改落实督促检查不力", "提醒谈话"),
    ):
        form = page.get_by_test_id(f"subject-form-{subject.pk}")
        form.locator("textarea").fill(finding)
        form.locator("select").select_option(label=measure)
        with page.expect_navigation():
            form.get_by_role("button").click()
    for other in case.subjects.exclude(pk__in=[direct.pk, head.pk]):
        form = page.get_by_test_id(f"subject-form-{other.pk}")
        form.locator("textarea").fill("已尽督促职责")
        with page.expect_navigation():
            form.get_by_role("button").click()
    page.locator("textarea[name=note]").fill("对直接责任人通报批评，对科室负责人提醒谈话。")
    click(page, "action-propose")
    expect(page.get_by_test_id("case-status")).to_have_text("拟处理意见")
    log_out(page)

    # The leader approves (his work home counts the proposal).
    login(page, live_server, "leader")
    page.goto(f"/accountability/cases/{case.pk}/")
    page.locator("textarea[name=note]").fill("同意。")
    click(page, "action-approve")
    expect(page.get_by_test_id("case-status")).to_have_text("已审批")
    expect(page.get_by_test_id("case-decision")).to_contain_text("同意")
    log_out(page)

    # The office serves the decision; the person concerned reads it, and only it.
    login(page, live_server, "alice")
    page.goto(f"/accountability/cases/{case.pk}/")
    click(page, "action-serve")
    expect(page.get_by_test_id("case-status")).to_have_text("决定送达")
    log_out(page)
    login(page, live_server, "dave")
    page.goto("/accountability/mine/")
    expect(page.get_by_test_id("decision")).to_contain_text("通报批评")
    response = page.goto(f"/accountability/cases/{case.pk}/")
    assert response.status == 404
    page.goto("/accountability/mine/")
    log_out(page)

    # The year's assessment shows the unit's score with its explanation.
    login(page, live_server, "alice")
    page.goto("/accountability/assessment/")
    page.get_by_test_id("scheme-form").locator("input[name=year]").fill(
        str(timezone.localtime().year)
    )
    with page.expect_navigation():
        page.get_by_test_id("scheme-form").locator("button[type=submit]").click()
    click(page, "compute")
    row = page.get_by_test_id(f"row-{org.unit_a.pk}")
    expect(row).to_contain_text(org.unit_a.name)
    with page.expect_navigation():
        row.get_by_role("link", name=org.unit_a.name).click()
    lines = page.get_by_test_id("lines")
    expect(lines).to_contain_text("整改台账清零率")
    expect(lines).to_contain_text("立案 1 件")
    expect(page.get_by_test_id("score")).not_to_have_text("")
