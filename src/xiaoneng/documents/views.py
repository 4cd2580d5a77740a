"""Staff pages of official documents (公文) and campaign archives (档案)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.core.files import download_response
from xiaoneng.core.htmlerrors import service_call, service_errors

from . import archive, forms, selectors, services, sources
from .content import content_of
from .downloads import DOCX, _file, file_name
from .models import Document, DocumentTemplate
from .render_docx import render_docx
from .render_pdf import render_pdf
from .vocab import DocumentStatus
from .workflow import DOCUMENT


def _crumbs(*rest) -> list:
    return [(_("Official documents"), reverse("documents:list")), *rest]


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    qs = selectors.documents_for(user)
    status = request.GET.get("status", "")
    if status in DocumentStatus.values:
        qs = qs.filter(status=status)
    kind = request.GET.get("kind", "")
    if kind:
        qs = qs.filter(kind=kind)
    page = Paginator(qs.order_by("-updated_at", "-pk"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "documents/list.html",
        {
            "page": page,
            "status": status,
            "statuses": DocumentStatus.choices,
            "can_draft": user.has_permission("document.draft"),
            "breadcrumbs": _crumbs(),
        },
    )


@login_required
def document_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_permission("document.draft"):
        raise Http404
    form = forms.DocumentNewForm(request.POST or None, user=user, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form) as outcome:
            doc = services.document_draft(actor=user, **form.cleaned_data)
        if outcome.ok:
            messages.success(request, _("Draft created from the template."))
            return redirect("documents:detail", doc.pk)
    forms.bootstrap(form)
    return render(
        request,
        "documents/form.html",
        {
            "form": form,
            "heading": _("New official document"),
            "breadcrumbs": _crumbs((_("New"), "")),
        },
    )


ACTIONS = {
    "submit": (_("Submit for review"), "document.draft"),
    "review": (_("Pass to a leader to sign"), "document.review"),
    "sign_off": (_("Sign and issue"), "document.sign"),
}


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    doc = selectors.get_document(user, pk)
    actions = [
        (name, label)
        for name, (label, perm) in ACTIONS.items()
        if DOCUMENT.can(doc, name) and user.has_permission(perm)
    ]
    can_send_back = DOCUMENT.can(doc, "send_back") and user.has_permission(
        "document.sign" if doc.status == DocumentStatus.SIGNOFF else "document.review"
    )
    editable = (doc.status == DocumentStatus.DRAFT and user.has_permission("document.draft")) or (
        doc.status == DocumentStatus.REVIEW and user.has_permission("document.review")
    )
    return render(
        request,
        "documents/detail.html",
        {
            "doc": doc,
            "c": content_of(doc),
            "actions": actions,
            "can_send_back": can_send_back,
            "send_back_form": forms.bootstrap(forms.SendBackForm(), small=True),
            "editable": editable,
            "can_correct": doc.status == DocumentStatus.ISSUED
            and user.has_permission("document.draft"),
            "corrections": doc.corrections.all(),
            "breadcrumbs": _crumbs((doc.number or doc.title, "")),
        },
    )


@login_required
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    doc = selectors.get_document(user, pk)
    form = forms.DocumentEditForm(request.POST or None, instance=Document.objects.get(pk=doc.pk))
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form) as outcome:
            services.document_update(actor=user, document=doc, **form.cleaned_data)
        if outcome.ok:
            messages.success(request, _("Saved."))
            return redirect("documents:detail", doc.pk)
    forms.bootstrap(form)
    return render(
        request,
        "documents/form.html",
        {
            "form": form,
            "heading": _("Edit the document"),
            "breadcrumbs": _crumbs(
                (doc.title, reverse("documents:detail", args=[doc.pk])), (_("Edit"), "")
            ),
        },
    )


@login_required
@require_POST
@service_errors
def document_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = request.user
    doc = selectors.get_document(user, pk)
    if action == "send_back":
        services.document_send_back(actor=user, document=doc, reason=request.POST.get("reason", ""))
    elif action == "refill":
        services.document_refill(actor=user, document=doc)
    elif action == "correct":
        doc = services.document_correct(actor=user, document=doc)
        messages.success(request, _("A correction was drafted; it names the issued document."))
    elif action in ACTIONS:
        fn = {
            "submit": services.document_submit,
            "review": services.document_approve,
            "sign_off": services.document_sign,
        }[action]
        fn(actor=user, document=doc)
    else:
        raise Http404
    if action != "correct":
        messages.success(request, _("Done."))
    return redirect("documents:detail", doc.pk)


@login_required
def document_docx(request: HttpRequest, pk: int) -> HttpResponse:
    doc = selectors.get_document(request.user, pk)
    return _file(render_docx(content_of(doc)), file_name(doc, ".docx"), DOCX)


@login_required
@service_errors
def document_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    doc = selectors.get_document(request.user, pk)
    return _file(render_pdf(content_of(doc)), file_name(doc, ".pdf"), "application/pdf")


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_permission("document.draft"):
        raise Http404
    return render(
        request,
        "documents/templates.html",
        {
            "templates": selectors.templates_for(user),
            "sources": sources.SOURCES,
            "breadcrumbs": _crumbs((_("Document templates"), "")),
        },
    )


@login_required
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A revision is saved as a new version; documents keep the version they came from."""
    user = request.user
    template = selectors.templates_for(user).filter(pk=pk).first()
    if template is None:
        raise Http404
    form = forms.TemplateForm(request.POST or None, instance=DocumentTemplate.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        changes = {f: form.cleaned_data[f] for f in form.changed_data}
        with service_call(request, form=form) as outcome:
            new = services.template_revise(actor=user, template=template, **changes)
        if outcome.ok:
            messages.success(request, _("Saved as version %(v)d.") % {"v": new.version})
            return redirect("documents:templates")
    forms.bootstrap(form)
    return render(
        request,
        "documents/form.html",
        {
            "form": form,
            "heading": str(template),
            "breadcrumbs": _crumbs(
                (_("Document templates"), reverse("documents:templates")), (template.name, "")
            ),
        },
    )


@login_required
def archive_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_permission("document.draft"):
        raise Http404
    form = forms.ArchiveForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form) as outcome:
            archive.archive_start(actor=user, campaign=form.cleaned_data["campaign"])
        if outcome.ok:
            messages.success(
                request, _("The archive is being built; this page shows its progress.")
            )
            return redirect("documents:archives")
    forms.bootstrap(form, small=True)
    jobs = selectors.archives_for(user)[:50]
    return render(
        request,
        "documents/archives.html",
        {"form": form, "jobs": jobs, "breadcrumbs": _crumbs((_("Archives"), ""))},
    )


@login_required
def archive_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.get_archive(request.user, pk)
    if job.output_file is None:
        raise Http404
    return download_response(job.output_file)


def public_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.public_documents(), 20).get_page(request.GET.get("page"))
    return render(request, "documents/public_list.html", {"page": page})


@service_errors
def public_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    doc = selectors.public_documents().filter(pk=pk).first() if str(pk).isdigit() else None
    if doc is None:
        raise Http404
    return _file(render_pdf(content_of(doc)), file_name(doc, ".pdf"), "application/pdf")
