"""Service time limits in a real browser: the office uploads a log file with its own column
names, maps the columns, watches the job, sees the compliance table with its chart and drills
down to a late case."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LOG = """visit,what,when,hospital,dept
E1,er_arrival,2026-03-01 10:00:00,UA,急诊科
E1,er_first_treatment,2026-03-01 10:03:00,UA,急诊科
E2,er_arrival,2026-03-01 23:58:00,UA,急诊科
E2,er_first_treatment,2026-03-02 00:04:30,UA,急诊科
"""


def test_the_office_uploads_maps_watches_and_drills_down(
    page, live_server, org, login, settings, tmp_path
):
    settings.SERVICELOG_DIR = tmp_path / "servicelogs"
    login(page, live_server, "alice")
    page.goto("/servicetimes/imports/")
    form = page.get_by_test_id("upload")
    form.locator("select").select_option(label="医院信息系统(HIS)")
    form.locator("input[type=file]").set_input_files(
        files=[{"name": "急诊.csv", "mimeType": "text/csv", "buffer": LOG.encode()}]
    )
    with page.expect_navigation():
        page.get_by_test_id("submit").click()

    mapping = page.get_by_test_id("mapping")
    for field, column in (("encounter", "visit"), ("event", "what"), ("timestamp", "when"),
                          ("unit", "hospital"), ("department", "dept")):  # fmt: skip
        mapping.locator(f"select[name={field}]").select_option(column)
    with page.expect_navigation():
        page.get_by_test_id("start").click()

    job = page.get_by_test_id("job")
    expect(job).to_have_attribute("data-status", "done", timeout=15000)
    expect(page.get_by_test_id("job-result")).to_contain_text("4")
    with page.expect_navigation():
        page.get_by_test_id("see-compliance").click()

    expect(page.get_by_test_id("chart")).to_have_attribute("data-ready", "1")
    expect(page.locator(".servicetimes-chart canvas")).to_have_count(1)
    row = page.get_by_test_id("results").locator("tr", has_text="急诊病人到院后医护人员处置")
    expect(row).to_contain_text("50.00%")
    with page.expect_navigation():
        row.get_by_role("link").first.click()
    late = page.get_by_test_id("case").filter(has_text="E2")
    expect(late).to_contain_text("6.5")
    expect(late).to_contain_text("超时")
