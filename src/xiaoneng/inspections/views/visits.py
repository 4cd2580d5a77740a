"""Visit pages: the list (assignments for inspectors, published results for units, all for
the office), the visit with the phone-friendly site form, findings, publication, 回头看."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xiaoneng.core import clock
from xiaoneng.core.errors import ValidationFailed
from xiaoneng.core.htmlerrors import service_call
from xiaoneng.selfcheck.models import ChecklistItem

from .. import forms, selectors, services
from ..models import Evidence
from ..vocab import AnswerResult, PlanKind, VisitStatus
from .common import crumbs, fail_back, store_captures

PAGE_SIZE = 30


def _may_write(user, visit) -> bool:
    if visit.status == VisitStatus.PUBLISHED:
        return False
    if user.has_permission("inspection.manage"):
        return True
    return user.has_permission("inspection.inspect") and services.is_inspector(user, visit)


@login_required
@require_GET
def visit_list(request):
    user = request.user
    qs = selectors.visits_for(user).order_by("-scheduled_on", "position", "id")
    mine = request.GET.get("mine") == "1"
    if mine:
        qs = qs.filter(pk__in=selectors.visits_to_do(user).values("pk"))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "inspections/list.html",
        {
            "page": page,
            "mine": mine,
            "todo": selectors.visits_to_do(user).count(),
            "can_manage": user.has_permission("inspection.manage"),
            "inspects": user.has_permission("inspection.inspect"),
            "title": _("Inspections"),
            "breadcrumbs": crumbs((_("Visits"), None)),
            "show_plans": user.has_permission("inspection.manage")
            or user.has_permission("inspection.inspect"),
        },
    )


def _context(request, visit, **extra):
    user = request.user
    findings = list(
        visit.findings.select_related("category", "issue", "order").prefetch_related("people")
    )
    answers = {a.item_id: a for a in visit.answers.all()}
    items = list(visit.plan.template.items.all()) if visit.plan.template_id else []
    for item in items:
        item.answer = answers.get(item.pk)
    may_write = _may_write(user, visit)
    record_form = forms.RecordForm(initial={"summary": visit.summary})
    finding_form = forms.FindingForm(visit=visit)
    forms.bootstrap(record_form)
    forms.bootstrap(finding_form)
    earlier = []
    if visit.plan.kind == PlanKind.LOOKBACK and user.has_permission("inspection.manage"):
        checked = set(visit.lookback_checks.values_list("finding_id", flat=True))
        earlier = [
            f
            for f in selectors.findings_for(user)
            .filter(unit=visit.unit)
            .exclude(visit=visit)
            .order_by("-found_at")[:50]
            if f.pk not in checked
        ]
    return {
        "visit": visit,
        "plan": visit.plan,
        "team": visit.team.select_related("unit"),
        "findings": findings,
        "items": items,
        "evidence": visit.evidence.filter(finding__isnull=True).select_related("file"),
        "checks": visit.lookback_checks.select_related("finding"),
        "earlier": earlier,
        "results": AnswerResult.choices,
        "lookback_form": forms.LookbackForm(),
        "may_write": may_write,
        "record_form": record_form,
        "finding_form": finding_form,
        "can_publish": user.has_permission("inspection.manage")
        and visit.status == VisitStatus.RECORDED,
        "title": f"{visit.unit.name} · {visit.scheduled_on:%Y-%m-%d}",
        "breadcrumbs": crumbs((visit.unit.name, None)),
        **extra,
    }


@login_required
@require_GET
def visit_detail(request, pk: int):
    visit = selectors.get_visit(request.user, pk)
    return render(request, "inspections/visit.html", _context(request, visit))


def _answers(request, visit) -> list[dict]:
    if not visit.plan.template_id:
        return []
    rows = []
    for item in ChecklistItem.objects.filter(template_id=visit.plan.template_id):
        result = request.POST.get(f"answer-{item.pk}", "")
        if result:
            note = request.POST.get(f"note-{item.pk}", "")
            rows.append({"item": item, "result": result, "note": note})
    return rows


@login_required
@require_POST
def visit_record(request, pk: int):
    visit = selectors.get_visit(request.user, pk)
    if not _may_write(request.user, visit):
        raise PermissionDenied
    form = forms.RecordForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        with service_call(request) as call, transaction.atomic():
            services.visit_record(
                actor=request.user,
                visit=visit,
                answers=_answers(request, visit),
                summary=data["summary"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                accuracy=data["accuracy"],
                files=store_captures(request, data["files"], data["captured"]),
            )
        if not call.ok:
            return redirect("inspections:visit", pk=visit.pk)
        messages.success(request, _("Visit record saved."))
        return redirect("inspections:visit", pk=visit.pk)
    forms.bootstrap(form)
    context = _context(request, visit, record_form=form)
    return render(request, "inspections/visit.html", context, status=400)


@login_required
@require_POST
def finding_new(request, pk: int):
    visit = selectors.get_visit(request.user, pk)
    if not _may_write(request.user, visit):
        raise PermissionDenied
    form = forms.FindingForm(request.POST, request.FILES, visit=visit)
    if form.is_valid():
        data = dict(form.cleaned_data)
        uploads, captured = data.pop("files"), data.pop("captured")
        with service_call(request, form=form) as call, transaction.atomic():
            finding = services.finding_create(
                actor=request.user,
                visit=visit,
                files=store_captures(request, uploads, captured),
                **data,
            )
        if call.error is not None and not isinstance(call.error, ValidationFailed):
            return redirect("inspections:visit", pk=visit.pk)
        if call.ok:
            if finding.issue_id:
                messages.success(
                    request,
                    _("Finding recorded; ledger issue %(number)s opened.")
                    % {"number": finding.issue.number},
                )
            else:
                messages.success(
                    request, _("Finding recorded; it reaches the unit when the visit is published.")
                )
            return redirect("inspections:visit", pk=visit.pk)
    forms.bootstrap(form)
    context = _context(request, visit, finding_form=form, open_finding=True)
    return render(request, "inspections/visit.html", context, status=400)


@login_required
@require_POST
def visit_publish(request, pk: int):
    visit = selectors.get_visit(request.user, pk)
    with service_call(request) as call:
        services.visit_publish(actor=request.user, visit=visit)
    if not call.ok:
        return redirect("inspections:visit", pk=visit.pk)
    messages.success(request, _("Visit published to the unit."))
    return redirect("inspections:visit", pk=visit.pk)


@login_required
@require_POST
def lookback(request, pk: int):
    visit = selectors.get_visit(request.user, pk)
    form = forms.LookbackForm(request.POST)
    if not form.is_valid():
        return fail_back(
            request, ValidationFailed(_("Please correct the errors below.")), "inspections:visit",
            pk=visit.pk,
        )  # fmt: skip
    finding = selectors.get_finding(request.user, form.cleaned_data["finding"])
    with service_call(request) as call:
        check = services.lookback_check(
            actor=request.user,
            visit=visit,
            finding=finding,
            result=form.cleaned_data["result"],
            note=form.cleaned_data["note"],
        )
    if not call.ok:
        return redirect("inspections:visit", pk=visit.pk)
    messages.success(
        request, _("Look-back recorded; %(n)s item(s) reopened.") % {"n": check.reopened_items}
    )
    return redirect("inspections:visit", pk=visit.pk)


@login_required
@require_GET
def evidence_file(request, pk: int):
    """A photo, clip or document of a visit, for those who may see the visit (never public
    media: evidence is served only through the visit's scope)."""
    evidence = (
        Evidence.objects.select_related("file")
        .filter(pk=pk, visit__in=selectors.visits_for(request.user).values("pk"))
        .first()
    )
    if evidence is None:
        raise Http404
    stored = evidence.file
    response = FileResponse(stored.file.open("rb"), content_type=stored.content_type)
    response["Content-Disposition"] = content_disposition_header(False, stored.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def finding_detail(request, pk: int):
    finding = selectors.get_finding(request.user, pk)
    order = getattr(finding, "order", None)
    return render(
        request,
        "inspections/finding.html",
        {
            "finding": finding,
            "order": order,
            "overdue": order is not None and services.is_overdue(order, clock.now()),
            "people": finding.people.all(),
            "evidence": finding.evidence.select_related("file"),
            "checks": finding.lookback_checks.select_related("visit"),
            "title": finding.title,
            "breadcrumbs": crumbs(
                (finding.visit.unit.name, f"/inspections/visits/{finding.visit_id}/"),
                (finding.title, None),
            ),
        },
    )
