"""Setting a campaign up by hand in a real browser: the office opens 活动设置 for 作风整顿, adds
the leading group's 组长 from the org chart, moves the end of 分析检查阶段 by ten days, and the
自查报告 that 乙医院 still owes moves with it; 乙医院's admin finds the notice in the inbox."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from playwright.sync_api import expect

from xiaoneng.campaigns import services
from xiaoneng.campaigns.models import CampaignTemplate, Submission

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _campaign_templates(_reference_data):
    if not CampaignTemplate.objects.filter(code="zuofeng-zhengdun").exists():
        seed = importlib.import_module("xiaoneng.campaigns.migrations.0002_seed_templates")
        seed.seed(apps, None)


def test_the_office_redates_a_phase_and_the_unit_is_told(page, live_server, login, org):
    campaign = services.campaign_create_from_template(
        actor=org.alice,
        template=CampaignTemplate.objects.get(code="zuofeng-zhengdun"),
        year=2026,
        units=[org.unit_a, org.unit_b],
    )
    services.campaign_start(actor=org.alice, campaign=campaign)
    phase = campaign.phases.get(name="分析检查阶段")

    login(page, live_server, "alice")
    page.goto(live_server.url + reverse("campaigns:detail", args=[campaign.pk]))
    page.get_by_test_id("setup").click()

    group = page.get_by_test_id("group-campaign")
    group.locator("select[name$='-person']").select_option(label="李局（测试县卫生健康局）")
    group.locator("select[name$='-role']").select_option(label="组长")
    group.get_by_role("button", name="添加成员").click()
    expect(page.get_by_test_id("group-campaign")).to_contain_text("组长：李局")

    row = page.get_by_test_id(f"phase-{phase.order}")
    row.locator(f"input[name='phase-{phase.pk}-ends_on']").fill("2027-03-10")
    row.get_by_test_id(f"save-phase-{phase.order}").click()
    expect(page.locator(".alert-success")).to_be_visible()

    owed = Submission.objects.get(requirement__name="自查报告", unit=org.unit_b)
    assert owed.due_on == dt.date(2027, 3, 10)

    page.goto(live_server.url + reverse("campaigns:detail", args=[campaign.pk]))
    expect(page.get_by_test_id("leading-group").locator("..")).to_contain_text("组长：李局")

    page.context.clear_cookies()
    login(page, live_server, "carol")
    page.goto(live_server.url + reverse("inbox"))
    expect(page.get_by_text("【报送时间调整】", exact=False).first).to_be_visible()
