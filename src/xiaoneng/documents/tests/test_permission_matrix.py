"""Every documents page and endpoint as anonymous, office, unit A and unit B: a draft is the
office's own; an issued document reaches the units it is addressed to (unit A) and is a 404
to the others (unit B); archives belong to whoever built them; public documents are public."""

from __future__ import annotations

import io
import zipfile

from django.utils import timezone

from xiaoneng.campaigns import services as campaign_services
from xiaoneng.campaigns.models import CampaignTemplate
from xiaoneng.core import testing_matrix as m
from xiaoneng.core.files import store_bytes
from xiaoneng.core.models import Job
from xiaoneng.documents import services
from xiaoneng.documents.models import DocumentTemplate
from xiaoneng.documents.vocab import ARCHIVE_KIND

OF, A, B = m.OFFICE, m.UNIT_A, m.UNIT_B
HIDDEN = {OF: 200, A: 404, B: 404}
HIDDEN_POST = {OF: m.FOUND, A: 404, B: 404}
ONLY_OFFICE = m.permitted(OF, denied=404)


def plain(w):
    return w.once("plain", lambda: DocumentTemplate.objects.create(
        code="plain", kind="notice", source="", name="测试", title="测试通知", body="正文。",
        updated_at=timezone.now()))  # fmt: skip


def draft(w):
    return w.once("draft", lambda: services.document_draft(
        actor=w.org.alice, template=plain(w), unit=w.org.bureau))  # fmt: skip


def _issued(w, *, public: bool):
    doc = services.document_draft(actor=w.org.alice, template=plain(w), unit=w.org.bureau)
    services.document_update(actor=w.org.alice, document=doc, recipients=[w.org.unit_a],
                             public=public)  # fmt: skip
    services.document_submit(actor=w.org.alice, document=doc)
    services.document_approve(actor=w.org.alice, document=doc)
    return services.document_sign(actor=w.org.leader, document=doc)


def issued(w):
    return w.once("issued", lambda: _issued(w, public=False))


def public(w):
    return w.once("public", lambda: _issued(w, public=True))


def campaign(w):
    def make():
        return campaign_services.campaign_create_from_template(
            actor=w.org.alice, template=CampaignTemplate.objects.get(code="zuofeng-zhengdun"),
            year=2026, issuing_unit=w.org.bureau)  # fmt: skip

    return w.once("campaign", make)


def job(w):
    def make():
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as zf:
            zf.writestr("SHA256SUMS.txt", "")
        stored = store_bytes(data=out.getvalue(), name="档案.zip", actor=w.org.alice,
                             allowed={"application/zip"})  # fmt: skip
        return Job.objects.create(kind=ARCHIVE_KIND, status="done", output_file=stored,
                                  created_by=w.org.alice, created_at=timezone.now(),
                                  params={"campaign": 0})  # fmt: skip

    return w.once("job", make)


def pk(make):
    return lambda w: {"pk": make(w).pk}


def act(make, action):
    return lambda w: {"pk": make(w).pk, "action": action}


ROWS = [
    m.Row("documents:list", m.everyone()),
    m.Row("documents:new", ONLY_OFFICE),
    m.Row("documents:detail", HIDDEN, kwargs=pk(draft)),
    m.Row("documents:detail", m.scoped(), kwargs=pk(issued), label="issued"),
    m.Row("documents:edit", HIDDEN, kwargs=pk(draft)),
    m.Row("documents:docx", m.scoped(), kwargs=pk(issued)),
    m.Row("documents:pdf", m.scoped(), kwargs=pk(issued)),
    m.Row("documents:action", HIDDEN_POST, kwargs=act(draft, "submit"), method="post"),
    m.Row("documents:templates", ONLY_OFFICE),
    m.Row("documents:template", ONLY_OFFICE, kwargs=lambda w: {"pk": plain(w).pk}),
    m.Row(
        "documents:template",
        {OF: 302, A: 404, B: 404},
        kwargs=lambda w: {"pk": plain(w).pk},
        method="post",
        data={"name": "改", "title": "改", "body": "改", "number_format": "{seq}"},
        label="revise",
    ),  # fmt: skip
    m.Row("documents:archives", ONLY_OFFICE),
    m.Row("documents:archive-download", HIDDEN, kwargs=pk(job)),
    m.Row("public_documents:list", m.everyone(**{m.ANONYMOUS: 200}), public=True),
    m.Row(
        "public_documents:pdf", m.everyone(**{m.ANONYMOUS: 200}), public=True, kwargs=pk(public)
    ),  # fmt: skip
    m.Row(
        "public_documents:pdf",
        {m.ANONYMOUS: 404, **m.everyone(404)},
        public=True,
        kwargs=pk(issued),
        label="not public",
    ),  # fmt: skip
    # API
    m.Row("api-document-list", m.everyone()),
    m.Row(
        "api-document-list",
        {OF: 201, A: 403, B: 403},
        method="post",
        data=lambda w: {"template": plain(w).pk, "unit": w.org.bureau.pk},
        label="create",
    ),  # fmt: skip
    m.Row("api-document-detail", HIDDEN, kwargs=pk(draft)),
    m.Row("api-document-detail", m.scoped(), kwargs=pk(issued), label="issued"),
    m.Row(
        "api-document-detail",
        {OF: 409, A: 409, B: 404},
        kwargs=pk(issued),
        method="patch",
        data={"title": "改标题"},
        label="edit issued",
    ),  # fmt: skip
    m.Row(
        "api-document-detail",
        {OF: 200, A: 404, B: 404},
        kwargs=pk(draft),
        method="patch",
        data={"title": "改标题"},
        label="edit draft",
    ),  # fmt: skip
    m.Row("api-document-render", HIDDEN_POST, kwargs=pk(draft), method="post"),
    m.Row("api-document-submit", HIDDEN_POST, kwargs=pk(draft), method="post"),
    m.Row("api-document-approve", HIDDEN_POST, kwargs=pk(draft), method="post"),
    m.Row(
        "api-document-send-back",
        HIDDEN_POST,
        kwargs=pk(draft),
        method="post",
        data={"reason": "退回"},
    ),  # fmt: skip
    m.Row("api-document-issue", {OF: 403, A: 404, B: 404}, kwargs=pk(draft), method="post"),
    m.Row("api-document-correct", {OF: 201, A: 403, B: 404}, kwargs=pk(issued), method="post"),
    m.Row("api-document-docx", m.scoped(), kwargs=pk(issued)),
    m.Row("api-document-pdf", m.scoped(), kwargs=pk(issued)),
    m.Row("api-archive-list", m.everyone()),
    m.Row(
        "api-archive-list",
        {OF: 202, A: 403, B: 403},
        method="post",
        data=lambda w: {"campaign": campaign(w).pk},
        label="create",
    ),  # fmt: skip
    m.Row("api-archive-detail", HIDDEN, kwargs=pk(job)),
    m.Row("api-archive-download", HIDDEN, kwargs=pk(job)),
]


@m.parametrize(ROWS)
def test_the_matrix(row, org):
    m.check(row, m.World(org))


def test_every_named_url_pattern_has_a_row(db):
    m.assert_complete("documents", ROWS)
