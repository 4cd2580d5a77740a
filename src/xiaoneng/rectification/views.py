"""Staff pages of the ledger (整改台账): the ledger with filters, counts, 清零 progress and the
overdue list (printable); issue and item pages with the close-out actions; spot checks; the Excel
import/export jobs with a progress bar. Reads through ``selectors``; writes through services.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import HiddenInput
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from xiaoneng.campaigns.fields import campaign_select
from xiaoneng.core import audit, clock
from xiaoneng.core.errors import ValidationFailed
from xiaoneng.core.files import store_upload
from xiaoneng.core.htmlerrors import service_call
from xiaoneng.core.models import Job
from xiaoneng.core.vocabulary import action_label

from . import deadlines, excel, forms, selectors, services, spotchecks
from .filters import ItemFilter
from .models import RectificationItem
from .vocab import IssueSource, ItemStatus, SpotResult
from .workflow import MACHINE, PROGRESS_STATUSES

PAGE_SIZE = 20
GROUP_TABS = [
    ("unit", gettext_lazy("By unit")),
    ("campaign", gettext_lazy("By campaign")),
    ("source", gettext_lazy("By source")),
]


def _crumbs(*extra):
    return [(_("Rectification ledger"), reverse("rectification:ledger")), *extra]


def _decorate(items, now) -> None:
    for it in items:
        it.light = deadlines.light(it, now)
        it.overdue = it.light == "red"


def _store_files(request, uploads) -> list:
    return [store_upload(upload=f, actor=request.user) for f in uploads]


# --- the ledger --------------------------------------------------------------------------------
@login_required
@require_GET
def ledger(request):
    """The ledger: filters in a row, counts and 清零 progress, groups, the item table."""
    user = request.user
    base = selectors.items_for(user, related=selectors.LEDGER_RELATED)
    filterset = ItemFilter(request.GET or None, queryset=base)
    filterset.form.fields["campaign"].widget = campaign_select(_("All"))
    filterset.form.fields["issue"].widget = HiddenInput()  # set by the issue page's link
    forms.bootstrap(filterset.form, small=True)
    qs = filterset.qs if filterset.is_bound else base
    if not filterset.is_bound:
        filterset.is_valid()
    view = request.GET.get("view", "")
    now = clock.now()
    if view == "overdue":
        qs = qs.filter(deadlines.overdue_q(now))
    by = request.GET.get("by") if request.GET.get("by") in dict(GROUP_TABS) else "unit"
    groups = selectors.grouped(qs, by, now=now)
    if by == "source":
        labels = dict(IssueSource.choices)
        for g in groups:
            g["label"] = labels.get(g["key"], g["key"])
    elif by == "campaign":
        for g in groups:
            g["label"] = g["label"] or _("No campaign")
    qs = qs.order_by("deadline", "id")
    summary = selectors.summary(qs, now=now)
    paginator = Paginator(qs, PAGE_SIZE)
    paginator.count = summary["total"]  # same rows: the summary counted them (one COUNT less)
    page = paginator.get_page(request.GET.get("page"))
    _decorate(page, now)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "rectification/ledger.html",
        {
            "title": _("Rectification ledger"),
            "filters": filterset.form,
            "summary": summary,
            "groups": groups,
            "by": by,
            "group_tabs": GROUP_TABS,
            "view": view,
            "page": page,
            "query": params.urlencode(),
            "can_manage": user.has_permission("rectification.manage"),
            "can_verify": user.has_permission("rectification.verify"),
            "breadcrumbs": _crumbs((_("Ledger"), None)),
            "printed_at": now,
        },
    )


# --- issues ------------------------------------------------------------------------------------
@login_required
def issue_new(request):
    user = request.user
    if not user.has_permission("rectification.manage"):
        raise PermissionDenied
    form = forms.IssueForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        uploads = data.pop("files")
        with service_call(request, form=form) as outcome:
            files = _store_files(request, uploads)
            issue = services.issue_create(actor=user, **data, files=files)
        if outcome.ok:
            messages.success(request, _("Issue %(number)s recorded.") % {"number": issue.number})
            return redirect("rectification:issue", pk=issue.pk)
    forms.bootstrap(form)
    return render(
        request,
        "rectification/form.html",
        {
            "form": form,
            "title": _("Record an issue"),
            "multipart": True,
            "breadcrumbs": _crumbs((_("Record an issue"), None)),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def issue_detail(request, pk: int):
    user = request.user
    issue = selectors.get_issue(user, pk)
    item_form = None
    if user.has_permission("rectification.manage"):
        item_form = forms.ItemForm(
            request.POST or None, user=user, initial={"responsible_unit": issue.unit}
        )
        if request.method == "POST" and item_form.is_valid():
            with service_call(request, form=item_form) as outcome:
                created = services.item_create(actor=user, issue=issue, **item_form.cleaned_data)
            if outcome.ok:
                messages.success(request, _("Item %(number)s added.") % {"number": created.number})
                return redirect("rectification:item", pk=created.pk)
        forms.bootstrap(item_form, small=True)
    elif request.method == "POST":
        raise PermissionDenied
    items = list(issue.items.select_related("responsible_unit", "responsible_person"))
    _decorate(items, clock.now())
    return render(
        request,
        "rectification/issue.html",
        {
            "issue": issue,
            "items": items,
            "item_form": item_form,
            "files": issue.files.all(),
            "people": issue.people.all(),
            "can_verify": user.has_permission("rectification.verify"),
            "title": issue.number,
            "breadcrumbs": _crumbs((issue.number, None)),
        },
        status=400 if item_form is not None and item_form.is_bound and item_form.errors else 200,
    )


@login_required
@require_POST
def issue_public(request, pk: int):
    issue = selectors.get_issue(request.user, pk)
    with service_call(request, forbidden="message"):
        services.issue_set_public(
            issue=issue, actor=request.user, public=request.POST.get("public") == "1"
        )
    return redirect("rectification:issue", pk=pk)


# --- items -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ActionSpec:
    segment: str
    label: str
    form: type
    permission: str
    style: str = "outline-primary"
    multipart: bool = False


ACTIONS = [
    ActionSpec("progress", gettext_lazy("Report progress"), forms.ProgressForm,
               "rectification.manage", "primary", True),
    ActionSpec("request-close", gettext_lazy("Request close-out"), forms.CloseRequestForm,
               "rectification.manage", "success", True),
    ActionSpec("verify", gettext_lazy("Verify close-out"), forms.VerifyForm,
               "rectification.verify", "primary"),
    ActionSpec("reopen", gettext_lazy("Reopen"), forms.ReasonForm, "rectification.verify",
               "outline-warning"),
    ActionSpec("public", gettext_lazy("Public progress"), forms.PublicForm,
               "rectification.verify", "outline-secondary"),
]  # fmt: skip
ACTIONS_BY_SEGMENT = {a.segment: a for a in ACTIONS}


def _allowed(user, item: RectificationItem, spec: ActionSpec) -> bool:
    if not user.has_permission(spec.permission):
        return False
    if spec.segment == "progress":
        return item.status in PROGRESS_STATUSES
    if spec.segment == "request-close":
        return MACHINE.can(item, "request_close")
    if spec.segment == "verify":
        return item.status == ItemStatus.CLOSE_REQUESTED and services.can_verify(user, item)
    if spec.segment == "reopen":
        return MACHINE.can(item, "reopen")
    return True


def available_actions(user, item, *, bound: dict | None = None) -> list[dict]:
    out = []
    for spec in ACTIONS:
        if not _allowed(user, item, spec):
            continue
        initial = {"public": item.is_public} if spec.segment == "public" else None
        form = (bound or {}).get(spec.segment) or spec.form(
            user=user, item=item, prefix=spec.segment, initial=initial
        )
        forms.bootstrap(form, small=True)
        out.append(
            {
                "segment": spec.segment,
                "label": spec.label,
                "style": spec.style,
                "form": form,
                "multipart": spec.multipart,
                "url": reverse("rectification:item-action", args=[item.pk, spec.segment]),
                "open": bool(bound and spec.segment in bound),
            }
        )
    return out


EVENT_LABELS = {
    "create": gettext_lazy("Created"),
    "import": gettext_lazy("Imported"),
    "start": gettext_lazy("Progress reported"),
    "progress": gettext_lazy("Progress reported"),
    "request_close": gettext_lazy("Close-out requested"),
    "accept": gettext_lazy("Closed (verified)"),
    "reject": gettext_lazy("Returned"),
    "reopen": gettext_lazy("Reopened"),
    "milestone": gettext_lazy("Milestone reached"),
}


def _item_context(request, item: RectificationItem, **extra) -> dict:
    user = request.user
    now = clock.now()
    item.light = deadlines.light(item, now)
    events = list(selectors.timeline(item))
    labels = dict(ItemStatus.choices)
    for e in events:
        e.label = EVENT_LABELS.get(e.action) or action_label(e.action)
        e.to_label = labels.get(e.to_status, e.to_status)
        source = e.progress or e.close_request
        e.files = list(source.files.all()) if source else []
    tab = "history" if request.GET.get("tab") == "history" else "overview"
    return {
        "item": item,
        "issue": item.issue,
        "timeline": events,
        "milestones": item.milestones.all(),
        "close_requests": item.close_requests.select_related("requested_by", "decided_by"),
        "actions": available_actions(user, item, bound=extra.pop("bound", None)),
        "tab": tab,
        "history": list(audit.history(item).order_by("-at", "-id")[:200]),
        "title": item.number,
        "breadcrumbs": _crumbs(
            (item.issue.number, reverse("rectification:issue", args=[item.issue_id])),
            (item.number, None),
        ),
        **extra,
    }


@login_required
@require_GET
def item_detail(request, pk: int):
    item = selectors.get_item(request.user, pk)
    return render(request, "rectification/item.html", _item_context(request, item))


@login_required
@require_POST
def item_action(request, pk: int, segment: str):
    user = request.user
    item = selectors.get_item(user, pk)
    spec = ACTIONS_BY_SEGMENT.get(segment)
    if spec is None:
        raise Http404
    form = spec.form(request.POST, request.FILES, user=user, item=item, prefix=segment)
    if form.is_valid():
        data = dict(form.cleaned_data)
        with service_call(request, form=form, forbidden="message") as call:
            if "files" in data:
                data["files"] = _store_files(request, data["files"])
            _run_action(segment, item, user, data)
        if call.ok:
            messages.success(request, _("Done: %(action)s.") % {"action": spec.label})
            return redirect("rectification:item", pk=pk)
        if not isinstance(call.error, ValidationFailed):
            return redirect("rectification:item", pk=pk)
    messages.error(request, _("Please correct the errors below."))
    context = _item_context(request, item, bound={segment: form})
    return render(request, "rectification/item.html", context, status=400)


def _run_action(segment: str, item, user, data: dict) -> None:
    if segment == "progress":
        services.progress_add(item=item, actor=user, **data)
    elif segment == "request-close":
        services.close_request(item=item, actor=user, **data)
    elif segment == "verify":
        services.verify(item=item, actor=user, **data)
    elif segment == "reopen":
        services.reopen(item=item, actor=user, reason=data["reason"])
    elif segment == "public":
        services.item_set_public(item=item, actor=user, public=data["public"])


@login_required
@require_POST
def milestone_done(request, pk: int, milestone_pk: int):
    item = selectors.get_item(request.user, pk)
    milestone = item.milestones.filter(pk=milestone_pk).first()
    if milestone is None:
        raise Http404
    with service_call(request, forbidden="message"):
        services.milestone_done(milestone=milestone, actor=request.user)
    return redirect("rectification:item", pk=pk)


# --- spot checks -------------------------------------------------------------------------------
def _require_verifier(user) -> None:
    if not user.has_permission("rectification.verify"):
        raise PermissionDenied


@login_required
def spot_checks(request):
    user = request.user
    _require_verifier(user)
    form = forms.SpotCheckForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        campaign = data.pop("campaign")
        data["campaign_id"] = campaign.pk if campaign else None
        with service_call(request, form=form) as outcome:
            check = spotchecks.spot_check_draw(actor=user, **data)
        if outcome.ok:
            messages.success(request, _("Sample %(number)s drawn.") % {"number": check.number})
            return redirect("rectification:spot-check", pk=check.pk)
    forms.bootstrap(form, small=True)
    page = Paginator(selectors.spot_checks_for(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "rectification/spot_checks.html",
        {
            "form": form,
            "checks": page.object_list,
            "page": page,
            "title": _("Spot checks"),
            "breadcrumbs": _crumbs((_("Spot checks"), None)),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def spot_check_detail(request, pk: int):
    user = request.user
    _require_verifier(user)
    check = selectors.get_spot_check(user, pk)
    rows = list(
        check.results.select_related("item", "item__issue", "item__responsible_unit", "checked_by")
    )
    for row in rows:
        row.form = forms.SpotResultForm(prefix=f"r{row.item_id}")
        forms.bootstrap(row.form, small=True)
    return render(
        request,
        "rectification/spot_check.html",
        {
            "check": check,
            "rows": rows,
            "result_labels": dict(SpotResult.choices),
            "title": check.number,
            "breadcrumbs": _crumbs(
                (_("Spot checks"), reverse("rectification:spot-checks")), (check.number, None)
            ),
        },
    )


@login_required
@require_POST
def spot_check_result(request, pk: int, item_pk: int):
    user = request.user
    _require_verifier(user)
    check = selectors.get_spot_check(user, pk)
    row = check.results.select_related("item").filter(item_id=item_pk).first()
    if row is None:
        raise Http404
    form = forms.SpotResultForm(request.POST, prefix=f"r{item_pk}")
    if form.is_valid():
        with service_call(request) as call:
            spotchecks.spot_check_result(
                actor=user, spot_check=check, item=row.item, **form.cleaned_data
            )
        if call.ok:
            messages.success(request, _("Result recorded."))
    else:
        messages.error(request, _("Please correct the errors below."))
    return redirect("rectification:spot-check", pk=pk)


# --- Excel jobs --------------------------------------------------------------------------------
@login_required
def import_ledger(request):
    user = request.user
    if not user.has_permission("rectification.manage"):
        raise PermissionDenied
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form) as outcome:
            stored = store_upload(
                upload=form.cleaned_data["file"], actor=user, allowed={excel.XLSX}
            )
        if outcome.ok:
            job = excel.start_import(actor=user, upload=stored)
            return redirect("rectification:job", pk=job.pk)
    forms.bootstrap(form)
    return render(
        request,
        "rectification/form.html",
        {
            "form": form,
            "title": _("Import a ledger"),
            "multipart": True,
            "help": _(
                "Use the layout of the export: 序号, 问题来源, 问题描述, 整改类型, 整改措施, "
                "整改目标, 整改时限, 责任单位, 责任人, 责任领导, 进展情况, 状态, 销号日期, 事项编号. "
                "Rows with an item number update its progress; rows without one create issues "
                "and items. One bad row rejects the whole file."
            ),
            "breadcrumbs": _crumbs((_("Import a ledger"), None)),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def export_ledger(request):
    filterset = ItemFilter(request.GET or None, queryset=RectificationItem.objects.none())
    job = excel.start_export(actor=request.user, params=filterset.json_params())
    return redirect("rectification:job", pk=job.pk)


def _job(user, pk: int) -> Job:
    qs = Job.objects.select_related("output_file").filter(
        kind__in=(excel.EXPORT_KIND, excel.IMPORT_KIND)
    )
    if not user.is_superuser:
        qs = qs.filter(created_by=user)
    job = qs.filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


@login_required
@require_GET
def job_detail(request, pk: int):
    job = _job(request.user, pk)
    template = "rectification/_job.html" if request.htmx else "rectification/job.html"
    return render(
        request,
        template,
        {
            "job": job,
            "title": _("Ledger job #%(id)s") % {"id": job.pk},
            "breadcrumbs": _crumbs((_("Job"), None)),
        },
    )


@login_required
@require_GET
def job_download(request, pk: int):
    job = _job(request.user, pk)
    if job.output_file is None:
        raise Http404
    return FileResponse(
        job.output_file.file.open("rb"),
        as_attachment=True,
        filename=job.output_file.name,
        content_type=excel.XLSX,
    )
