"""A campaign's daily flow in a real browser: the office has started 作风整顿 for the two
hospitals; 甲医院's unit admin finds 实施方案 among what his unit owes, is refused a file that
only pretends to be a PDF, submits a real one; the office returns it with a reason from the
review page; the unit sees the reason and submits again with a photo; the office accepts it
and exports the submission matrix to Excel."""

from __future__ import annotations

import importlib
import io
import re

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook
from PIL import Image
from playwright.sync_api import expect

from xiaoneng.campaigns import services
from xiaoneng.campaigns.models import CampaignTemplate, Submission
from xiaoneng.core import audit

pytestmark = pytest.mark.browser

S = Submission.Status
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NOT_A_PDF = b"just some text pretending to be a PDF\n"
FIRST_TEXT = "我院作风整顿实施方案已经院党委会审议通过。"
SECOND_TEXT = "按要求补充了任务分工表和时间节点，已加盖公章。"
REASON = "缺少任务分工和时间节点，请补充后重新报送"


@pytest.fixture(autouse=True)
def _campaign_templates(_reference_data):
    """The live-server database is flushed between tests: put back the seeded templates."""
    if not CampaignTemplate.objects.filter(code="zuofeng-zhengdun").exists():
        seed = importlib.import_module("xiaoneng.campaigns.migrations.0002_seed_templates")
        seed.seed(apps, None)


def zh(label) -> str:
    with translation.override("zh-hans"):
        return str(label)


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def upload(name: str, mime: str, data: bytes) -> dict:
    return {"name": name, "mimeType": mime, "buffer": data}


def expect_badge(badge, status: S) -> None:
    """A status badge: its state and its Chinese label (never the English msgid)."""
    label = zh(status.label)
    assert re.search(r"[\u4e00-\u9fff]", label), f"{status} has no Chinese label: {label!r}"
    expect(badge).to_have_attribute("data-state", status.value)
    expect(badge).to_have_text(label)


def status_badge(page):
    return page.get_by_test_id("submission-status").locator(".badge")


def matrix_badge(page, sub: Submission):
    href = reverse("campaigns:submission", args=[sub.pk])
    return page.get_by_test_id("matrix").locator(f"a[href='{href}'] .badge")


def flash(page):
    return page.locator(".alert-success")


def form_of(page, which: str):
    """A form of the submission / review pages, found by its hidden ``form`` field."""
    return page.locator(f"form:has(input[name=form][value={which}])")


def post(page, form) -> None:
    button = form.locator("button")
    if button.get_attribute("data-confirm"):  # returning notifies the unit: the page asks first
        page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        button.click()


def log_out(page) -> None:
    with page.expect_navigation():
        page.get_by_test_id("logout").click()


def open_from_my_list(page, campaign_name: str, deliverable: str) -> None:
    page.goto(reverse("campaigns:list"))
    row = page.get_by_test_id("mine").locator("tbody tr").filter(has_text=campaign_name)
    with page.expect_navigation():
        row.get_by_role("link", name=deliverable, exact=True).click()
    expect(page.locator("h1")).to_have_text(f"{deliverable} · 甲医院")


