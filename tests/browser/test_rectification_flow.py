"""Close-out (销号) of a rectification item in a real browser: the unit admin reports progress with
a file and asks for close-out; the office returns it with a reason; the unit fixes it and asks
again; the office accepts; the ledger shows the item closed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from xiaoneng.rectification import services
from xiaoneng.rectification.vocab import ItemStatus

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def status_label(status: ItemStatus) -> str:
    with translation.override("zh-hans"):
        return str(status.label)


def expect_status(page, status: ItemStatus) -> None:
    badge = page.locator("[data-testid=item-header] [data-testid=status]")
    expect(badge).to_have_attribute("data-status", status.value)
    expect(badge).to_have_text(status_label(status))


def open_action(page, segment: str):
    page.locator(f"button[data-bs-toggle=collapse][data-action={segment}]").click()
    form = page.get_by_test_id(f"form-{segment}")
    expect(form).to_be_visible()
    return form


def submit(page, form, segment: str) -> None:
    with page.expect_navigation():
        form.get_by_test_id(f"do-{segment}").click()


def log_out(page) -> None:
    with page.expect_navigation():
        page.get_by_test_id("logout").click()


def test_an_item_is_returned_once_then_closed(page, live_server, org, login, tmp_path):
    evidence = tmp_path / "整改照片.pdf"
    evidence.write_bytes(PDF)
    issue = services.issue_create(
        actor=org.alice,
        unit=org.unit_a,
        source="inspection",
        title="导诊台无人值守",
        description="明查发现导诊台上午10点无人值守。",
    )
    item = services.item_create(
        actor=org.alice,
        issue=issue,
        type="immediate",
        measures="安排专人值守导诊台",
        target="导诊台全天有人",
        deadline=timezone.localdate() + timedelta(days=20),
    )
    item_url = reverse("rectification:item", args=[item.pk])

    # The unit admin reports progress with a photo and asks for close-out.
    login(page, live_server, "bob")
    page.goto(item_url)
    expect(page.get_by_test_id("number")).to_have_text(item.number)
    expect_status(page, ItemStatus.PENDING)
    form = open_action(page, "progress")
    form.locator("textarea[name='progress-text']").fill("已安排专人值守，每日巡查")
    form.locator("input[name='progress-percent']").fill("80")
    form.locator("input[name='progress-files']").set_input_files(str(evidence))
    submit(page, form, "progress")
    expect_status(page, ItemStatus.IN_PROGRESS)
    expect(page.get_by_test_id("timeline").get_by_test_id("file").first).to_have_text(
        "整改照片.pdf"
    )
    form = open_action(page, "request-close")
    form.locator("textarea[name='request-close-summary']").fill("已整改到位")
    form.locator("input[name='request-close-files']").set_input_files(str(evidence))
    submit(page, form, "request-close")
    expect_status(page, ItemStatus.CLOSE_REQUESTED)
    log_out(page)

    # The office returns it with a reason.
    login(page, live_server, "alice")
    page.goto(item_url)
    form = open_action(page, "verify")
    form.locator("select[name='verify-decision']").select_option("reject")
    form.locator("textarea[name='verify-reason']").fill("照片看不出值守时间，请补充")
    submit(page, form, "verify")
    expect_status(page, ItemStatus.IN_PROGRESS)
    log_out(page)

    # The unit sees the reason, fixes it and asks again.
    login(page, live_server, "bob")
    page.goto(item_url)
    expect(page.get_by_test_id("reject-reason")).to_contain_text("照片看不出值守时间")
    form = open_action(page, "request-close")
    form.locator("textarea[name='request-close-summary']").fill("补充带时间的值守照片")
    form.locator("input[name='request-close-files']").set_input_files(str(evidence))
    submit(page, form, "request-close")
    expect_status(page, ItemStatus.CLOSE_REQUESTED)
    log_out(page)

    # The office accepts; the ledger shows it closed.
    login(page, live_server, "alice")
    page.goto(item_url)
    form = open_action(page, "verify")
    form.locator("select[name='verify-decision']").select_option("accept")
    submit(page, form, "verify")
    expect_status(page, ItemStatus.CLOSED)
    expect(page.get_by_test_id("closed-at")).to_be_visible()
    page.goto(reverse("rectification:ledger"))
    row = page.locator(f"[data-testid=row][data-number='{item.number}']")
    expect(row.get_by_test_id("status")).to_have_attribute("data-status", "closed")
    expect(row.get_by_test_id("status")).to_have_text(status_label(ItemStatus.CLOSED))
    expect(page.get_by_test_id("count-closed")).to_have_text("1")
    expect(page.get_by_test_id("cleared")).to_contain_text("100%")
