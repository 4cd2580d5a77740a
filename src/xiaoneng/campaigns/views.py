"""Staff pages: campaign list, create from a template, the campaign page (phase timeline with the
current phase, submission matrix with 催报 and Excel export, key-task progress, targets met,
ledger issues), a submission (unit submits, office accepts or returns), the office's review
queue, and the target table with measurements and Excel export/import.

Reads start from ``selectors`` (out of scope = 404); writes call ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.core.errors import Conflict, ValidationFailed
from xiaoneng.core.files import store_upload
from xiaoneng.core.htmlerrors import service_call
from xiaoneng.core.scope import scope_for
from xiaoneng.core.selectors import units_for
from xiaoneng.core.spreadsheet import xlsx_response

from . import excel, forms, selectors, services
from .models import Submission

PAGE_SIZE = 20


def _crumbs(*items):
    return [(_("Campaigns"), reverse("campaigns:list")), *items]


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    return xlsx_response(filename, data)


@login_required
def campaign_list(request):
    user = request.user
    page = Paginator(selectors.campaigns_for(user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    for row in rows:
        row.current = selectors.current_phase(selectors.phases_of(row))
    title = _("Campaigns")
    return render(
        request,
        "campaigns/list.html",
        {
            "title": title,
            "rows": rows,
            "page": page,
            "may_manage": selectors.may_manage(user),
            "mine": list(_owed(request, selectors.my_open_submissions(user))[:50]),
            "owed": request.GET.get("owed", ""),
            "today": selectors.today(),
            "breadcrumbs": [(title, None)],
        },
    )


def _owed(request, qs):
    """?owed=overdue narrows "deliverables my unit owes" to those past their due date (the
    work home links here)."""
    if request.GET.get("owed") == "overdue":
        qs = qs.filter(selectors.overdue_q())
    return qs


@login_required
def campaign_new(request):
    user = request.user
    if not selectors.may_manage(user):
        raise PermissionDenied
    form = forms.FromTemplateForm(
        request.POST or None,
        units_qs=units_for(user),
        initial={"year": selectors.today().year, "template": request.GET.get("template")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with service_call(request, form=form) as outcome:
            campaign = services.campaign_create_from_template(
                actor=user,
                template=data["template"],
                year=data["year"],
                name=data["name"],
                doc_number=data["doc_number"],
                issuing_unit=data["issuing_unit"],
                units=list(data["units"]) or None,
            )
        if outcome.ok:
            messages.success(request, _("The campaign was created as a draft."))
            return redirect("campaigns:detail", campaign.pk)
    forms.bootstrap(form, small=True)
    title = _("New campaign from a template")
    return render(
        request,
        "campaigns/new.html",
        {
            "title": title,
            "form": form,
            "templates": selectors.templates_for(user),
            "breadcrumbs": _crumbs((title, None)),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def campaign_detail(request, pk: int):
    user = request.user
    campaign = selectors.get_campaign(user, pk)
    phases = selectors.phases_of(campaign)
    today = selectors.today()
    current = selectors.current_phase(phases, today)
    target_rows = selectors.target_rows(campaign)
    group = campaign.groups.filter(unit=None).prefetch_related("members__person").first()
    progress_form = forms.bootstrap(forms.ProgressForm(), small=True)
    return render(
        request,
        "campaigns/detail.html",
        {
            "title": campaign.name,
            "campaign": campaign,
            "phases": phases,
            "current": current,
            "today": today,
            "group": group,
            "unit_groups": campaign.groups.exclude(unit=None).select_related("unit"),
            "matrix": selectors.submission_matrix(campaign, user, today),
            "tasks": selectors.key_task_rows(campaign, user),
            "targets": selectors.targets_summary(target_rows),
            "issues": selectors.issue_counts(campaign, user),
            "may_manage": selectors.may_manage(user),
            "may_report": user.has_permission("campaign.submit"),
            # The archive (documents app) is linked by URL name only: campaigns does not import it.
            "may_archive": user.has_permission("document.draft"),
            "progress_form": progress_form,
            "breadcrumbs": _crumbs((campaign.name, None)),
        },
    )


@login_required
@require_POST
def campaign_action(request, pk: int, action: str):
    campaign = selectors.get_campaign(request.user, pk)
    call = {
        "start": services.campaign_start,
        "close": services.campaign_close,
        "urge": services.submissions_urge,
    }.get(action)
    if call is None:
        raise Http404
    with service_call(request) as outcome:
        result = call(actor=request.user, campaign=campaign)
    if outcome.ok:
        if action == "urge":
            messages.success(request, _("%(n)d late submissions were reminded.") % {"n": result})
        else:
            messages.success(request, _("Saved."))
    return redirect("campaigns:detail", campaign.pk)


@login_required
def matrix_export(request, pk: int):
    campaign = selectors.get_campaign(request.user, pk)
    return _xlsx(
        excel.matrix_workbook(campaign, request.user), f"campaign-{campaign.pk}-submissions.xlsx"
    )


@login_required
def submission_detail(request, pk: int):
    user = request.user
    sub = selectors.get_submission(user, pk)
    campaign = sub.requirement.campaign
    may_submit = user.has_permission("campaign.submit") and scope_for(user).contains_unit(sub.unit)
    may_review = selectors.may_manage(user)
    submit_form = forms.SubmitForm(
        request.POST if request.POST.get("form") == "submit" else None,
        request.FILES if request.POST.get("form") == "submit" else None,
        initial={"text": sub.text},
    )
    return_form = forms.ReturnForm(request.POST if request.POST.get("form") == "return" else None)
    if request.method == "POST":
        which = request.POST.get("form")
        form = submit_form if which == "submit" else return_form
        with service_call(request, form=form) as call:
            if which == "submit" and submit_form.is_valid():
                upload = submit_form.cleaned_data["upload"]
                files = list(sub.files.all())
                if upload:
                    files = [store_upload(upload=upload, actor=user)]
                services.submission_submit(
                    actor=user,
                    submission=sub,
                    text=submit_form.cleaned_data["text"],
                    files=files,
                )
                messages.success(request, _("Submitted."))
                return redirect("campaigns:submission", sub.pk)
            if which == "accept":
                services.submission_accept(actor=user, submission=sub)
                messages.success(request, _("Accepted."))
                return redirect(
                    request.POST.get("next") or reverse("campaigns:submission", args=[sub.pk])
                )
            if which == "return" and return_form.is_valid():
                services.submission_return(
                    actor=user, submission=sub, reason=return_form.cleaned_data["reason"]
                )
                messages.success(request, _("Returned to the unit."))
                return redirect(
                    request.POST.get("next") or reverse("campaigns:submission", args=[sub.pk])
                )
            if which not in {"submit", "accept", "return"}:
                raise PermissionDenied
        if isinstance(call.error, Conflict):
            return redirect("campaigns:submission", sub.pk)
    code, label = selectors.display_status(sub)
    title = f"{sub.requirement.name} · {sub.unit.name}"
    errors = (submit_form.is_bound and submit_form.errors) or (
        return_form.is_bound and return_form.errors
    )
    return render(
        request,
        "campaigns/submission.html",
        {
            "title": title,
            "sub": sub,
            "campaign": campaign,
            "code": code,
            "label": label,
            "may_submit": may_submit and sub.status in ("pending", "returned"),
            "may_review": may_review and sub.status in ("submitted", "late"),
            "submit_form": forms.bootstrap(submit_form, small=True),
            "return_form": forms.bootstrap(return_form, small=True),
            "files": sub.files.all(),
            "breadcrumbs": _crumbs(
                (campaign.name, reverse("campaigns:detail", args=[campaign.pk])), (title, None)
            ),
        },
        status=400 if errors else 200,
    )


@login_required
def review(request, pk: int):
    user = request.user
    campaign = selectors.get_campaign(user, pk)
    if not selectors.may_manage(user):
        raise PermissionDenied
    rows = (
        selectors.submissions_for(user)
        .filter(
            requirement__campaign=campaign,
            status__in=[Submission.Status.SUBMITTED, Submission.Status.LATE],
        )
        .order_by("submitted_at", "id")
        .prefetch_related("files")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    title = _("Submissions to review")
    return render(
        request,
        "campaigns/review.html",
        {
            "title": title,
            "campaign": campaign,
            "rows": page.object_list,
            "page": page,
            "return_form": forms.bootstrap(forms.ReturnForm(), small=True),
            "breadcrumbs": _crumbs(
                (campaign.name, reverse("campaigns:detail", args=[campaign.pk])), (title, None)
            ),
        },
    )


@login_required
@require_POST
def task_progress(request, pk: int):
    user = request.user
    task = selectors.key_tasks_for(user).filter(pk=pk).first()
    if task is None:
        raise Http404
    form = forms.ProgressForm(request.POST)
    form.fields["unit"].queryset = task.responsible_units.all()
    if form.is_valid():
        with service_call(request):
            services.key_task_report(actor=user, task=task, **form.cleaned_data)
            messages.success(request, _("Progress saved."))
    else:
        messages.error(
            request,
            _("Please correct the errors below.")
            + " "
            + "; ".join(
                f"{form.fields[k].label}: {' '.join(v)}"
                for k, v in form.errors.items()
                if k in form.fields
            ),
        )
    return redirect(reverse("campaigns:detail", args=[task.campaign_id]) + "#tasks")


@login_required
def targets(request, pk: int):
    user = request.user
    campaign = selectors.get_campaign(user, pk)
    rows = selectors.target_rows(campaign)
    may_manage = selectors.may_manage(user)
    scope = scope_for(user)
    measure_form = forms.MeasurementForm(
        request.POST if request.POST.get("form") == "measure" else None,
        request.FILES if request.POST.get("form") == "measure" else None,
    )
    import_form = forms.ImportForm(
        request.POST if request.POST.get("form") == "import" else None,
        request.FILES if request.POST.get("form") == "import" else None,
    )
    import_result = None
    status = 200
    if request.method == "POST":
        which = request.POST.get("form")
        form = measure_form if which == "measure" else import_form
        with service_call(request, form=form) as call:
            if which == "measure":
                target = next(
                    (r.target for r in rows if str(r.target.pk) == request.POST.get("target")), None
                )
                if target is None:
                    raise Http404
                if measure_form.is_valid():
                    data = measure_form.cleaned_data
                    files = (
                        [store_upload(upload=data["upload"], actor=user)] if data["upload"] else []
                    )
                    m = services.measurement_record(
                        actor=user,
                        target=target,
                        period=data["period"],
                        value=data["value"],
                        evidence=data["evidence"],
                        files=files,
                    )
                    messages.success(
                        request,
                        _("Measurement saved: met.")
                        if m.met
                        else (
                            _("Measurement saved: not met.")
                            if m.met is False
                            else _("Measurement saved.")
                        ),
                    )
                    return redirect("campaigns:targets", campaign.pk)
                status = 400
            elif which == "import":
                if not may_manage:
                    raise PermissionDenied
                if import_form.is_valid():
                    import_result = excel.targets_import(
                        actor=user,
                        campaign=campaign,
                        data=import_form.cleaned_data["file"].read(),
                    )
                    if import_result.ok:
                        messages.success(
                            request,
                            _("Imported: %(c)d new, %(u)d changed, %(s)d unchanged.")
                            % {
                                "c": import_result.created,
                                "u": import_result.updated,
                                "s": import_result.unchanged,
                            },
                        )
                        return redirect("campaigns:targets", campaign.pk)
                status = 400
            else:
                raise PermissionDenied
        if isinstance(call.error, ValidationFailed):
            status = 400
        if isinstance(call.error, Conflict):
            return redirect("campaigns:targets", campaign.pk)
    for row in rows:
        unit = row.target.responsible_unit
        row.may_measure = may_manage or (
            unit is not None
            and user.has_permission("campaign.submit")
            and scope.contains_unit(unit)
        )
    title = _("Target decomposition table")
    return render(
        request,
        "campaigns/targets.html",
        {
            "title": title,
            "campaign": campaign,
            "rows": rows,
            "summary": selectors.targets_summary(rows),
            "may_manage": may_manage,
            "measure_form": forms.bootstrap(measure_form, small=True),
            "import_form": forms.bootstrap(import_form, small=True),
            "import_result": import_result,
            "posted_target": request.POST.get("target", ""),
            "breadcrumbs": _crumbs(
                (campaign.name, reverse("campaigns:detail", args=[campaign.pk])), (title, None)
            ),
        },
        status=status,
    )


@login_required
def targets_export(request, pk: int):
    campaign = selectors.get_campaign(request.user, pk)
    return _xlsx(excel.targets_workbook(campaign), f"campaign-{campaign.pk}-targets.xlsx")
