"""Pages of the service time limits (限时服务): compliance by unit, department and month with
drill-down to sample cases; standards and overrides; sources and column mappings; imports
(upload → map columns → job with progress); ledger proposals. Reads through ``selectors``,
writes through ``services``."""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xiaoneng.core.formkit import bootstrap
from xiaoneng.core.htmlerrors import service_call, service_errors
from xiaoneng.core.selectors import unit_choices

from . import forms, ingest, selectors, services
from .models import LogSource, ServiceStandard

SESSION_KEY = "servicetimes.upload"


def _viewer(request):
    if not selectors.may_view(request.user):
        raise PermissionDenied
    return request.user


def _manager(request):
    if not selectors.may_manage(request.user):
        raise PermissionDenied
    return request.user


def _months(qs) -> list[str]:
    return [
        m.strftime("%Y-%m")
        for m in qs.order_by("-month").values_list("month", flat=True).distinct()
    ]


@login_required
@require_GET
def home(request):
    """Compliance by unit and month (the whole unit's rows), with a chart of the rates."""
    user = _viewer(request)
    results = selectors.results_for(user)
    months = _months(results)
    flt = forms.ResultFilter(request.GET or None, months=months)
    rows = results.filter(department__isnull=True)
    month = standard = None
    if flt.is_valid():
        month, standard = flt.cleaned_data["month"], flt.cleaned_data["standard"]
    month = month or (months[0] if months else None)
    if month:
        rows = rows.filter(month=f"{month}-01")
    if standard:
        rows = rows.filter(standard=standard)
    rows = rows.order_by("standard__order", "unit__name")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    chart = _chart(rows)
    bootstrap(flt, small=True)
    return render(
        request,
        "servicetimes/home.html",
        {
            "title": _("Service time limits"),
            "filter": flt,
            "page": page,
            "month": month,
            "chart": json.dumps(chart, ensure_ascii=False),
            "can_manage": selectors.may_manage(user),
            "proposals": selectors.proposals_for(user).filter(status="proposed").count(),
        },
    )


def _chart(rows) -> dict:
    """Compliance rate by standard (cases summed over the units shown)."""
    data = (
        rows.values("standard__name", "standard__order")
        .annotate(cases=Sum("cases"), compliant=Sum("compliant"))
        .order_by("standard__order")
    )
    labels, rates = [], []
    for d in data:
        labels.append(d["standard__name"])
        rates.append(round(d["compliant"] * 100 / d["cases"], 2) if d["cases"] else None)
    return {"labels": labels, "series": [{"name": _("Compliance rate (%)"), "data": rates}]}


@login_required
@require_GET
def result(request, pk: int):
    """One standard in one unit and month: departments, and the worst cases (drill-down)."""
    user = _viewer(request)
    r = selectors.get_result(user, pk)
    departments = (
        selectors.results_for(user)
        .filter(standard=r.standard, unit=r.unit, month=r.month, department__isnull=False)
        .order_by("department__name")
    )
    trend = (
        selectors.results_for(user)
        .filter(standard=r.standard, unit=r.unit, department=r.department)
        .order_by("month")
    )
    chart = {
        "labels": [t.month.strftime("%Y-%m") for t in trend],
        "series": [
            {
                "name": _("Compliance rate (%)"),
                "data": [float(t.rate) if t.rate is not None else None for t in trend],
            }
        ],
    }
    names = dict(departments.values_list("department_id", "department__name"))
    worst = [
        case
        | {
            "minutes": round(case["seconds"] / 60, 1) if case.get("seconds") is not None else None,
            "late": case.get("seconds") is None or case["seconds"] > r.limit_minutes * 60,
            "department": names.get(case.get("department_id"), ""),
        }
        for case in selectors.worst_cases(r)
    ]
    return render(
        request,
        "servicetimes/result.html",
        {
            "title": f"{r.standard.name} · {r.unit.name} · {r.month:%Y-%m}",
            "r": r,
            "departments": departments,
            "worst": worst,
            "chart": json.dumps(chart, ensure_ascii=False),
        },
    )


@login_required
@require_GET
def standards(request):
    user = _viewer(request)
    return render(
        request,
        "servicetimes/standards.html",
        {
            "title": _("Service time standards"),
            "standards": ServiceStandard.objects.all(),
            "overrides": selectors.overrides_for(user),
            "can_manage": selectors.may_manage(user),
        },
    )


@login_required
def standard(request, pk: int):
    user = _manager(request)
    obj = get_object_or_404(ServiceStandard, pk=pk)
    form = forms.StandardForm(request.POST or None, instance=ServiceStandard.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in form.Meta.fields}
        with service_call(request, form=form) as outcome:
            services.standard_update(actor=user, standard=obj, **data)
        if outcome.ok:
            messages.success(request, _("Standard saved. Results follow at the next recompute."))
            return redirect("servicetimes:standards")
    bootstrap(form)
    return render(
        request,
        "servicetimes/form.html",
        {"form": form, "title": obj.name, "back": "servicetimes:standards"},
    )


