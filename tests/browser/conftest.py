"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

Fixtures:
  ``browser``     one headless chromium for the session (Debian's package; never ``playwright install``)
  ``page``        a desktop page (1280×800) in a fresh context, Chinese like a real user's browser
  ``phone_page``  a phone page (390×844, touch, mobile viewport)
  ``login``       ``login(page, live_server, username, password=PASSWORD)`` submits the login form
  ``org``         the small organisation of ``core.testing.build_org`` (password ``PASSWORD``)
  ``artifacts_dir`` ``test-artifacts/`` for screenshots (failures are saved there automatically)

Every test here uses ``live_server``, so it runs with a transactional database; reference
data seeded by migrations (roles, calendar) is seeded again before each test. A failing
test leaves a screenshot (and the page's HTML) in ``test-artifacts/``.

Mark browser tests with ``@pytest.mark.browser``; run them alone with ``-m browser``.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.urls import reverse

from xiaoneng.core.locale import compile_catalogues
from xiaoneng.core.testing import PASSWORD, OrgFixture, build_org

# Playwright's sync API runs an asyncio loop in this thread; Django would then refuse ORM
# calls from the test (fixtures, assertions) with SynchronousOnlyOperation.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

REPO_DIR = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = REPO_DIR / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Generous: CI machines run the suite twice over and are often busy.
DEFAULT_TIMEOUT_MS = 20_000
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


def chromium_executable() -> str:
    path = os.environ.get("XIAONENG_CHROMIUM") or shutil.which("chromium")
    if not path:
        pytest.fail(
            "Debian's chromium is not installed, so the browser tests cannot run: "
            "run `make chromium` (scripts/install_chromium.sh). "
            "Do not use `playwright install` (it downloads a browser).",
            pytrace=False,
        )
    return path


def login(page, live_server, username: str, password: str = PASSWORD):
    """Open the login page, submit the form and wait for the next page; returns ``page``.

    It does not assert success, so a test can check a refused login too.
    """
    page.goto(live_server.url + reverse("login"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("form:has(#id_password) button[type=submit]").click()
    return page


@pytest.fixture
def org(transactional_db) -> OrgFixture:
    """The matrix organisation of ``src/xiaoneng/conftest.py`` (not visible from ``tests/``)."""
    return build_org()


@pytest.fixture(name="login")
def login_fixture():
    """The ``login`` helper, for test modules that cannot import this conftest."""
    return login


@pytest.fixture
def artifacts_dir() -> Path:
    """``test-artifacts/`` (git-ignored): screenshots worth looking at."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    return ARTIFACTS_DIR


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(
        executable_path=chromium_executable(), args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogues():
    """A fresh checkout has no .mo files: compile them so the UI is Chinese."""
    compile_catalogues(stale_only=True)


@pytest.fixture(autouse=True)
def _reference_data(transactional_db, live_server):
    """Every browser test talks to the live server, so its database is flushed after it;
    put back the reference data that migrations seed (roles, holiday calendar).

    (Django's serialized rollback does not help here: once Playwright's loop runs, the
    test thread gets a fresh connection object without the serialized contents.)
    An app whose migrations seed data adds its seeding function here.
    """
    from xiaoneng.core.models import CalendarDay, CalendarYear, Role
    from xiaoneng.core.seed import seed_calendar, seed_roles

    if not Role.objects.exists():
        seed_roles(Role)
    if not CalendarYear.objects.exists():
        seed_calendar(CalendarDay, CalendarYear)
    _seed_app("accountability", "0002_seed_and_referrals", "seed", "Measure")
    _seed_app("servicetimes", "0002_seed_standards", "seed", "ServiceStandard")
    _seed_app("documents", "0002_seed_templates_and_permissions", "seed", "DocumentTemplate")


def _seed_app(app: str, migration: str, function: str, sentinel: str) -> None:
    """Run one app's seeding data migration again when its sentinel table is empty."""
    import importlib

    from django.apps import apps

    if not apps.get_model(app, sentinel).objects.exists():
        module = importlib.import_module(f"xiaoneng.{app}.migrations.{migration}")
        getattr(module, function)(apps, None)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


def _artifact_name(request) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid.split("::", 1)[-1])[:150]


def _open_page(browser, live_server, request, **context_options) -> Iterator:
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        # Bootstrap then skips its collapse/fade transitions, so a click never lands on a
        # button that is still moving.
        reduced_motion="reduce",
        **context_options,
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        failed = any(
            getattr(getattr(request.node, f"report_{when}", None), "failed", False)
            for when in ("setup", "call")
        )
        if failed:
            ARTIFACTS_DIR.mkdir(exist_ok=True)
            name = _artifact_name(request)
            try:
                page.screenshot(path=str(ARTIFACTS_DIR / f"{name}.png"), full_page=True)
                (ARTIFACTS_DIR / f"{name}.html").write_text(page.content(), encoding="utf-8")
            except Exception as exc:  # noqa: BLE001  the page may be gone; the test failure matters more
                print(f"could not save a screenshot for {request.node.nodeid}: {exc}")
        context.close()


@pytest.fixture
def page(browser, live_server, request):
    """A desktop page (1280×800) with a Chinese browser locale."""
    yield from _open_page(browser, live_server, request, **DESKTOP)


@pytest.fixture
def phone_page(browser, live_server, request):
    """A phone page (390×844, touch, mobile viewport) with a Chinese browser locale."""
    yield from _open_page(browser, live_server, request, **PHONE)
