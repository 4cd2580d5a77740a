"""The Content-Security-Policy in a real browser: no page trips it, and the behaviour moved out
of inline handlers (auto-submitting selects, print, confirm) still works (issue #21 item 12)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def watch_csp(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: (
            violations.append(msg.text)
            if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text
            else None
        ),
    )
    return violations


def test_pages_run_under_the_policy_without_violations(page, live_server, org, login):
    violations = watch_csp(page)
    page.goto(live_server.url + reverse("login"))
    login(page, live_server, "alice")
    for url in [
        reverse("home"),
        reverse("org:units"),
        reverse("org:calendar"),
        "/complaints/",
        "/public/",
        "/public/progress/",
        "/api/docs/",
    ]:
        response = page.goto(live_server.url + url)
        assert response.headers["content-security-policy"].startswith("default-src 'self'")
    expect(page.locator(".swagger-ui")).to_be_visible()  # Swagger UI's own script ran
    assert violations == []


def test_selects_still_submit_their_form_on_change(page, live_server, org, login):
    login(page, live_server, "alice")
    page.goto(live_server.url + reverse("org:calendar"))
    year = page.locator("select[name=year]")
    options = year.locator("option").all_inner_texts()
    target = options[0]
    with page.expect_navigation():
        year.select_option(target)
    assert f"year={target}" in page.url


def test_a_confirm_question_guards_the_button(page, live_server, org, login):
    login(page, live_server, "alice")
    page.goto(live_server.url + reverse("org:calendar"))
    button = page.locator("button[data-confirm]")  # "mark as not entered" (seeded years)
    expect(button.first).to_be_visible()
    asked: list[str] = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    url = page.url
    button.first.click()
    assert asked and page.url == url
