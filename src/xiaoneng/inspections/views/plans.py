"""Plan pages: the list, a new plan, the plan with its draw and visits."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xiaoneng.core.htmlerrors import service_call

from .. import forms, selectors, services
from .common import crumbs


@login_required
@require_GET
def plan_list(request):
    plans = list(selectors.plans_for(request.user).order_by("-starts_on", "-id")[:200])
    return render(
        request,
        "inspections/plans.html",
        {
            "plans": plans,
            "can_manage": request.user.has_permission("inspection.manage"),
            "title": _("Inspection plans"),
            "breadcrumbs": crumbs((_("Inspection plans"), None)),
            "show_plans": True,
        },
    )


@login_required
def plan_new(request):
    if not request.user.has_permission("inspection.manage"):
        raise PermissionDenied
    form = forms.PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form) as call:
            plan = services.plan_create(actor=request.user, **form.cleaned_data)
        if call.ok:
            messages.success(request, _("Plan saved."))
            return redirect("inspections:plan", pk=plan.pk)
    forms.bootstrap(form)
    return render(
        request,
        "inspections/form.html",
        {
            "form": form,
            "title": _("New inspection plan"),
            "breadcrumbs": crumbs((_("Inspection plans"), "/inspections/plans/"), (_("New"), None)),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_GET
def plan_detail(request, pk: int):
    plan = selectors.get_plan(request.user, pk)
    visits = selectors.visits_for(request.user).filter(plan=plan).prefetch_related("team")
    draw_form = forms.DrawForm()
    forms.bootstrap(draw_form, small=True)
    return render(
        request,
        "inspections/plan.html",
        {
            "plan": plan,
            "visits": visits.order_by("position", "id"),
            "units": plan.units.order_by("path"),
            "team": plan.team.select_related("unit"),
            "pool": plan.inspector_pool.select_related("unit"),
            "draw_form": draw_form,
            "can_manage": request.user.has_permission("inspection.manage"),
            "title": plan.name,
            "breadcrumbs": crumbs(
                (_("Inspection plans"), "/inspections/plans/"), (plan.name, None)
            ),
        },
    )


@login_required
@require_POST
def plan_draw(request, pk: int):
    plan = selectors.get_plan(request.user, pk)
    form = forms.DrawForm(request.POST)
    seed = form.cleaned_data.get("seed") if form.is_valid() else None
    with service_call(request) as call:
        visits = services.plan_draw(actor=request.user, plan=plan, seed=seed)
    if not call.ok:
        return redirect("inspections:plan", pk=plan.pk)
    messages.success(request, _("%(n)s unit(s) drawn.") % {"n": len(visits)})
    return redirect("inspections:plan", pk=plan.pk)
