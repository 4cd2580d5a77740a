"""Decompression bombs (issue #21.6): every importer reads through core.spreadsheet, so every
importer refuses a workbook over the limits with the limit's message, and writes nothing."""

from __future__ import annotations

import pytest
from django.utils import translation

from xiaoneng.campaigns import excel as campaign_excel
from xiaoneng.campaigns import services as campaign_services
from xiaoneng.campaigns.models import CampaignTemplate
from xiaoneng.core import importing
from xiaoneng.core.errors import ValidationFailed
from xiaoneng.core.models import Unit
from xiaoneng.core.spreadsheet import Sheet, write_workbook
from xiaoneng.rectification import excel as ledger_excel
from xiaoneng.rectification.models import RectificationItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_limits(settings):
    settings.XLSX_MAX_ROWS = 50


def _many_rows(sheet: str, header) -> bytes:
    return write_workbook([Sheet(sheet, header, ([f"X{i}"] * len(header) for i in range(80)))])[0]


def test_the_org_import_refuses_a_file_over_the_limits(org, small_limits):
    data = _many_rows(importing.SHEET_UNITS, [c.header for c in importing.UNIT_COLUMNS])
    before = Unit.objects.count()
    with translation.override("zh-hans"):
        result = importing.import_org(actor=org.alice, data=data)
    assert not result.ok and "50" in str(result.errors[0]) and "行" in str(result.errors[0])
    assert Unit.objects.count() == before


def test_the_ledger_import_refuses_a_file_over_the_limits(org, small_limits):
    data = _many_rows(ledger_excel.SHEET_TITLE, ledger_excel.HEADERS)
    with translation.override("zh-hans"):
        _result, errors = ledger_excel.import_bytes(actor=org.alice, data=data)
    assert len(errors) == 1 and "50" in errors[0].message and "行" in errors[0].message
    assert not RectificationItem.objects.exists()


def test_the_campaign_target_import_refuses_a_file_over_the_limits(org, small_limits):
    campaign = campaign_services.campaign_create_from_template(
        actor=org.alice,
        template=CampaignTemplate.objects.get(code="wenming-chengshi"),
        year=2026,
        units=[org.unit_a],
    )
    data = _many_rows("目标分解表", [h for h, _a in campaign_excel.TARGET_COLUMNS])
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as refused:
        campaign_excel.targets_import(actor=org.alice, campaign=campaign, data=data)
    assert "50" in refused.value.errors["file"][0] and "行" in refused.value.errors["file"][0]
