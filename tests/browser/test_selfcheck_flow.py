"""Self-inspection in a real browser: the office assigns 五查五看 to unit A, the unit admin
answers it with one problem and sees it completed, and the office sees the completion per
unit."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from xiaoneng.selfcheck.models import (
    ChecklistAnswer,
    ChecklistAssignment,
    ChecklistTemplate,
)

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _selfcheck_reference_data(_reference_data):
    """The live-server database is flushed between tests: put back the seeded checklists."""
    if not ChecklistTemplate.objects.filter(code="wucha-wukan").exists():
        seed = importlib.import_module(
            "xiaoneng.selfcheck.migrations.0002_seed_checklists_and_activities"
        )
        seed.seed(apps, None)


def zh(label) -> str:
    with translation.override("zh-hans"):
        return str(label)


def log_out(page) -> None:
    with page.expect_navigation():
        page.get_by_test_id("logout").click()


def test_a_unit_answers_its_checklist_and_the_office_sees_it_completed(
    page, live_server, org, login
):
    template = ChecklistTemplate.objects.get(code="wucha-wukan")
    items = list(template.items.order_by("number"))
    due = timezone.localdate() + dt.timedelta(days=14)

    # The office assigns 五查五看 to unit A from the assignments page.
    login(page, live_server, "alice")
    page.goto(reverse("selfcheck:assignments"))
    page.locator("#id_template").select_option(str(template.pk))
    page.locator("#id_units").select_option([str(org.unit_a.pk)])
    page.locator("#id_due_on").fill(due.isoformat())
    with page.expect_navigation():
        page.get_by_test_id("do-assign").click()
    expect(page.get_by_test_id("assignments")).to_contain_text("五查五看")
    assignment = ChecklistAssignment.objects.get(template=template, unit=org.unit_a)
    log_out(page)

    # The unit admin finds it among his checklists and answers: item 3 has a problem.
    login(page, live_server, "bob")
    page.goto(reverse("selfcheck:mine"))
    mine = page.get_by_test_id("my-checklists")
    expect(mine).to_contain_text("五查五看")
    with page.expect_navigation():
        mine.get_by_role("link").first.click()
    expect(page.get_by_test_id("status")).to_have_text(zh(ChecklistAssignment.Status.OPEN.label))
    for item in items:
        result = "problem" if item.number == 3 else "ok"
        page.locator(f"input[name='result-{item.pk}'][value='{result}']").check()
    page.locator(f"textarea[name='description-{items[2].pk}']").fill(
        "窗口人员推诿扯皮，群众多次往返"
    )
    with page.expect_navigation():
        page.get_by_test_id("do-answer").click()
    expect(page.get_by_test_id("status")).to_have_text(
        zh(ChecklistAssignment.Status.COMPLETED.label)
    )
    expect(page.get_by_test_id("item-3").locator("textarea")).to_have_value(
        "窗口人员推诿扯皮，群众多次往返"
    )
    assignment.refresh_from_db()
    assert assignment.status == ChecklistAssignment.Status.COMPLETED
    assert list(assignment.answers.values_list("result", flat=True)).count("problem") == 1
    problem = assignment.answers.get(result=ChecklistAnswer.Result.PROBLEM)
    assert problem.item == items[2]
    assert problem.issue_id is not None  # the problem is in the rectification ledger
    expect(page.get_by_test_id("item-3")).to_contain_text(f"#{problem.issue_id}")
    log_out(page)

    # The office sees unit A completed, unit B not assigned.
    login(page, live_server, "alice")
    page.goto(reverse("selfcheck:assignments"))
    completion = page.get_by_test_id("completion")
    row = page.get_by_test_id(f"completion-{org.unit_a.pk}")
    expect(row).to_contain_text(org.unit_a.name)
    expect(row).to_contain_text("1 / 1")
    expect(row).to_contain_text("100.0%")
    expect(completion).not_to_contain_text(org.unit_b.name)
