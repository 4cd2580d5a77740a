"""The public site on a phone (390×844): a visitor finds a unit's approved 院务公开 page and the
leaders' reception roster from the portal's navigation (issue 20)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from xiaoneng.openness.tests.helpers import disclosure, reception

pytestmark = pytest.mark.browser


def test_a_visitor_reads_a_units_disclosure_page_and_the_roster(phone_page, org):
    disclosure(org, approved=True)
    reception(org)
    page = phone_page
    page.goto("/public/")
    page.get_by_test_id("nav-openness").click()
    page.get_by_role("link", name=org.unit_a.name).click()
    article = page.get_by_test_id("public-disclosure")
    expect(article.get_by_test_id("section-standard")).to_contain_text("排队不超过15分钟")
    expect(article.get_by_test_id("section-price")).to_contain_text("普通门诊诊查费")
    expect(article.get_by_test_id("section-price")).to_contain_text("10.00")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px screen"
    page.get_by_test_id("nav-reception").click()
    roster = page.get_by_test_id("public-roster")
    expect(roster).to_contain_text(org.unit_a.principal.name)
    expect(roster).to_contain_text("门诊楼三楼接待室")
