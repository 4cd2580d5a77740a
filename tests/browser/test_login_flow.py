"""The foundation in a real browser: log in, lockout, log out, language switch, phone layout."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from xiaoneng.core.testing import PASSWORD

pytestmark = pytest.mark.browser


def test_it_logs_in_through_the_chinese_login_page_and_shows_the_workbench(
    page, live_server, org, login
):
    page.goto(reverse("login"))
    expect(page).to_have_title("登录 · 效能监督管理平台")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("label[for=id_username]")).to_have_text("用户名")

    login(page, live_server, "dave")

    assert page.url == live_server.url + reverse("home")
    expect(page.locator("h1")).to_have_text("工作台")
    expect(page.get_by_test_id("home-name")).to_have_text("大卫")
    expect(page.get_by_test_id("home-unit")).to_have_text("甲医院")
    expect(page.get_by_test_id("current-user")).to_contain_text("大卫 · 甲医院")
    expect(page.locator("#sidenav")).to_contain_text("投诉举报")


def test_it_asks_for_a_captcha_after_five_wrong_passwords(page, live_server, org, login):
    from django.contrib.sessions.backends.db import SessionStore

    from xiaoneng.core import captcha

    for _attempt in range(5):
        login(page, live_server, "dave", "Wrong-pass-1")
        expect(page.get_by_test_id("login-error")).to_have_text("用户名或密码错误。")
    expect(page.get_by_test_id("captcha-image")).to_be_visible()

    login(page, live_server, "dave", PASSWORD)  # the right password, but no captcha
    expect(page.get_by_test_id("login-error")).to_contain_text("请输入图片中的验证码")
    assert page.url.startswith(live_server.url + reverse("login"))

    # The real user types the code and gets in: failures never lock the account.
    page.goto(live_server.url + reverse("login"))
    page.locator("#id_username").fill("dave")
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form:has(#id_password) button[type=submit]").click()
    session_key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    answer = SessionStore(session_key=session_key)[captcha.SESSION_KEY]["answer"]
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_captcha").fill(answer.lower())
    with page.expect_navigation():
        page.locator("form:has(#id_password) button[type=submit]").click()
    assert page.url == live_server.url + reverse("home")


def test_it_logs_out(page, live_server, org, login):
    login(page, live_server, "dave")

    with page.expect_navigation():
        page.get_by_test_id("logout").click()

    assert page.url.startswith(live_server.url + reverse("login"))
    page.goto(reverse("home"))
    assert page.url.startswith(live_server.url + reverse("login")), "still logged in"


def test_the_language_switch_turns_the_ui_english_and_back(page, live_server, org, login):
    login(page, live_server, "dave")
    expect(page.locator("h1")).to_have_text("工作台")

    with page.expect_navigation():
        page.locator("select[name=language]").select_option("en")
    expect(page.locator("h1")).to_have_text("Workbench")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("logout")).to_have_text("Log out")

    with page.expect_navigation():
        page.locator("select[name=language]").select_option("zh-hans")
    expect(page.locator("h1")).to_have_text("工作台")
    expect(page.get_by_test_id("logout")).to_have_text("退出")


def test_an_english_browser_still_gets_chinese_until_the_user_switches(browser, live_server, org):
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    try:
        page = context.new_page()
        page.goto(reverse("login"))
        expect(page.locator("button[type=submit]").first).to_have_text("登录")

        with page.expect_navigation():
            page.get_by_role("button", name="English").click()
        expect(page.locator("form:has(#id_password) button[type=submit]")).to_have_text("Log in")
    finally:
        context.close()


def test_the_workbench_works_on_a_phone(phone_page, live_server, org, login, artifacts_dir):
    page = phone_page
    login(page, live_server, "dave")
    expect(page.locator("h1")).to_have_text("工作台")

    expect(page.get_by_test_id("home-scope")).to_have_text("职工（仅本人）")
    nav = page.locator("#sidenav")
    menu = page.locator("[data-bs-toggle=offcanvas][data-bs-target='#sidenav']")
    expect(nav).not_to_be_visible()
    expect(menu).to_be_visible()
    no_sideways_scroll = "document.documentElement.scrollWidth <= window.innerWidth"
    assert page.evaluate(no_sideways_scroll), "the page scrolls sideways on a phone"

    menu.tap()

    expect(nav).to_have_class(re.compile(r"(^|\s)show(\s|$)"))  # slid in
    expect(nav.get_by_role("link", name="工作台")).to_be_in_viewport()
    expect(nav.get_by_text("投诉举报")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "phone-workbench-menu.png"))
