"""The public site on a phone (390×844): submit an anonymous complaint with a photo, then track it.

The captcha answer is read through the test-only hook ``portal.captcha.answer_for_tests``, which
works only with ``XIAONENG_ENV=test`` (the live server runs in this process, so the hook sees the
answer the page's picture was drawn with).
"""

from __future__ import annotations

import importlib
import io

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from xiaoneng.complaints import services as complaint_services
from xiaoneng.complaints.models import Category, Complaint, SlaPolicy
from xiaoneng.portal import captcha
from xiaoneng.portal.models import ServiceStandard, SupervisionChannel

pytestmark = pytest.mark.browser


def jpeg_with_gps() -> bytes:
    from PIL import Image

    img = Image.new("RGB", (64, 48), "green")
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    exif[0x8825] = {1: "N", 2: (30.0, 15.0, 0.0)}
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def seed_reference_data() -> Category:
    """The live-server database is flushed between tests: put back what migrations seed."""
    seed = importlib.import_module("xiaoneng.portal.migrations.0002_seed_channels")
    seed.seed_portal(SupervisionChannel, ServiceStandard)
    SlaPolicy.objects.get_or_create(
        code="default",
        defaults={
            "name": "一般事项",
            "priority": 1000,
            "resolve_value": 7,
            "resolve_unit": "working_days",
        },
    )
    return Category.objects.get_or_create(code="attitude-portal", defaults={"name": "服务态度"})[0]


def session_key(page) -> str:
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    return cookies["sessionid"]


def assert_fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px screen"


def test_an_anonymous_complaint_with_a_photo_is_submitted_and_tracked_on_a_phone(
    phone_page, live_server, org, artifacts_dir
):
    category = seed_reference_data()
    page = phone_page

    # Home: the channels and the way in.
    page.goto(reverse("portal:home"))
    expect(page.get_by_test_id("channels")).to_contain_text("12345")
    assert_fits_the_screen(page)
    with page.expect_navigation():
        page.get_by_test_id("go-complain").click()

    # The form.
    form = page.get_by_test_id("submit-form")
    expect(form).to_be_visible()
    form.locator("select[name=category]").select_option(category.code)
    page.get_by_test_id("unit-search").fill("甲医院分")
    expect(form.locator("select[name=unit]")).to_have_value(str(org.unit_a_child.pk))
    page.get_by_test_id("unit-search").fill("")
    form.locator("select[name=unit]").select_option(str(org.unit_a.pk))
    # Only unit A's departments are offered.
    dept_options = form.locator("select[name=department] option")
    expect(dept_options).to_have_count(3)  # "not sure" + 急诊科 + 内科
    form.locator("select[name=department]").select_option(str(org.dept_a1.pk))
    form.locator("textarea[name=content]").fill("急诊科护士态度生硬，夜里等了两个小时无人理睬。")
    form.locator("input[name=attachments]").set_input_files(
        [{"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}]
    )
    expect(page.get_by_test_id("anonymous-warning")).to_be_hidden()
    form.locator("input[name=anonymous]").check()
    expect(page.get_by_test_id("anonymous-warning")).to_be_visible()
    expect(form.locator("input[name=phone]")).to_be_hidden()
    assert_fits_the_screen(page)

    expect(page.get_by_test_id("captcha-image")).to_be_visible()
    page.wait_for_function(
        "() => { const i = document.querySelector('[data-testid=captcha-image]');"
        " return i.complete && i.naturalWidth > 0; }"
    )
    form.locator("input[name=captcha]").fill(captcha.answer_for_tests(session_key(page)))
    page.screenshot(path=str(artifacts_dir / "portal-phone-form.png"), full_page=True)
    with page.expect_navigation():
        page.get_by_test_id("submit").click()

    # The receipt: number, tracking code, time limit.
    expect(page.get_by_test_id("submitted")).to_be_visible()
    complaint = Complaint.objects.get()
    expect(page.get_by_test_id("case-number")).to_have_text(complaint.number)
    expect(page.get_by_test_id("tracking-code")).to_have_text(complaint.tracking_code)
    expect(page.get_by_test_id("time-limit")).to_contain_text("7")
    assert complaint.anonymous and complaint.channel == "web"
    assert complaint.subject_department == org.dept_a1
    photo = complaint.attachments.get()
    assert photo.content_type == "image/jpeg" and b"CameraMaker" not in photo.file.read()
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    # An anonymous receipt also carries the rating key (issue 21: the code alone cannot rate).
    key = page.get_by_test_id("rating-key").inner_text().strip()
    assert len(key) == 8 and key != code
    page.screenshot(path=str(artifacts_dir / "portal-phone-receipt.png"), full_page=True)
    assert_fits_the_screen(page)

    # Track it from a fresh visit (another browser session): the code alone for anonymous cases.
    page.context.clear_cookies()
    page.goto(reverse("portal:home"))
    with page.expect_navigation():
        page.get_by_test_id("go-track").click()
    track = page.get_by_test_id("track-form")
    track.locator("input[name=code]").fill(code.lower())
    with page.expect_navigation():
        page.get_by_test_id("track").click()
    expect(page.get_by_test_id("case-number")).to_have_text(complaint.number)
    status = page.get_by_test_id("public-status")
    expect(status).to_have_attribute("data-status", "received")
    expect(page.locator("[data-testid=timeline] li[data-action=register]")).to_have_count(1)
    expect(page.get_by_test_id("rate-form")).to_have_count(0)
    assert_fits_the_screen(page)
    page.screenshot(path=str(artifacts_dir / "portal-phone-case.png"), full_page=True)

    # Answered: from this fresh session (tracked with the code alone) the rating needs the key.
    complaint_services.complaint_accept(complaint=complaint, actor=org.alice)
    complaint_services.complaint_dispatch(complaint=complaint, actor=org.alice, unit=org.unit_a)
    complaint_services.complaint_sign(complaint=complaint, actor=org.bob)
    complaint_services.complaint_reply(
        complaint=complaint, actor=org.bob, content="已约谈当事护士。"
    )
    page.reload()
    rate = page.get_by_test_id("rate-form")
    expect(page.get_by_test_id("rating-key-field")).to_be_visible()
    rate.locator("input[name=satisfaction][value=satisfied]").check()
    rate.locator("input[name=rating_key]").fill("WRONGKEY")
    with page.expect_navigation():
        page.get_by_test_id("rate").click()
    expect(page.locator("[data-error-for=rating_key]")).to_be_visible()
    rate = page.get_by_test_id("rate-form")
    rate.locator("input[name=satisfaction][value=satisfied]").check()
    rate.locator("input[name=rating_key]").fill(key.lower())
    with page.expect_navigation():
        page.get_by_test_id("rate").click()
    expect(page.get_by_test_id("rated")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "portal-phone-rated.png"), full_page=True)
