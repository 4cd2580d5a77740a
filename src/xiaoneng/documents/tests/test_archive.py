"""The campaign archive: one .zip with the issued documents, submissions with their files,
the ledger, an index in .xlsx and PDF, and a SHA-256 manifest that matches every file."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile

import pytest
from django.core.management import call_command

from xiaoneng.campaigns.models import Submission
from xiaoneng.campaigns.services.submissions import submission_submit
from xiaoneng.core import clock, spreadsheet
from xiaoneng.core.files import store_bytes
from xiaoneng.core.models import Job
from xiaoneng.documents import archive
from xiaoneng.documents.vocab import ARCHIVE_KIND

from .conftest import at, issue

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def submitted(org, campaign):
    sub = Submission.objects.filter(requirement__campaign=campaign, unit=org.unit_a).first()
    stored = store_bytes(data=PDF, name="自查报告.pdf", actor=org.bob)
    with clock.frozen_now(at(dt.date(2026, 3, 10))):
        submission_submit(actor=org.bob, submission=sub, text="已完成自查", files=[stored])
    return sub


def _open(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


@pytest.mark.django_db
def test_the_manifest_matches_every_file(org, campaign, notice, submitted, tmp_path):
    with clock.frozen_now(at(dt.date(2026, 3, 20))):
        issue(org, notice)
        out = tmp_path / "archive.zip"
        call_command("archive", campaign=campaign.pk, user="alice", out=str(out))
    zf = _open(out.read_bytes())
    names = set(zf.namelist())
    manifest = zf.read(archive.MANIFEST).decode("utf-8").splitlines()
    listed = {}
    for line in manifest:
        digest, path = line.split("  ", 1)
        listed[path] = digest
    assert set(listed) == names - {archive.MANIFEST}
    for path, digest in listed.items():
        assert hashlib.sha256(zf.read(path)).hexdigest() == digest, path
    pdfs = [n for n in names if n.startswith("01公文/")]
    assert pdfs == [f"01公文/测卫效〔2026〕1号-{notice.title}.pdf"]
    assert zf.read(pdfs[0]).startswith(b"%PDF")
    files = [n for n in names if n.startswith("02报送材料/") and n.endswith(".pdf")]
    assert len(files) == 1 and zf.read(files[0]) == PDF
    assert {"00目录.xlsx", "00目录.pdf", "03整改台账.xlsx", "04督查发现.xlsx"} <= names
    index = spreadsheet.read_xlsx(zf.read("00目录.xlsx"))
    listed_in_index = {row[1] for row in index if row and row[0] and str(row[0]).isdigit()}
    assert set(pdfs) | set(files) <= listed_in_index
    job = Job.objects.get(kind=ARCHIVE_KIND)
    assert (
        job.status == Job.Status.DONE
        and job.output_file.sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
    )


@pytest.mark.django_db
def test_an_archive_holds_only_what_its_builder_may_see(org, campaign, notice, submitted):
    """A unit-scoped reader's archive leaves out drafts and other units' submissions."""
    data, _n = archive.build_archive(org.carol, campaign)
    names = _open(data).namelist()
    assert not [n for n in names if n.startswith("01公文/")]  # the notice is still a draft
    assert not [n for n in names if "甲医院" in n]  # unit A's submissions and file
    assert "03整改台账.xlsx" in names and "SHA256SUMS.txt" in names
