"""Bulletin pages: the list with the cadence, composing from findings, complaints and the
registered sources (accountability cases), the
bulletin with its review / approval / publication and the exposed units' responses."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xiaoneng.complaints.models import Complaint
from xiaoneng.core import clock
from xiaoneng.core.errors import ValidationFailed
from xiaoneng.core.files import store_upload
from xiaoneng.core.htmlerrors import service_call
from xiaoneng.core.scope import scope_for, scoped

from .. import bulletin_sources, forms, selectors, services
from ..vocab import BulletinStatus, VisitStatus
from .common import crumbs, fail_back

CANDIDATES = 100


def _ids(request, name: str) -> list[int]:
    return [int(v) for v in request.POST.getlist(name) if v.isdigit()]


@login_required
@require_GET
def bulletin_list(request):
    user = request.user
    return render(
        request,
        "inspections/bulletins.html",
        {
            "bulletins": selectors.bulletins_for(user).order_by("-created_at")[:200],
            "next_due": services.next_due(clock.now()),
            "can_manage": user.has_permission("inspection.manage"),
            "title": _("Exposure bulletins"),
            "breadcrumbs": crumbs((_("Exposure bulletins"), None)),
            "show_plans": user.has_permission("inspection.manage")
            or user.has_permission("inspection.inspect"),
        },
    )


@login_required
def bulletin_new(request):
    user = request.user
    if not user.has_permission("inspection.manage"):
        raise PermissionDenied
    findings = list(
        selectors.findings_for(user)
        .filter(visit__status=VisitStatus.PUBLISHED)
        .order_by("-found_at")[:CANDIDATES]
    )
    complaints = list(
        scoped(user, Complaint)
        .exclude(verification="")
        .select_related("unit")
        .order_by("-received_at")[:CANDIDATES]
    )
    sources = [
        {"key": s.key, "label": s.label, "candidates": s.candidates(user, CANDIDATES)}
        for s in bulletin_sources.all_sources()
    ]
    form = forms.BulletinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        chosen = set(_ids(request, "findings"))
        chosen_c = set(_ids(request, "complaints"))
        with service_call(request, form=form) as call:
            bulletin = services.bulletin_create(
                actor=user,
                findings=[f for f in findings if f.pk in chosen],
                complaints=[c for c in complaints if c.pk in chosen_c],
                sources={s["key"]: _ids(request, f"source-{s['key']}") for s in sources},
                **form.cleaned_data,
            )
        if call.ok:
            messages.success(request, _("Bulletin drafted."))
            return redirect("inspections:bulletin", pk=bulletin.pk)
    forms.bootstrap(form)
    return render(
        request,
        "inspections/bulletin_new.html",
        {
            "form": form,
            "findings": findings,
            "complaints": complaints,
            "sources": sources,
            "title": _("Compose an exposure bulletin"),
            "breadcrumbs": crumbs(
                (_("Exposure bulletins"), "/inspections/bulletins/"), (_("New"), None)
            ),  # fmt: skip
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_GET
def bulletin_detail(request, pk: int):
    user = request.user
    bulletin = selectors.get_bulletin(user, pk)
    units = services.bulletins.exposed_units(bulletin)
    may_respond = bulletin.status == BulletinStatus.PUBLISHED and (
        user.has_permission("inspection.manage")
        or (
            user.has_permission("rectification.manage")
            and any(scope_for(user).contains_unit(u) for u in units)
        )
    )
    response_form = None
    if may_respond:
        mine = [u for u in units if scope_for(user).contains_unit(u)]
        response_form = forms.bootstrap(forms.ResponseForm(units=mine))
    return render(
        request,
        "inspections/bulletin.html",
        {
            "bulletin": bulletin,
            "entries": bulletin.entries.select_related("unit", "finding", "complaint"),
            "responses": bulletin.responses.select_related("unit"),
            "units": units,
            "can_manage": user.has_permission("inspection.manage"),
            "can_approve": user.has_permission("bulletin.approve"),
            "response_form": response_form,
            "return_form": forms.bootstrap(forms.ReturnForm()),
            "title": bulletin.number or bulletin.title,
            "breadcrumbs": crumbs(
                (_("Exposure bulletins"), "/inspections/bulletins/"),
                (bulletin.number or bulletin.title, None),
            ),  # fmt: skip
        },
    )


def _respond(request, bulletin):
    units = services.bulletins.exposed_units(bulletin)
    form = forms.ResponseForm(request.POST, request.FILES, units=units)
    if not form.is_valid():
        raise ValidationFailed(
            _("Please correct the errors below."),
            errors={k: [str(e) for e in v] for k, v in form.errors.items()},
        )
    data = form.cleaned_data
    files = [store_upload(upload=f, actor=request.user) for f in data["files"]]
    services.response_record(
        actor=request.user,
        bulletin=bulletin,
        unit=data["unit"],
        kind=data["kind"],
        speaker=data["speaker"],
        text_=data["text"],
        files=files,
    )


ACTIONS = {
    "submit": lambda r, b: services.bulletin_submit(actor=r.user, bulletin=b),
    "approve": lambda r, b: services.bulletin_approve(
        actor=r.user, bulletin=b, entries=_ids(r, "entries"), names_for=_ids(r, "names")
    ),
    "return": lambda r, b: services.bulletin_return(
        actor=r.user, bulletin=b, reason=r.POST.get("reason", "")
    ),
    "publish": lambda r, b: services.bulletin_publish(actor=r.user, bulletin=b),
    "respond": _respond,
}


@login_required
@require_POST
def bulletin_action(request, pk: int, action: str):
    bulletin = selectors.get_bulletin(request.user, pk)
    run = ACTIONS.get(action)
    if run is None:
        return fail_back(request, ValidationFailed(_("Unknown action.")), "inspections:bulletin",
                         pk=bulletin.pk)  # fmt: skip
    with service_call(request) as call, transaction.atomic():
        run(request, bulletin)
    if not call.ok:
        return redirect("inspections:bulletin", pk=bulletin.pk)
    messages.success(request, _("Saved."))
    return redirect("inspections:bulletin", pk=bulletin.pk)
