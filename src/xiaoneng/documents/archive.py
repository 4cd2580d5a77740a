"""Campaign archives (资料归档, seeds: 档案完整): one .zip per campaign, built as a job —
the issued documents (PDF), the submissions with their files, the ledger (.xlsx), inspection
findings, evaluation consequences and accountability decisions, each read through the source
app's scoped selectors (the reader sees only what they may), an index (目录) in .xlsx and PDF,
and a SHA-256 manifest (SHA256SUMS.txt, ``sha256sum -c`` compatible) of every other file."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.accountability import selectors as accountability
from xiaoneng.campaigns import selectors as campaigns
from xiaoneng.core import audit, clock
from xiaoneng.core import spreadsheet as xlsx
from xiaoneng.core.files import EXTENSIONS, store_bytes
from xiaoneng.core.models import Job, User
from xiaoneng.core.services.base import require
from xiaoneng.evaluations import selectors as evaluations
from xiaoneng.inspections import selectors as inspections
from xiaoneng.rectification import excel as ledger_excel

from . import selectors, sources
from .content import Content, Paragraph, content_of
from .render_pdf import render_pdf
from .vocab import ARCHIVE_KIND, DocumentStatus

MANIFEST = "SHA256SUMS.txt"
MAX_BYTES = 1024 * 1024 * 1024


@dataclass
class Entry:
    path: str
    data: bytes
    what: str


def _safe(name: str) -> str:
    keep = "".join(c if c not in '\\/:*?"<>|\0' else "_" for c in name).strip(" .")
    return keep[:80] or "file"


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _documents(actor, campaign) -> list[Entry]:
    out = []
    docs = selectors.documents_for(actor).filter(campaign=campaign, status=DocumentStatus.ISSUED)
    for doc in docs.order_by("signed_at", "pk"):
        name = _safe(f"{doc.number}-{doc.title}")
        out.append(Entry(f"01公文/{name}.pdf", render_pdf(content_of(doc)), _("Official document")))
    return out


def _submissions(actor, campaign) -> list[Entry]:
    out = []
    subs = (
        campaigns.submissions_for(actor)
        .filter(requirement__campaign=campaign, submitted_at__isnull=False)
        .select_related("unit", "requirement")
        .prefetch_related("files")
        .order_by("unit__name", "due_on", "pk")
    )
    for sub in subs:
        folder = f"02报送材料/{_safe(sub.unit.name)}/{sub.pk}-{_safe(str(sub.requirement))}"
        text = (
            f"{sub.requirement}\n{sub.unit.name}\n"
            f"{_('Due')}: {sub.due_on}\n{_('Status')}: {sub.get_status_display()}\n"
            f"{_('Submitted at')}: {_local(sub.submitted_at)}\n\n{sub.text}\n"
        )
        out.append(Entry(f"{folder}/说明.txt", text.encode("utf-8"), _("Submission")))
        for f in sub.files.all():
            with f.file.open("rb") as fh:
                data = fh.read()
            ext = EXTENSIONS.get(f.content_type, ".bin")
            stem = _safe(f.name.rsplit(".", 1)[0])
            out.append(Entry(f"{folder}/{f.pk}-{stem}{ext}", data, _("Submission file")))
    return out


def _ledger(actor, campaign) -> Entry:
    items = sources.campaign_items(actor, campaign)
    data, _count = ledger_excel.build_workbook_bytes(ledger_excel.export_rows(items))
    return Entry("03整改台账.xlsx", data, _("Rectification ledger"))


def _findings(actor, campaign) -> Entry:
    rows = [
        [f.visit.plan.name if f.visit.plan_id else "", f.unit.name, f.get_severity_display(),
         f.title, f.description, _local(f.visit.visited_at)]
        for f in inspections.findings_for(actor)
        .filter(visit__plan__campaign=campaign)
        .select_related("unit", "visit", "visit__plan")
        .order_by("unit__name", "pk")
    ]  # fmt: skip
    sheet = xlsx.Sheet(
        "督查发现", ["检查计划", "单位", "严重程度", "问题", "描述", "检查时间"], rows
    )
    return Entry("04督查发现.xlsx", xlsx.write_workbook([sheet])[0], _("Inspection findings"))


def _consequences(actor, campaign) -> Entry:
    qs = (
        evaluations.consequences_for(actor)
        .filter(unit__in=campaign.units.all(), round__ends_on__gte=campaign.starts_on,
                round__starts_on__lte=campaign.ends_on)
        .select_related("round", "unit", "person")
        .order_by("round__starts_on", "unit__name", "pk")
    )  # fmt: skip
    rows = [
        [c.round.title, c.unit.name, c.person.name if c.person_id else "",
         c.get_measure_display(), c.reason, c.get_status_display()]
        for c in qs
    ]  # fmt: skip
    sheet = xlsx.Sheet("评议结果运用", ["评议", "单位", "人员", "措施", "事由", "状态"], rows)
    return Entry("05评议结果.xlsx", xlsx.write_workbook([sheet])[0], _("Evaluation results"))


def _decisions(actor, campaign) -> Entry:
    cases = (
        accountability.cases_for(actor)
        .filter(unit__in=campaign.units.all(), created_at__date__gte=campaign.starts_on,
                created_at__date__lte=campaign.ends_on)
        .select_related("unit")
        .prefetch_related("subjects__measure")
        .order_by("created_at", "pk")
    )  # fmt: skip
    rows = [
        [case.number, case.title, case.unit.name, case.get_status_display(), s.name,
         s.position, s.measure.name if s.measure else ""]
        for case in cases
        for s in case.subjects.all()
    ]  # fmt: skip
    sheet = xlsx.Sheet(
        "问责决定", ["案件编号", "案件", "单位", "状态", "对象", "职务", "处理措施"], rows
    )
    return Entry("06问责决定.xlsx", xlsx.write_workbook([sheet])[0], _("Accountability decisions"))


def _index(campaign, entries: list[Entry]) -> list[Entry]:
    """目录: every file with its kind, size and SHA-256, as .xlsx and as a PDF page."""
    rows = [
        [str(n), e.path, e.what, str(len(e.data)), hashlib.sha256(e.data).hexdigest()]
        for n, e in enumerate(entries, 1)
    ]
    sheet = xlsx.Sheet(
        "目录", ["序号", "文件", "类别", "字节", "SHA-256"], rows, title=f"{campaign.name}档案目录"
    )
    pdf = render_pdf(
        Content(
            mark="",
            number="",
            title=f"{campaign.name}档案目录",
            addressee="",
            paragraphs=[Paragraph(f"{r[0]}. {r[1]}（{r[2]}）") for r in rows],
            date=timezone.localtime(clock.now()).strftime("%Y年%-m月%-d日"),
        )
    )
    return [
        Entry("00目录.xlsx", xlsx.write_workbook([sheet])[0], _("Index")),
        Entry("00目录.pdf", pdf, _("Index")),
    ]


def build_archive(
    actor: User, campaign, *, on_step: Callable[[int, int], None] | None = None
) -> tuple[bytes, int]:
    """The zip of the campaign as the actor may see it; returns (bytes, number of files)."""
    steps: list[Callable[[], list[Entry]]] = [
        lambda: _documents(actor, campaign),
        lambda: _submissions(actor, campaign),
        lambda: [_ledger(actor, campaign)],
        lambda: [_findings(actor, campaign)],
        lambda: [_consequences(actor, campaign)],
        lambda: [_decisions(actor, campaign)],
    ]
    entries: list[Entry] = []
    for n, step in enumerate(steps, 1):
        entries.extend(step())
        if on_step:
            on_step(n, len(steps) + 1)
    entries = _index(campaign, entries) + entries
    manifest = "".join(f"{hashlib.sha256(e.data).hexdigest()}  {e.path}\n" for e in entries)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for e in entries:
            zf.writestr(e.path, e.data)
        zf.writestr(MANIFEST, manifest.encode("utf-8"))
    if on_step:
        on_step(len(steps) + 1, len(steps) + 1)
    return out.getvalue(), len(entries)


@transaction.atomic
def archive_start(*, actor: User, campaign) -> Job:
    """Queue the archive job of a campaign the actor may see."""
    require(actor, "document.draft")
    campaign = campaigns.get_campaign(actor, campaign.pk)
    job = Job.objects.create(
        kind=ARCHIVE_KIND,
        params={"campaign": campaign.pk},
        total=7,
        created_by=actor,
        created_at=clock.now(),
    )
    audit.record("create", job, after={"campaign": campaign.pk}, actor=actor)
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from .tasks import run_archive_job

    run_archive_job(job_id)


def run_job(job_id: int) -> Job | None:
    """Build a queued archive (task worker, or the CLI); claims the job with a conditional
    UPDATE so two workers never build it twice."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING
    )
    if not claimed:
        return None
    job = Job.objects.select_related("created_by").get(pk=job_id)
    try:
        campaign = campaigns.get_campaign(job.created_by, job.params["campaign"])

        def step(done: int, total: int) -> None:
            Job.objects.filter(pk=job.pk).update(done=done, total=total)

        data, count = build_archive(job.created_by, campaign, on_step=step)
        stamp = timezone.localtime(clock.now()).strftime("%Y%m%d-%H%M")
        stored = store_bytes(
            data=data,
            name=f"{_safe(campaign.name)}-档案-{stamp}.zip",
            actor=job.created_by,
            allowed={"application/zip"},
            max_size=MAX_BYTES,
        )
    except Exception as exc:  # the job records the failure; the worker keeps running
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED,
            errors=[{"row": 0, "column": "", "message": str(exc)[:500]}],
            finished_at=clock.now(),
        )
        raise
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.DONE,
        done=7,
        total=7,
        output_file=stored,
        result={"files": count, "sha256": stored.sha256, "campaign": campaign.pk},
        finished_at=clock.now(),
    )
    job.refresh_from_db()
    return job
