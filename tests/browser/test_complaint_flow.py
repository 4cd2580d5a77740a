"""A complaint through its life in a real browser: the office dispatches, the unit signs for it
and replies, the office verifies and closes — the visible status checked at each step."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from xiaoneng.complaints import services
from xiaoneng.complaints.models import Category, Complaint
from xiaoneng.complaints.vocab import Status

pytestmark = pytest.mark.browser


def status_label(status: Status) -> str:
    with translation.override("zh-hans"):
        return str(status.label)


def expect_status(page, status: Status) -> None:
    badge = page.locator("[data-testid=case-header] [data-testid=status]")
    expect(badge).to_be_visible()
    expect(badge).to_have_attribute("data-status", status.value)
    expect(badge).to_have_text(status_label(status))


def open_action(page, segment: str):
    page.locator(f"button[data-bs-toggle=collapse][data-action={segment}]").click()
    form = page.get_by_test_id(f"form-{segment}")
    expect(form).to_be_visible()
    # Fully open (not mid-transition) before anything inside it is clicked.
    expect(page.locator(f"#action-{segment}")).to_have_class(re.compile(r"\bshow\b"))
    return form


def submit(page, form, segment: str) -> None:
    with page.expect_navigation():
        form.get_by_test_id(f"do-{segment}").click()


def log_out(page) -> None:
    with page.expect_navigation():
        page.get_by_test_id("logout").click()


def test_a_case_goes_from_dispatch_to_closed(page, live_server, org, login):
    category = Category.objects.create(code="attitude-browser", name="服务态度差")
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
    case_url = reverse("complaints:detail", args=[complaint.pk])

    # The office dispatches the case to unit A.
    login(page, live_server, "alice")
    page.goto(case_url)
    expect(page.get_by_test_id("number")).to_have_text(complaint.number)
    expect_status(page, Status.REGISTERED)
    form = open_action(page, "dispatch")
    form.locator("select[name='dispatch-unit']").select_option(str(org.unit_a.pk))
    submit(page, form, "dispatch")
    expect_status(page, Status.DISPATCHED)
    expect(page.get_by_test_id("responsible-unit")).to_contain_text("甲医院")
    log_out(page)

    # The unit admin signs for it and replies; he never sees who complained.
    login(page, live_server, "bob")
    page.goto(case_url)
    expect_status(page, Status.DISPATCHED)
    expect(page.get_by_test_id("protected")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("13800138000")
    page.once("dialog", lambda dialog: dialog.accept())  # signing notifies the office
    with page.expect_navigation():
        page.get_by_test_id("do-sign").click()
    expect_status(page, Status.SIGNED)
    form = open_action(page, "reply")
    form.locator("textarea[name='reply-content']").fill(
        "已核查，对窗口人员批评教育，并向投诉人致歉。"
    )
    submit(page, form, "reply")
    expect_status(page, Status.REPLIED)
    expect(page.get_by_test_id("reply")).to_contain_text("向投诉人致歉")
    log_out(page)

    # The office verifies the outcome and closes the case.
    login(page, live_server, "alice")
    page.goto(case_url)
    expect_status(page, Status.REPLIED)
    form = open_action(page, "verify")
    form.locator("select[name='verify-result']").select_option("true")
    submit(page, form, "verify")
    expect_status(page, Status.VERIFIED)
    form = open_action(page, "close")
    submit(page, form, "close")
    expect_status(page, Status.CLOSED)
    expect(page.locator("button[data-action=close]")).to_have_count(0)
    expect(page.locator("button[data-action=reopen]")).to_be_visible()
    assert Complaint.objects.get(pk=complaint.pk).status == Status.CLOSED
