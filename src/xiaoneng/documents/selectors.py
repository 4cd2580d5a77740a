"""Scoped reads of official documents: the issuing unit's scope (or the author), plus issued
documents addressed to a unit in the reader's scope. Out of scope is 404."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from xiaoneng.core.models import Job
from xiaoneng.core.scope import scoped
from xiaoneng.core.selectors import units_for

from .models import Document, DocumentTemplate
from .vocab import ARCHIVE_KIND, DocumentStatus

PERMS = ("document.draft", "document.review", "document.sign")


def may_work(user) -> bool:
    return any(user.has_permission(p) for p in PERMS)


def documents_for(user) -> QuerySet[Document]:
    received = Q(status=DocumentStatus.ISSUED, recipients__in=units_for(user))
    own = Q(pk__in=scoped(user, Document).values("pk")) if may_work(user) else Q(pk__in=[])
    return (
        Document.objects.filter(own | received)
        .distinct()
        .select_related("unit", "template", "signed_by", "corrects")
    )


def _one(qs: QuerySet, pk):
    found = qs.filter(pk=pk).first() if str(pk).isascii() and str(pk).isdigit() else None
    if found is None:
        raise Http404
    return found


def get_document(user, pk) -> Document:
    return _one(documents_for(user), pk)


def public_documents() -> QuerySet[Document]:
    return Document.objects.filter(status=DocumentStatus.ISSUED, public=True).order_by(
        "-signed_at", "-pk"
    )


def templates_for(user) -> QuerySet[DocumentTemplate]:
    if not user.has_permission("document.draft"):
        return DocumentTemplate.objects.none()
    return DocumentTemplate.objects.filter(active=True).order_by("kind", "code")


def archives_for(user) -> QuerySet[Job]:
    """The archive jobs the user started (the zip is readable by its owner)."""
    return Job.objects.filter(kind=ARCHIVE_KIND, created_by=user).select_related("output_file")


def get_archive(user, pk) -> Job:
    return _one(archives_for(user), pk)
