"""The work home and the dashboards in a real browser, per demo role (office, leader, hosp1,
staff1, supervisor1) on the demo county: the home shows that role's real waiting work with
the counts the providers compute; the dashboard draws its charts (a canvas each, no console
errors) and the table view shows the figures of ``GET /api/v1/stats/<key>``."""

from __future__ import annotations

import pytest
from django.utils import translation
from playwright.sync_api import expect

from xiaoneng.core import workhome
from xiaoneng.core.models import User
from xiaoneng.core.testing import PASSWORD

pytestmark = pytest.mark.browser

ROLES = ["office", "leader", "hosp1", "staff1", "supervisor1"]
# What each role must be shown (the demo county always has these waiting).
MUST_WAIT = {
    "office": {
        "complaints.to_accept",
        "complaints.to_verify",
        "complaints.overdue",
        "supervision.to_triage",
    },
    "leader": {"complaints.overdue"},
    "hosp1": {"complaints.to_sign", "campaigns.owed"},
    "staff1": {"core.unread"},
    "supervisor1": {"core.unread", "supervision.mine_waiting"},
}
DASHBOARD = {"office", "leader", "hosp1"}


@pytest.fixture
def demo(_reference_data):
    """The demo county in the (flushed) live-server database."""
    from xiaoneng.core.demo import load_demo_county
    from xiaoneng.core.models import Role
    from xiaoneng.core.testing import reseed_reference_data

    Role.objects.all().delete()  # the sentinel: every data migration's seed runs again
    reseed_reference_data()
    assert load_demo_county()
    # Outside demo mode the demo password is refused: the test password instead.
    for user in User.objects.filter(username__in=ROLES):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])


def login(page, live_server, username):
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form:has(#id_password) button[type=submit]").click()


def watch_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    page.on(
        "console",
        lambda msg: (
            errors.append(f"console: {msg.text}")
            if msg.type == "error"
            and "favicon" not in msg.text
            and "Failed to load resource" not in msg.text
            else None
        ),
    )
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    return errors


@pytest.mark.parametrize("username", ROLES)
def test_home_and_dashboard_per_role(page, live_server, demo, username):
    """One test per role (loading the demo county takes a while): home, then dashboard."""
    errors = watch_errors(page)
    login(page, live_server, username)
    check_home(page, live_server, username)
    check_dashboard(page, live_server, username)
    assert errors == []


def check_home(page, live_server, username):
    user = User.objects.get(username=username)
    with translation.override("zh-hans"):
        expected = {i.key: (i.count, str(i.label)) for i in workhome.collect(user)}
    assert MUST_WAIT[username] <= {k for k, (n, _) in expected.items() if n}, expected
    page.goto(live_server.url + "/")
    cards = page.get_by_test_id("todo")
    shown = {}
    for i in range(cards.count()):
        card = cards.nth(i)
        shown[card.get_attribute("data-key")] = int(card.get_by_test_id("todo-count").inner_text())
    assert shown == {k: n for k, (n, _) in expected.items() if n}
    for key in MUST_WAIT[username]:
        expect(page.locator(f'[data-testid=todo][data-key="{key}"]')).to_contain_text(
            expected[key][1]
        )
    # A card leads to the list that shows exactly those.
    first = next(iter(MUST_WAIT[username]))
    with page.expect_navigation():
        page.locator(f'[data-testid=todo][data-key="{first}"]').click()


def check_dashboard(page, live_server, username):
    if username not in DASHBOARD:  # the menu's 统计分析 is refused to them
        assert page.request.get(live_server.url + "/dashboard/").status == 403
        return
    page.goto(live_server.url + "/dashboard/")
    cards = page.get_by_test_id("stats-card")
    assert cards.count() >= 10
    for i in range(cards.count()):
        expect(cards.nth(i)).to_have_attribute("data-loaded", "true")
    # Every source with rows is drawn on a canvas.
    assert page.locator("[data-testid=stats-card] [data-testid=chart] canvas").count() >= 8
    for key in (
        "complaints.rates",
        "complaints.by_channel",
        "ledger.by_unit",
        "campaigns.completion",
    ):
        card = page.locator(f'[data-testid=stats-card][data-key="{key}"]')
        api = page.request.get(card.get_attribute("data-api")).json()
        card.get_by_test_id("show-table").click()
        table = card.get_by_test_id("table")
        expect(table).to_be_visible()
        rows = table.locator("tbody tr")
        assert rows.count() == len(api["rows"])
        for r, row in enumerate(api["rows"]):
            cells = rows.nth(r).locator("td")
            for c, column in enumerate(api["columns"]):
                value = row[column["key"]]
                text = (
                    "—"
                    if value is None
                    else (f"{value:.1f}" if column["kind"] == "percent" else str(value))
                )
                assert cells.nth(c).inner_text() == text, (key, r, column["key"])
        assert (
            card.get_by_test_id("download")
            .get_attribute("href")
            .startswith(f"/dashboard/{key}.xlsx?")
        )
