"""明查 on a phone and 曝光 in a real browser: an inspector records a visit on a 390×844 screen
with a photo and a finding; the finding's ledger issue appears for the unit; the office
publishes the visit, composes a bulletin, a leader approves it, the office publishes it and
the public site shows it without a login."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from xiaoneng.complaints.models import Category
from xiaoneng.core.services import org as org_services
from xiaoneng.core.testing import make_user
from xiaoneng.inspections import services
from xiaoneng.inspections.models import Finding
from xiaoneng.rectification.models import Issue
from xiaoneng.selfcheck.models import ChecklistItem, ChecklistTemplate

pytestmark = pytest.mark.browser


def photo_file(tmp_path):
    path = tmp_path / "现场照片.jpg"
    Image.new("RGB", (64, 48), (30, 120, 200)).save(path, format="JPEG")
    return path


def log_out(page) -> None:
    with page.expect_navigation():
        page.get_by_test_id("logout").click()


@pytest.fixture
def visit(org):
    template = ChecklistTemplate.objects.create(code="mingcha-test", name="明查清单")
    for n, title in enumerate(["公示收费标准", "工作人员在岗"], start=1):
        ChecklistItem.objects.create(template=template, number=n, title=title, text=f"检查{title}")
    Category.objects.get_or_create(code="attitude-test", defaults={"name": "服务态度"})
    person = org_services.person_create(actor=None, check=False, name="检查员甲",
                                        unit=org.bureau)  # fmt: skip
    make_user("inspector1", person, "inspector")
    plan = services.plan_create(
        actor=org.alice, name="门诊服务明查", kind="open", starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 12, 31), units=[org.unit_a], template=template, team=[person],
    )  # fmt: skip
    return services.visit_create(actor=org.alice, plan=plan, unit=org.unit_a,
                                 scheduled_on=dt.date(2026, 3, 2), team=[person])  # fmt: skip


def test_a_phone_visit_becomes_a_ledger_issue_and_a_public_bulletin(
    phone_page, page, browser, live_server, org, login, visit, tmp_path, artifacts_dir
):
    photo = photo_file(tmp_path)
    # 1. the inspector on a phone: checklist answers, a photo, then a finding with a photo
    login(phone_page, live_server, "inspector1")
    phone_page.goto(reverse("inspections:list") + "?mine=1")
    phone_page.get_by_test_id("visit-link").first.click()
    record = phone_page.get_by_test_id("record-form")
    expect(record).to_be_visible()
    for item in record.get_by_test_id("checklist-item").all():
        item.locator("label", has_text="无问题").click()
    record.locator("textarea").fill("检查门诊一楼、收费处。")
    record.get_by_test_id("record-files").set_input_files(str(photo))
    with phone_page.expect_navigation():
        record.get_by_test_id("save-record").click()
    expect(phone_page.get_by_test_id("visit-summary")).to_contain_text("检查门诊一楼")
    form = phone_page.get_by_test_id("finding-form")
    form.locator("input[name=title]").fill("导诊台无人值守")
    form.locator("textarea[name=description]").fill("上午10点导诊台无人，患者无人引导。")
    form.locator("select[name=category]").select_option(label="服务态度")
    form.locator("label", has_text="较重").click()
    form.get_by_test_id("finding-files").set_input_files(str(photo))
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the phone form scrolls sideways ({width}px)"
    with phone_page.expect_navigation():
        form.get_by_test_id("save-finding").click()
    finding = Finding.objects.get(visit=visit)
    issue = finding.issue
    expect(phone_page.get_by_test_id("finding-issue")).to_have_text(issue.number)
    assert issue.source == "inspection" and issue.unit == org.unit_a
    assert finding.evidence.count() == 1 and visit.evidence.count() == 2
    phone_page.screenshot(path=str(artifacts_dir / "inspection_phone.png"), full_page=True)

    # 2. the unit sees the issue in its ledger
    login(page, live_server, "bob")
    page.goto(reverse("rectification:issue", args=[issue.pk]))
    expect(page.get_by_text("导诊台无人值守").first).to_be_visible()
    log_out(page)

    # 3. the office publishes the visit and composes a bulletin
    login(page, live_server, "alice")
    page.goto(reverse("inspections:visit", args=[visit.pk]))
    with page.expect_navigation():
        page.get_by_test_id("publish").click()
    page.goto(reverse("inspections:bulletin-new"))
    bulletin_form = page.get_by_test_id("bulletin-form")
    bulletin_form.locator("input[name=title]").fill("2026年第一期作风问题曝光")
    bulletin_form.locator("input[name=period_start]").fill("2026-01-01")
    bulletin_form.locator("input[name=period_end]").fill("2026-12-31")
    bulletin_form.get_by_test_id("pick-finding").first.check()
    with page.expect_navigation():
        bulletin_form.get_by_test_id("submit").click()
    with page.expect_navigation():
        page.get_by_test_id("submit-bulletin").click()
    bulletin_url = page.url
    log_out(page)

    # 4. a leader approves
    login(page, live_server, "leader")
    page.goto(bulletin_url)
    with page.expect_navigation():
        page.get_by_test_id("approve-bulletin").click()
    log_out(page)

    # 5. the office publishes
    login(page, live_server, "alice")
    page.goto(bulletin_url)
    with page.expect_navigation():
        page.get_by_test_id("publish-bulletin").click()
    expect(page.get_by_test_id("bulletin-number")).to_contain_text("效能曝光〔")

    # 6. the public site, no login
    public = browser.new_context(base_url=live_server.url, locale="zh-CN")
    try:
        anon = public.new_page()
        anon.goto(reverse("inspections_public:bulletins"))
        anon.get_by_test_id("public-bulletin").first.click()
        expect(anon.get_by_test_id("public-entry")).to_contain_text("导诊台无人值守")
        expect(anon.get_by_test_id("public-bulletin-detail")).to_contain_text("甲医院")
        anon.screenshot(path=str(artifacts_dir / "inspection_public_bulletin.png"), full_page=True)
    finally:
        public.close()
    assert Issue.objects.filter(source="inspection").count() == 1
