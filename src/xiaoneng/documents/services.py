"""Writes on official documents: draft from a template and its source record, edit, the issue
flow (拟稿 → 审核 → 领导签发 → 印发), corrections and template revisions.

GB/T 9704-2012 and 《党政机关公文处理工作条例》: a document is numbered when it is signed and
issued (per issuing unit, kind and year, without gaps); an issued document is never changed —
a correction is a new document that references it."""

from __future__ import annotations

import string
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit, clock
from xiaoneng.core.errors import Conflict, Forbidden
from xiaoneng.core.models import Unit, User
from xiaoneng.core.notify import outbox_deliver
from xiaoneng.core.numbering import next_value
from xiaoneng.core.services.base import apply_changes, fail, require, transition, unit_admins

from . import sources
from .models import Document, DocumentTemplate, Letterhead
from .vocab import DocumentStatus
from .workflow import DOCUMENT, DRAFT, REVIEW, SIGN

EDITABLE = {
    "title",
    "addressee",
    "body",
    "attachments",
    "signature",
    "cc",
    "printed_by",
    "public",
    "mark",
}
LIMITS = {"title": 300, "addressee": 300, "signature": 100, "cc": 300, "printed_by": 100}


class _Keep(dict):
    """Placeholders the source does not know stay as written ({name}) for the author to fill."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill_text(text: str, context: dict[str, str]) -> str:
    """``{name}`` placeholders filled from the source; braces that are not a simple name
    (``{0}``, ``{a.b}``, a lone ``{``) are left as written — never Python formatting."""
    out = []
    for literal, name, spec, conv in string.Formatter().parse(
        text.replace("{{", "\0").replace("}}", "\1")
    ):
        out.append(literal)
        if name is None:
            continue
        if name.isidentifier() and not spec and not conv:
            out.append(_Keep(context)[name])
        else:
            out.append(
                "{" + name + (f"!{conv}" if conv else "") + (f":{spec}" if spec else "") + "}"
            )
    return "".join(out).replace("\0", "{").replace("\1", "}")


def safe_fill(text: str, context: dict[str, str]) -> str:
    try:
        return fill_text(text, context)
    except ValueError:  # unbalanced braces: the office's text is kept as it is
        return text


def letterhead_of(unit: Unit) -> tuple[str, str, str]:
    """(发文机关标志, 发文字号 prefix, 署名) of the unit; defaults from its name."""
    head = Letterhead.objects.filter(unit=unit).first()
    if head is not None:
        return head.mark, head.prefix, head.seal_name or unit.name
    return f"{unit.name}文件", unit.short_name or unit.name[:4], unit.name


def _check(fields: dict[str, Any], errors: dict[str, list[str]]) -> None:
    for name, limit in LIMITS.items():
        if len(str(fields.get(name, ""))) > limit:
            errors[name] = [_("At most %(n)d characters.") % {"n": limit}]
    if "title" in fields and not str(fields["title"]).strip():
        errors["title"] = [_("This field is required.")]
    if "body" in fields and not str(fields["body"]).strip():
        errors["body"] = [_("This field is required.")]


@transaction.atomic
def document_draft(
    *,
    actor: User,
    template: DocumentTemplate,
    unit: Unit,
    source_ref: str = "",
    corrects: Document | None = None,
    campaign: Any = None,
) -> Document:
    """A draft filled from the template and its source record (read in the actor's scope);
    ``campaign`` files it under a campaign (for its archive) when the source names none."""
    require(actor, DRAFT)
    if not template.active:
        fail({"template": [_("This template version is no longer in use.")]})
    filled = sources.fill(template.source, actor, source_ref) if template.source else None
    context = filled.context if filled else {}
    mark, _prefix, signature = letterhead_of(unit)
    now = clock.now()
    doc = Document.objects.create(
        kind=template.kind,
        template=template,
        unit=unit,
        campaign=(filled.campaign if filled else None) or campaign,
        source=template.source,
        source_ref=str(source_ref)[:60],
        mark=mark,
        title=safe_fill(template.title, context)[:300],
        addressee=safe_fill(template.addressee, context)[:300],
        body=safe_fill(template.body, context),
        attachments=safe_fill(template.attachments, context),
        signature=signature[:100],
        cc=safe_fill(template.cc, context)[:300],
        printed_by=f"{unit.name}办公室"[:100],
        corrects=corrects,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    if filled:
        doc.recipients.set(filled.recipients)
    audit.record("create", doc, after=audit.snapshot(doc), actor=actor)
    return doc


def _editable(actor: User, document: Document) -> None:
    if document.status == DocumentStatus.ISSUED:
        raise Conflict(
            _("An issued document cannot be changed; draft a correction that references it.")
        )
    if document.status == DocumentStatus.SIGNOFF:
        raise Conflict(_("The document awaits sign-off; send it back to change it."))
    require(actor, REVIEW if document.status == DocumentStatus.REVIEW else DRAFT)


@transaction.atomic
def document_update(
    *, actor: User, document: Document, recipients: list[Unit] | None = None, **changes
) -> Document:
    """Edit a draft (the drafter) or a document in review (the reviewer)."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    _editable(actor, document)
    errors: dict[str, list[str]] = {}
    _check(changes, errors)
    fail(errors)
    before = audit.snapshot(document)
    changed = apply_changes(document, changes, allowed=EDITABLE)
    if changed:
        document.updated_at = clock.now()
        document.save(update_fields=[*changed, "updated_at"])
    if recipients is not None:
        document.recipients.set(recipients)
    b, a = audit.diff(before, audit.snapshot(document))
    if b or a or recipients is not None:
        audit.record("update", document, before=b, after=a, actor=actor)
    return document


@transaction.atomic
def document_refill(*, actor: User, document: Document) -> Document:
    """Fill the draft again from the template and today's figures of its source record (the
    author's edits to the body are replaced)."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    _editable(actor, document)
    if not document.source:
        return document
    filled = sources.fill(document.source, actor, document.source_ref)
    t = document.template
    return document_update(
        actor=actor,
        document=document,
        title=safe_fill(t.title, filled.context)[:300],
        body=safe_fill(t.body, filled.context),
        attachments=safe_fill(t.attachments, filled.context),
    )


def _move(document: Document, name: str, actor: User, *, reason: str = "", **changes) -> Document:
    transition(
        DOCUMENT, document, name, actor=actor, reason=reason, updated_at=clock.now(), **changes
    )
    return document


@transaction.atomic
def document_submit(*, actor: User, document: Document) -> Document:
    require(actor, DRAFT)
    return _move(document, "submit", actor, return_reason="")


@transaction.atomic
def document_approve(*, actor: User, document: Document) -> Document:
    """审核: the office checks the draft and passes it to a leader to sign."""
    require(actor, REVIEW)
    return _move(document, "review", actor, reviewed_by=actor)


def _require_signer(actor: User) -> None:
    # Leaders' role is read-only; signing a document is a write it grants (like bulletins).
    if actor is None or not actor.has_permission(SIGN):
        raise Forbidden(_("You do not have permission to do this."))


@transaction.atomic
def document_send_back(*, actor: User, document: Document, reason: str) -> Document:
    if document.status == DocumentStatus.SIGNOFF:
        _require_signer(actor)
    else:
        require(actor, REVIEW)
    reason = (reason or "").strip()
    if not reason:
        fail({"reason": [_("Say why the document goes back.")]})
    return _move(document, "send_back", actor, reason=reason[:500], return_reason=reason[:2000])


def number_key(document: Document) -> str:
    return f"documents:{document.unit_id}:{document.kind}"


@transaction.atomic
def document_sign(*, actor: User, document: Document) -> Document:
    """领导签发: the leader signs; the document takes the next number of its unit, kind and
    year (gap-free: a failed issue gives the number back), is dated and issued."""
    _require_signer(actor)
    DOCUMENT.target(document, "sign_off")
    today = timezone.localtime(clock.now()).date()
    seq = next_value(number_key(document), today.year)
    _mark, prefix, _sig = letterhead_of(document.unit)
    number = safe_fill(
        document.template.number_format,
        {"prefix": prefix, "year": str(today.year), "seq": str(seq)},
    )
    if (
        Document.objects.filter(unit=document.unit, number=number, status=DocumentStatus.ISSUED)
        .exclude(kind=document.kind)
        .exists()
    ):
        raise Conflict(
            _(
                "The number %(number)s is taken by another kind of document; give this "
                "template its own number series."
            )
            % {"number": number}
        )
    _move(
        document,
        "sign_off",
        actor,
        year=today.year,
        sequence=seq,
        number=number[:60],
        dated=today,
        signed_by=actor,
        signed_at=clock.now(),
    )
    _deliver(document)
    return document


def _deliver(document: Document) -> None:
    """The issued document reaches the recipient units' inboxes (through the outbox)."""
    users: dict[int, User] = {}
    for unit in document.recipients.all():
        for user in unit_admins(unit, permission="document.receive"):
            users[user.pk] = user
    if document.created_by_id and document.created_by:
        users.setdefault(document.created_by.pk, document.created_by)
    if not users:
        return
    outbox_deliver(
        list(users.values()),
        title=_("Official document issued: %(number)s %(title)s")
        % {"number": document.number, "title": document.title},
        body=document.title,
        link=reverse("documents:detail", args=[document.pk]),
        kind="document.issued",
        dedup_key=f"document-issued:{document.pk}",
    )


@transaction.atomic
def document_correct(*, actor: User, document: Document) -> Document:
    """A correction of an issued document: a new draft with the same text that names it."""
    if document.status != DocumentStatus.ISSUED:
        raise Conflict(_("Only an issued document is corrected by a new one; edit the draft."))
    require(actor, DRAFT)
    now = clock.now()
    doc = Document.objects.create(
        kind=document.kind,
        template=document.template,
        unit=document.unit,
        campaign=document.campaign,
        source=document.source,
        source_ref=document.source_ref,
        mark=document.mark,
        title=document.title,
        addressee=document.addressee,
        body=document.body,
        attachments=document.attachments,
        signature=document.signature,
        cc=document.cc,
        printed_by=document.printed_by,
        public=document.public,
        corrects=document,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    doc.recipients.set(document.recipients.all())
    audit.record("create", doc, after=audit.snapshot(doc), actor=actor, reason=document.number)
    return doc


TEMPLATE_FIELDS = {
    "name",
    "source",
    "title",
    "addressee",
    "body",
    "attachments",
    "cc",
    "number_format",
    "chinese_date",
}


@transaction.atomic
def template_revise(*, actor: User, template: DocumentTemplate, **changes) -> DocumentTemplate:
    """A template is revised as a new version; the old one is kept (inactive) for the
    documents drafted from it."""
    require(actor, DRAFT)
    unknown = set(changes) - TEMPLATE_FIELDS
    if unknown:
        fail({f: [_("This field cannot be changed here.")] for f in sorted(unknown)})
    if "source" in changes and changes["source"] and changes["source"] not in sources.SOURCES:
        fail({"source": [_("Unknown source record.")]})
    current = DocumentTemplate.objects.select_for_update().get(pk=template.pk)
    if not current.active:
        raise Conflict(_("Only the current version of a template can be revised."))
    latest = DocumentTemplate.objects.filter(code=current.code).order_by("-version").first()
    fields = {f: getattr(current, f) for f in TEMPLATE_FIELDS} | changes
    DocumentTemplate.objects.filter(code=current.code, active=True).update(active=False)
    new = DocumentTemplate.objects.create(
        code=current.code,
        kind=current.kind,
        version=(latest.version if latest else 0) + 1,
        active=True,
        updated_by=actor,
        updated_at=clock.now(),
        **fields,
    )
    audit.record(
        "create", new, after=audit.snapshot(new), actor=actor, reason=f"v{current.version}"
    )
    return new
