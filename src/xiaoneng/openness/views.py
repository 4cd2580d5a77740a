"""Staff pages of 领导接待日 and 院务公开, and their public pages (no login)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xiaoneng.core.htmlerrors import service_call, service_errors
from xiaoneng.core.models import Unit

from . import forms, selectors, services
from .workflow import ACTION_PERMISSION, DISCLOSURE, EDITABLE

ACTION_LABELS = {
    "submit": _("Submit for approval"),
    "approve": _("Approve and publish"),
    "return": _("Return"),
    "revise": _("Revise"),
}


# --- 领导接待日 ---------------------------------------------------------------------------------
@login_required
def reception_list(request):
    user = request.user
    form = None
    if user.has_permission(services.MANAGE):
        form = forms.ReceptionForm(request.POST or None, user=user)
        if request.method == "POST" and form.is_valid():
            with service_call(request, form=form) as outcome:
                reception = services.reception_create(actor=user, **form.cleaned_data)
            if outcome.ok:
                messages.success(request, _("Reception day published."))
                return redirect("openness:reception", reception.pk)
    elif request.method == "POST":
        raise Http404
    qs = selectors.receptions_for(user).order_by("-starts_at", "-id")
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "openness/receptions.html", {"page": page, "form": form})


@login_required
def reception_detail(request, pk: int):
    user = request.user
    reception = selectors.get_reception(user, pk)
    form = None
    if user.has_permission("complaint.register"):
        form = forms.VisitForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            with service_call(request, form=form) as outcome:
                visit = services.visit_record(
                    actor=user, reception=reception, **form.service_kwargs()
                )
            if outcome.ok:
                messages.success(
                    request,
                    _("Visit recorded as complaint %(number)s.")
                    % {"number": visit.complaint.number},
                )
                return redirect("openness:reception", reception.pk)
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "openness/reception.html",
        {
            "reception": reception,
            "visits": selectors.visits_of(reception),
            "form": form,
            "can_withdraw": user.has_permission(services.MANAGE),
        },
    )


@login_required
@require_POST
@service_errors
def reception_withdraw(request, pk: int):
    reception = selectors.get_reception(request.user, pk)
    services.reception_withdraw(actor=request.user, reception=reception)
    messages.success(request, _("Reception day withdrawn."))
    return redirect("openness:receptions")


# --- 院务公开 ---------------------------------------------------------------------------------
@login_required
def disclosure_list(request):
    user = request.user
    qs = selectors.disclosures_for(user)
    status = request.GET.get("status", "")
    if status:
        qs = qs.filter(status=status)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    own = user.person.unit if user.person_id and user.has_permission(services.EDIT) else None
    return render(
        request, "openness/disclosures.html", {"page": page, "own": own, "status": status}
    )


@login_required
@require_POST
@service_errors
def disclosure_open(request, unit_pk: int):
    unit = get_object_or_404(Unit, pk=unit_pk)
    disclosure = services.disclosure_open(actor=request.user, unit=unit)
    return redirect("openness:disclosure", disclosure.pk)


@login_required
def disclosure_detail(request, pk: int):
    user = request.user
    disclosure = selectors.get_disclosure(user, pk)
    editable = disclosure.status in EDITABLE and user.has_permission(services.EDIT)
    form = forms.ItemForm(request.POST or None) if editable else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            with service_call(request, form=form) as outcome:
                services.item_add(actor=user, disclosure=disclosure, **form.cleaned_data)
            if outcome.ok:
                messages.success(request, _("Entry added."))
                return redirect("openness:disclosure", disclosure.pk)
    items = [dict(i.as_public(), pk=i.pk) for i in disclosure.items.all()]
    actions = [
        (name, ACTION_LABELS[name])
        for name in DISCLOSURE.allowed(disclosure)
        if user.has_permission(ACTION_PERMISSION[name])
    ]
    return render(
        request,
        "openness/disclosure.html",
        {
            "disclosure": disclosure,
            "sections": selectors.grouped(items),
            "form": form,
            "editable": editable,
            "actions": actions,
        },
    )


@login_required
@require_POST
@service_errors
def item_delete(request, pk: int):
    item = selectors.get_item(request.user, pk)
    services.item_delete(actor=request.user, item=item)
    messages.success(request, _("Entry removed."))
    return redirect("openness:disclosure", item.disclosure_id)


@login_required
@require_POST
@service_errors
def disclosure_action(request, pk: int, action: str):
    disclosure = selectors.get_disclosure(request.user, pk)
    if action not in DISCLOSURE.transitions:
        raise Http404
    services.disclosure_act(
        actor=request.user,
        disclosure=disclosure,
        action=action,
        reason=request.POST.get("reason", ""),
    )
    messages.success(request, _("Done: %(action)s.") % {"action": ACTION_LABELS[action]})
    return redirect("openness:disclosure", disclosure.pk)


# --- the public site ---------------------------------------------------------------------------
@require_GET
def public_home(request):
    return render(
        request,
        "openness/public/home.html",
        {"units": selectors.public_units(), "roster": selectors.public_roster()[:5]},
    )


@require_GET
def public_roster(request):
    return render(request, "openness/public/roster.html", {"roster": selectors.public_roster()})


@require_GET
def public_unit(request, code: str):
    unit = Unit.objects.filter(code=code, is_active=True).first()
    rows = selectors.public_disclosure(unit) if unit is not None else None
    if rows is None:
        raise Http404
    return render(
        request,
        "openness/public/unit.html",
        {"unit": unit, "sections": selectors.grouped(rows)},
    )