@login_required
def override(request):
    user = _manager(request)
    form = forms.OverrideForm(request.POST or None, units=unit_choices(user))
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form) as outcome:
            services.override_set(actor=user, **form.cleaned_data)
        if outcome.ok:
            messages.success(request, _("Unit override saved."))
            return redirect("servicetimes:standards")
    bootstrap(form)
    return render(
        request,
        "servicetimes/form.html",
        {"form": form, "title": _("Unit override"), "back": "servicetimes:standards"},
    )


@login_required
@require_POST
@service_errors
def recompute(request):
    user = _manager(request)
    figures = services.recompute_all(actor=user)
    messages.success(
        request, _("Recomputed: %(n)s results.") % {"n": figures["created"] + figures["updated"]}
    )
    return redirect("servicetimes:home")


@login_required
@require_GET
def sources(request):
    _manager(request)
    return render(
        request,
        "servicetimes/sources.html",
        {"title": _("Log sources"), "sources": selectors.sources(), "labels": forms.FIELD_LABELS},
    )


@login_required
def source(request, pk: int | None = None):
    user = _manager(request)
    obj = get_object_or_404(LogSource, pk=pk) if pk else None
    initial = {}
    if obj:
        initial = {"code": obj.code, "name": obj.name} | {
            f"col_{k}": v for k, v in obj.mapping.items()
        }
    form = forms.SourceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form) as outcome:
            services.source_save(
                actor=user,
                source=obj,
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
                mapping=form.mapping(),
            )
        if outcome.ok:
            messages.success(request, _("Source saved."))
            return redirect("servicetimes:sources")
    bootstrap(form)
    return render(
        request,
        "servicetimes/form.html",
        {
            "form": form,
            "title": obj.name if obj else _("New log source"),
            "back": "servicetimes:sources",
        },
    )


@login_required
def imports(request):
    """The imports, and the upload of a new log file (then: map its columns)."""
    user = _manager(request)
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form) as outcome:
            kept = ingest.keep_upload(
                form.cleaned_data["file"].read(), form.cleaned_data["file"].name
            )
        if outcome.ok:
            request.session[SESSION_KEY] = {
                "token": kept.token,
                "name": form.cleaned_data["file"].name[:200],
                "source": form.cleaned_data["source"].pk,
            }
            return redirect("servicetimes:map")
    bootstrap(form)
    page = Paginator(selectors.imports_for(user), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "servicetimes/imports.html",
        {"title": _("Log imports"), "form": form, "page": page},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def map_columns(request):
    """Step 2 of an upload: which column holds what; saved as the source's mapping."""
    user = _manager(request)
    pending = request.session.get(SESSION_KEY) or {}
    kept = ingest.Kept.find(pending.get("token", ""))
    src = LogSource.objects.filter(pk=pending.get("source")).first()
    if kept is None or src is None:
        messages.error(request, _("Upload the file first."))
        return redirect("servicetimes:imports")
    columns = ingest.columns_of(Path(kept.path), kept.kind)
    form = forms.MappingForm(request.POST or None, columns=columns, source=src)
    if request.method == "POST" and form.is_valid():
        mapping = {k: v for k, v in form.cleaned_data.items() if v}
        with service_call(request, form=form) as outcome:
            services.source_save(
                actor=user, source=src, code=src.code, name=src.name, mapping=mapping
            )
            record = services.import_start(actor=user, source=src, name=pending["name"], kept=kept)
        if outcome.ok:
            request.session.pop(SESSION_KEY, None)
            return redirect("servicetimes:import", pk=record.pk)
    bootstrap(form)
    return render(
        request,
        "servicetimes/map.html",
        {
            "title": _("Map the columns"),
            "form": form,
            "source": src,
            "file": pending["name"],
            "columns": columns,
        },
    )


@login_required
@require_GET
def import_detail(request, pk: int):
    user = _manager(request)
    record = selectors.imports_for(user).filter(pk=pk).first()
    if record is None:
        raise Http404
    template = "servicetimes/_job.html" if request.htmx else "servicetimes/import.html"
    return render(
        request,
        template,
        {"title": _("Import #%(id)s") % {"id": record.pk}, "record": record, "job": record.job},
    )


@login_required
@require_GET
def proposals(request):
    user = _viewer(request)
    page = Paginator(selectors.proposals_for(user), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "servicetimes/proposals.html",
        {
            "title": _("Ledger proposals"),
            "page": page,
            "can_manage": selectors.may_manage(user),
            "dismiss": forms.DismissForm(),
        },
    )


@login_required
@require_POST
@service_errors
def proposal_confirm(request, pk: int):
    user = request.user
    proposal = selectors.get_proposal(user, pk)
    issue = services.proposal_confirm(actor=user, proposal=proposal)
    messages.success(request, _("Ledger issue %(number)s opened.") % {"number": issue.number})
    return redirect("servicetimes:proposals")


@login_required
@require_POST
@service_errors
def proposal_dismiss(request, pk: int):
    user = request.user
    proposal = selectors.get_proposal(user, pk)
    services.proposal_dismiss(actor=user, proposal=proposal, reason=request.POST.get("reason", ""))
    messages.success(request, _("Proposal dismissed."))
    return redirect("servicetimes:proposals")
