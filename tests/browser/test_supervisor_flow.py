"""A social supervisor on a phone (390×844): supervisor1 opens 报送问题 from the menu, files a
clue about 甲医院's registration window, and finds it in their list; the office turns it into a
complaint (channel 监督员) that 甲医院 answers; supervisor1 then reads the public outcome (已答复
and the answer) — and sees no other case: another supervisor's report is 404, and the staff
complaint pages stay closed to them."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from xiaoneng.complaints import services as complaint_services
from xiaoneng.complaints.models import Category, SlaPolicy
from xiaoneng.core import clock
from xiaoneng.supervision import services
from xiaoneng.supervision.models import Report
from xiaoneng.supervision.tests.conftest import supervisor_user

pytestmark = pytest.mark.browser

TITLE = "挂号窗口上午无人值守"
CONTENT = "上午九点左右2号挂号窗口无人，患者排队约二十分钟。"
ANSWER = "经核查情况属实，已对当班人员批评教育，高峰时段增开窗口。"
OTHER = "别人报送的住院部收费问题"


def fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px screen"


def test_a_supervisor_files_a_clue_on_a_phone_and_reads_its_public_outcome(
    phone_page, live_server, login, org
):
    SlaPolicy.objects.get_or_create(
        code="default",
        defaults={
            "name": "一般事项",
            "priority": 1000,
            "resolve_value": 7,
            "resolve_unit": "working_days",
        },
    )
    category = Category.objects.get_or_create(code="attitude-sup", defaults={"name": "服务态度"})[0]
    today = clock.now().date()
    me = supervisor_user(org, "supervisor1", "监督甲")
    other = supervisor_user(org, "supervisor2", "监督乙")
    for s in (me, other):  # terms around today, whatever day the test runs
        services.supervisor_reappoint(
            actor=org.alice,
            supervisor=services.supervisor_of(s),
            term_starts_on=today.replace(year=today.year - 1),
            term_ends_on=today.replace(year=today.year + 1),
        )
    theirs = services.report_file(
        actor=other, kind="clue", unit=org.unit_b, title=OTHER, content="收费员态度生硬"
    )

    page = phone_page
    login(page, live_server, "supervisor1")
    # the menu offers the supervisor's own page, not the staff complaint form
    page.goto(live_server.url + "/")
    report_link = page.locator(f"a[href='{reverse('supervision:mine')}']").first
    expect(report_link).to_have_count(1)
    page.goto(live_server.url + reverse("supervision:mine"))
    page.get_by_test_id("report-new").click()
    form = page.get_by_test_id("report-form")
    expect(form.get_by_label("问题线索")).to_be_checked()
    form.locator("select[name=unit]").select_option(label="甲医院")
    form.get_by_label("一句话概括").fill(TITLE)
    form.get_by_label("发现的情况").fill(CONTENT)
    form.get_by_label("地点（科室、窗口、病区）").fill("门诊大厅")
    fits_the_screen(page)
    page.get_by_test_id("report-submit").click()

    expect(page.get_by_test_id("outcome-label")).to_have_text("待效能办处理")
    fits_the_screen(page)
    mine = Report.objects.get(title=TITLE)
    assert mine.supervisor.person == me.person and mine.unit == org.unit_a

    # the office decides: a complaint with channel 监督员, which 甲医院 answers
    services.report_to_complaint(actor=org.alice, report=mine, category=category)
    mine.refresh_from_db()
    complaint = mine.complaint
    assert complaint.channel == "supervisor"
    complaint_services.complaint_accept(complaint=complaint, actor=org.alice)
    complaint_services.complaint_dispatch(complaint=complaint, actor=org.alice, unit=org.unit_a)
    complaint_services.complaint_sign(complaint=complaint, actor=org.bob)
    complaint_services.complaint_reply(complaint=complaint, actor=org.bob, content=ANSWER)

    page.reload()
    outcome = page.get_by_test_id("public-outcome")
    expect(page.get_by_test_id("outcome-label")).to_contain_text("已答复")
    expect(outcome).to_contain_text(ANSWER)
    expect(outcome).to_contain_text(complaint.number)
    expect(outcome).not_to_contain_text(org.bob.person.name)  # no handler's name

    page.goto(live_server.url + reverse("supervision:mine"))
    expect(page.get_by_test_id("my-report")).to_have_count(1)
    expect(page.get_by_test_id("my-report")).to_contain_text(TITLE)
    expect(page.get_by_test_id("my-reports")).not_to_contain_text(OTHER)
    fits_the_screen(page)

    # no other case: another supervisor's report is missing, staff pages are closed
    response = page.goto(live_server.url + reverse("supervision:report", args=[theirs.pk]))
    assert response.status == 404
    response = page.goto(live_server.url + reverse("complaints:detail", args=[complaint.pk]))
    assert response.status in (403, 404)
    response = page.goto(live_server.url + reverse("supervision:triage_list"))
    assert response.status == 403