def test_a_unit_submits_is_returned_resubmits_and_is_accepted(
    page, live_server, org, login, tmp_path
):
    template = CampaignTemplate.objects.get(code="zuofeng-zhengdun")
    # Next year's campaign, so every due date is ahead and a submission is on time (已报送).
    campaign = services.campaign_create_from_template(
        actor=org.alice,
        template=template,
        year=timezone.localdate().year + 1,
        issuing_unit=org.bureau,
        units=[org.unit_a, org.unit_b],
    )
    services.campaign_start(actor=org.alice, campaign=campaign)
    sub = Submission.objects.get(
        requirement__campaign=campaign, requirement__name="实施方案", unit=org.unit_a
    )
    other = Submission.objects.get(
        requirement__campaign=campaign, requirement__name="实施方案", unit=org.unit_b
    )
    detail_url = reverse("campaigns:detail", args=[campaign.pk])
    sub_url = reverse("campaigns:submission", args=[sub.pk])

    # The hospital's unit admin finds 实施方案 among what his unit owes.
    login(page, live_server, "bob")
    expect(page.get_by_test_id("logout")).to_be_visible()
    open_from_my_list(page, campaign.name, "实施方案")
    assert page.url.endswith(sub_url)
    expect_badge(status_badge(page), S.PENDING)

    # A text file named .pdf is refused by its content; nothing is submitted.
    form = form_of(page, "submit")
    form.locator("textarea[name=text]").fill(FIRST_TEXT)
    form.locator("input[name=upload]").set_input_files(
        upload("实施方案.pdf", "application/pdf", NOT_A_PDF)
    )
    post(page, form)
    expect(page.get_by_test_id("form-errors")).to_be_visible()
    expect_badge(status_badge(page), S.PENDING)
    expect(form.locator("textarea[name=text]")).to_have_value(FIRST_TEXT)
    sub.refresh_from_db()
    assert sub.status == S.PENDING and sub.files.count() == 0

    # The real PDF is accepted: 已报送, the file is listed, the form is gone.
    form.locator("input[name=upload]").set_input_files(
        upload("实施方案.pdf", "application/pdf", PDF)
    )
    post(page, form)
    expect(flash(page)).to_have_text(zh(_("Submitted.")))
    expect_badge(status_badge(page), S.SUBMITTED)
    expect(page.locator("main li").filter(has_text="实施方案.pdf")).to_have_count(1)
    expect(form_of(page, "submit")).to_have_count(0)
    page.goto(detail_url)
    expect_badge(matrix_badge(page, sub), S.SUBMITTED)
    expect(page.get_by_test_id("matrix")).not_to_contain_text("乙医院")  # not in bob's scope
    log_out(page)

    # The office sees it in the matrix (乙医院 still owes it) and returns it from the review page.
    login(page, live_server, "alice")
    page.goto(detail_url)
    expect_badge(matrix_badge(page, sub), S.SUBMITTED)
    expect_badge(matrix_badge(page, other), S.PENDING)
    with page.expect_navigation():
        page.locator(f"a[href='{reverse('campaigns:review', args=[campaign.pk])}']").click()
    rows = page.get_by_test_id("review").locator("tbody tr")
    expect(rows).to_have_count(1)
    row = rows.filter(has_text="甲医院").filter(has_text="实施方案")
    expect_badge(row.locator(".badge"), S.SUBMITTED)
    returning = row.locator("form:has(input[name=form][value=return])")
    returning.locator("input[name=reason]").fill(REASON)
    post(page, returning)
    expect(flash(page)).to_have_text(zh(_("Returned to the unit.")))
    expect(page.get_by_test_id("review")).not_to_contain_text("甲医院")
    expect(rows).to_have_text([zh(_("Nothing waits for review."))])
    page.goto(detail_url)
    expect_badge(matrix_badge(page, sub), S.RETURNED)
    log_out(page)

    # The hospital sees it returned with the reason, and submits again with a photo.
    login(page, live_server, "bob")
    page.goto(reverse("campaigns:list"))
    mine_row = page.get_by_test_id("mine").locator("tbody tr").filter(has_text="实施方案")
    expect(mine_row.locator(".badge")).to_have_text(zh(S.RETURNED.label))
    open_from_my_list(page, campaign.name, "实施方案")
    expect_badge(status_badge(page), S.RETURNED)
    expect(page.get_by_test_id("return-reason")).to_have_text(REASON)
    form = form_of(page, "submit")
    expect(form.locator("textarea[name=text]")).to_have_value(FIRST_TEXT)
    form.locator("textarea[name=text]").fill(SECOND_TEXT)
    form.locator("input[name=upload]").set_input_files(
        upload("任务分工表.png", "image/png", png_bytes())
    )
    post(page, form)
    expect_badge(status_badge(page), S.SUBMITTED)
    expect(page.get_by_test_id("return-reason")).to_have_count(0)
    expect(page.locator("main")).to_contain_text(SECOND_TEXT)
    expect(page.locator("main li").filter(has_text="任务分工表.png")).to_have_count(1)
    expect(page.locator("main li").filter(has_text="实施方案.pdf")).to_have_count(0)
    log_out(page)

    # The office opens it from the matrix and accepts it.
    login(page, live_server, "alice")
    page.goto(detail_url)
    expect_badge(matrix_badge(page, sub), S.SUBMITTED)
    with page.expect_navigation():
        matrix_badge(page, sub).click()
    assert page.url.endswith(sub_url)
    expect(page.locator("main")).to_contain_text(SECOND_TEXT)
    # A submission is 通过 (approved), not 受理 (the complaints' "accepted for handling").
    expect(form_of(page, "accept").locator("button")).to_have_text("通过")
    assert zh(S.ACCEPTED.label) == "已通过"
    post(page, form_of(page, "accept"))
    expect(flash(page)).to_have_text(zh(_("Accepted.")))
    expect_badge(status_badge(page), S.ACCEPTED)
    expect(form_of(page, "accept")).to_have_count(0)
    expect(form_of(page, "return")).to_have_count(0)

    # The matrix shows it accepted, and its Excel export says the same.
    page.goto(detail_url)
    expect_badge(matrix_badge(page, sub), S.ACCEPTED)
    with page.expect_download() as download_info:
        page.locator(f"a[href='{reverse('campaigns:matrix_export', args=[campaign.pk])}']").click()
    download = download_info.value
    assert download.suggested_filename == f"campaign-{campaign.pk}-submissions.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    workbook = load_workbook(saved)
    matrix_sheet, detail_sheet = workbook.worksheets
    table = list(matrix_sheet.iter_rows(values_only=True))
    assert table[0][0] == campaign.name
    column = next(i for i, h in enumerate(table[1]) if str(h).startswith("实施方案"))
    by_unit = {row[0]: row for row in table[2:]}
    assert set(by_unit) == {"甲医院", "乙医院"}
    assert by_unit["甲医院"][column] == zh(S.ACCEPTED.label)
    assert by_unit["乙医院"][column] == zh(S.PENDING.label)
    details = [
        row
        for row in detail_sheet.iter_rows(min_row=2, values_only=True)
        if row[0] == "甲医院" and row[1] == "实施方案"
    ]
    assert len(details) == 1
    assert details[0][3] == zh(S.ACCEPTED.label)
    assert details[0][4]  # submitted at

    # What the database holds: accepted, the second text and the photo only, and an audit
    # trail with the return and its reason.
    sub.refresh_from_db()
    assert sub.status == S.ACCEPTED
    assert sub.text == SECOND_TEXT
    assert sub.submitted_by == org.bob and sub.reviewed_by == org.alice
    assert sub.return_reason == ""  # cleared by the resubmission; the audit keeps it
    assert [(f.name, f.content_type) for f in sub.files.all()] == [("任务分工表.png", "image/png")]
    trail = list(audit.history(sub).order_by("at", "id"))
    assert [(r.action, r.actor_name) for r in trail] == [
        ("submit", "bob"),
        ("return", "alice"),
        ("submit", "bob"),
        ("accept", "alice"),
    ]
    assert trail[1].reason == REASON
    assert trail[1].after == {"status": S.RETURNED}
    other.refresh_from_db()
    assert other.status == S.PENDING
