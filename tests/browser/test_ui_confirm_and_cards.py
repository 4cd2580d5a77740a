"""The staff interface in a real browser: actions that notify other people ask first (signing
for a case, sending it back), staff tables become cards on a phone, the unit select can be
searched, and a refused page is the styled error page with a way back."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from xiaoneng.complaints import services
from xiaoneng.complaints.models import Category, Complaint
from xiaoneng.complaints.vocab import Status

pytestmark = pytest.mark.browser


def dispatched_case(org) -> Complaint:
    category = Category.objects.create(code="attitude-ui", name="服务态度差")
    complaint = services.complaint_register(
        actor=org.alice,
        channel="hotline_12345",
        type="complaint",
        category=category,
        subject_unit=org.unit_a,
        title="挂号窗口态度差",
        content="窗口工作人员态度生硬。",
        complainant={"name": "张三", "phone": "13800138000", "anonymous": False},
    )
    services.complaint_dispatch(complaint=complaint, actor=org.alice, unit=org.unit_a)
    complaint.refresh_from_db()
    assert complaint.status == Status.DISPATCHED
    return complaint


def status_of(complaint) -> str:
    complaint.refresh_from_db()
    return complaint.status


def test_signing_for_a_case_asks_first_and_does_nothing_when_cancelled(
    page, live_server, org, login
):
    complaint = dispatched_case(org)
    login(page, live_server, "bob")
    page.goto(reverse("complaints:detail", args=[complaint.pk]))
    button = page.get_by_test_id("do-sign")
    assert "效能办" in (button.get_attribute("data-confirm") or "")

    asked: list[str] = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    button.click()
    page.wait_for_timeout(300)  # a submitted form would navigate; a cancelled one stays
    assert asked and "签收" in asked[0]
    assert page.url.endswith(reverse("complaints:detail", args=[complaint.pk]))
    assert status_of(complaint) == Status.DISPATCHED

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        button.click()
    assert status_of(complaint) == Status.SIGNED


def test_sending_a_case_back_asks_before_the_office_is_notified(page, live_server, org, login):
    complaint = dispatched_case(org)
    login(page, live_server, "bob")
    page.goto(reverse("complaints:detail", args=[complaint.pk]))
    page.locator("button[data-bs-toggle=collapse][data-action=send-back]").click()
    form = page.get_by_test_id("form-send-back")
    expect(form).to_be_visible()
    form.locator("textarea, input[type=text]").first.fill("不属于本单位职责范围。")
    page.once("dialog", lambda dialog: dialog.dismiss())
    form.get_by_test_id("do-send-back").click()
    page.wait_for_timeout(300)
    assert status_of(complaint) == Status.DISPATCHED

    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    with page.expect_navigation():
        form.get_by_test_id("do-send-back").click()
    assert "退回" in asked[0]
    assert status_of(complaint) != Status.DISPATCHED


def test_staff_tables_are_cards_on_a_phone(phone_page, live_server, org, login):
    dispatched_case(org)
    page = phone_page
    login(page, live_server, "alice")
    for url in (reverse("complaints:queue"), reverse("org:people"), reverse("org:units")):
        page.goto(url)
        table = page.locator("table.table-cards").first
        expect(table).to_be_visible()
        expect(table.locator("thead")).to_be_hidden()
        cell = table.locator("tbody tr").first.locator("td[data-label]").first
        label = cell.get_attribute("data-label")
        assert label
        before = cell.evaluate("td => getComputedStyle(td, '::before').content")
        assert before == f'"{label}"'
        assert table.evaluate("t => getComputedStyle(t).display") == "block"
        # nothing wider than the phone: no sideways scrolling
        assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_table_stays_a_table_on_a_desktop(page, live_server, org, login):
    dispatched_case(org)
    login(page, live_server, "alice")
    page.goto(reverse("complaints:queue"))
    table = page.locator("table.table-cards").first
    expect(table.locator("thead")).to_be_visible()
    assert table.evaluate("t => getComputedStyle(t).display") == "table"


def test_the_unit_select_can_be_searched(page, live_server, org, login):
    login(page, live_server, "alice")
    page.goto(reverse("complaints:new"))
    search = page.get_by_test_id("select-search-unit")
    expect(search).to_be_visible()
    search.fill("乙")
    select = page.locator("select[name=unit]")
    visible = select.evaluate(
        "s => Array.from(s.options).filter(o => o.value && !o.hidden).map(o => o.text.trim())"
    )
    assert visible == ["乙医院"]
    assert select.evaluate("s => s.selectedOptions[0].text.trim()") == "乙医院"
    category = page.locator("select[name=category]")
    assert category.evaluate("s => s.value") == ""  # a required category is not preselected


def test_a_refused_page_is_the_styled_error_page_with_a_way_back(page, live_server, org, login):
    login(page, live_server, "dave")
    response = page.goto(reverse("org:import"))
    assert response.status == 403
    expect(page.get_by_test_id("error-page")).to_be_visible()
    expect(page.locator("h1")).to_have_text("您没有权限打开此页面")
    expect(page.get_by_test_id("error-home")).to_be_visible()
    with page.expect_navigation():
        page.get_by_test_id("error-home").click()
    assert page.url.rstrip("/") == live_server.url
