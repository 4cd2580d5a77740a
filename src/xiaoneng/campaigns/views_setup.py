"""Setting a campaign up by hand (issue 20): a campaign from scratch, its frame edited, and the
set-up page where the office edits the phases (names, dates, order), the leading groups (the
campaign's and each unit's, people from the org chart), the deliverables and the key tasks with
their deadlines. Each form posts to the set-up page with ``form=<kind>`` (and ``obj=<id>``);
an invalid form comes back in place with its errors and what was typed. Writes call services."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from xiaoneng.core.htmlerrors import service_call
from xiaoneng.core.params import Params
from xiaoneng.core.selectors import units_for

from . import forms, selectors, services
from .models import Campaign


def _crumbs(*items):
    return [(_("Campaigns"), reverse("campaigns:list")), *items]


def _office(request) -> None:
    if not selectors.may_manage(request.user):
        raise PermissionDenied


@login_required
def campaign_new_blank(request):
    """A campaign from scratch: its frame now, phases and the rest on the set-up page."""
    _office(request)
    user = request.user
    form = forms.NewCampaignForm(request.POST or None, units_qs=units_for(user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["units"] = list(data["units"]) or None
        with service_call(request, form=form) as outcome:
            campaign = services.campaign_create(actor=user, **data)
        if outcome.ok:
            messages.success(request, _("The campaign was created as a draft; add its phases."))
            return redirect("campaigns:setup", campaign.pk)
    forms.bootstrap(form, small=True)
    title = _("New campaign from scratch")
    return render(
        request,
        "campaigns/edit.html",
        {"title": title, "form": form, "breadcrumbs": _crumbs((title, None))},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def campaign_edit(request, pk: int):
    user = request.user
    campaign = selectors.get_campaign(user, pk)
    _office(request)
    initial = {f: getattr(campaign, f) for f in services.CAMPAIGN_FIELDS}
    form = forms.CampaignForm(request.POST or None, initial=initial, units_qs=units_for(user))
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if v != initial.get(k)}
        with service_call(request, form=form) as outcome:
            services.campaign_update(actor=user, campaign=campaign, **changes)
        if outcome.ok:
            messages.success(request, _("Saved."))
            return redirect("campaigns:setup", campaign.pk)
    forms.bootstrap(form, small=True)
    title = _("Edit the campaign")
    return render(
        request,
        "campaigns/edit.html",
        {
            "title": title,
            "form": form,
            "campaign": campaign,
            "breadcrumbs": _crumbs(
                (campaign.name, reverse("campaigns:detail", args=[campaign.pk])), (title, None)
            ),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


# --- the set-up page ------------------------------------------------------------------------------------
def _obj(qs, request):
    raw = Params(request.POST).id("obj")
    found = qs.filter(pk=raw).first() if raw else None
    if found is None:
        raise Http404
    return found


def _phase_initial(p) -> dict:
    return {
        "name": p.name,
        "starts_on": p.starts_on,
        "ends_on": p.ends_on,
        "description": p.description,
    }


def _handle(request, campaign: Campaign, bound: dict) -> bool:
    """Run the posted form; True when it was saved (the caller redirects)."""
    user, post, which = request.user, request.POST, request.POST.get("form", "")
    actions: dict[str, Callable[[], bool]] = {
        "phase_add": lambda: _form_call(
            request,
            bound,
            "phase_add",
            forms.PhaseForm(post, prefix="new-phase"),
            lambda d: services.phase_add(actor=user, campaign=campaign, **d),
        ),
        "phase": lambda: _phase_edit(request, campaign, bound),
        "phase_up": lambda: _simple(
            request,
            lambda: services.phase_move(
                actor=user, phase=_obj(campaign.phases, request), direction="up"
            ),
        ),
        "phase_down": lambda: _simple(
            request,
            lambda: services.phase_move(
                actor=user, phase=_obj(campaign.phases, request), direction="down"
            ),
        ),
        "phase_delete": lambda: _simple(
            request, lambda: services.phase_delete(actor=user, phase=_obj(campaign.phases, request))
        ),
        "group": lambda: _form_call(
            request,
            bound,
            "group",
            forms.GroupForm(post, prefix="group", campaign=campaign),
            lambda d: services.group_save(actor=user, campaign=campaign, **d),
        ),
        "member_add": lambda: _member_add(request, campaign, bound),
        "member_remove": lambda: _simple(
            request,
            lambda: services.group_member_remove(
                actor=user,
                member=_obj(selectors.group_members_of(campaign), request),
            ),
        ),
        "requirement_add": lambda: _form_call(
            request,
            bound,
            "requirement_add",
            forms.RequirementForm(post, prefix="new-req", campaign=campaign),
            lambda d: services.requirement_create(actor=user, campaign=campaign, **d),
        ),
        "requirement": lambda: _requirement_edit(request, campaign, bound),
        "task_add": lambda: _form_call(
            request,
            bound,
            "task_add",
            forms.KeyTaskForm(post, prefix="new-task", campaign=campaign),
            lambda d: services.key_task_create(actor=user, campaign=campaign, **d),
        ),
        "task": lambda: _task_edit(request, campaign, bound),
    }
    if which not in actions:
        raise PermissionDenied
    return actions[which]()


def _form_call(request, bound, key, form, call) -> bool:
    bound[key] = form
    if not form.is_valid():
        return False
    with service_call(request, form=form) as outcome:
        call(dict(form.cleaned_data))
    return outcome.ok


def _simple(request, call) -> bool:
    with service_call(request) as outcome:
        call()
    return outcome.ok


def _phase_edit(request, campaign, bound) -> bool:
    phase = _obj(campaign.phases, request)
    form = forms.PhaseForm(request.POST, prefix=f"phase-{phase.pk}")
    return _form_call(
        request,
        bound,
        f"phase-{phase.pk}",
        form,
        lambda d: services.phase_update(actor=request.user, phase=phase, **d),
    )


def _member_add(request, campaign, bound) -> bool:
    group = _obj(campaign.groups.select_related("unit"), request)
    form = forms.MemberForm(request.POST, prefix=f"member-{group.pk}", unit=group.unit)
    return _form_call(
        request,
        bound,
        f"member-{group.pk}",
        form,
        lambda d: services.group_member_add(actor=request.user, group=group, **d),
    )


def _requirement_edit(request, campaign, bound) -> bool:
    req = _obj(campaign.requirements, request)
    form = forms.RequirementForm(
        request.POST, prefix=f"req-{req.pk}", campaign=campaign, editing=True
    )
    return _form_call(
        request,
        bound,
        f"req-{req.pk}",
        form,
        lambda d: services.requirement_update(actor=request.user, requirement=req, **d),
    )


def _task_edit(request, campaign, bound) -> bool:
    task = _obj(campaign.key_tasks, request)
    form = forms.KeyTaskForm(
        request.POST, prefix=f"task-{task.pk}", campaign=campaign, editing=True
    )
    return _form_call(
        request,
        bound,
        f"task-{task.pk}",
        form,
        lambda d: services.key_task_update(actor=request.user, task=task, **d),
    )


def _forms_for(campaign: Campaign, bound: dict):
    """Every form of the page: the posted one as it came back, the others from the data."""

    def pick(key, make):
        return forms.bootstrap(bound.get(key) or make(), small=True)

    phases = [
        (
            p,
            pick(
                f"phase-{p.pk}",
                lambda p=p: forms.PhaseForm(prefix=f"phase-{p.pk}", initial=_phase_initial(p)),
            ),
        )
        for p in selectors.phases_of(campaign)
    ]
    groups = []
    for g in selectors.groups_of(campaign):
        member_form = pick(
            f"member-{g.pk}", lambda g=g: forms.MemberForm(prefix=f"member-{g.pk}", unit=g.unit)
        )
        groups.append((g, member_form))
    requirements = [
        (
            r,
            pick(
                f"req-{r.pk}",
                lambda r=r: forms.RequirementForm(
                    prefix=f"req-{r.pk}",
                    campaign=campaign,
                    editing=True,
                    initial={
                        "name": r.name,
                        "phase": r.phase_id,
                        "due_on": r.due_on,
                        "description": r.description,
                    },
                ),
            ),
        )
        for r in campaign.requirements.select_related("phase").order_by(
            "due_on", "sort_order", "id"
        )
    ]
    tasks = [
        (
            t,
            pick(
                f"task-{t.pk}",
                lambda t=t: forms.KeyTaskForm(
                    prefix=f"task-{t.pk}",
                    campaign=campaign,
                    editing=True,
                    initial={
                        "title": t.title,
                        "group": t.group,
                        "due_on": t.due_on,
                        "content": t.content,
                        "lead_units": [u.pk for u in t.lead_units.all()],
                        "responsible_units": [u.pk for u in t.responsible_units.all()],
                    },
                ),
            ),
        )
        for t in campaign.key_tasks.order_by("number").prefetch_related(
            "lead_units", "responsible_units"
        )
    ]
    next_number = max((t.number for t, _f in tasks), default=0) + 1
    return {
        "phases": phases,
        "groups": groups,
        "requirements": requirements,
        "tasks": tasks,
        "phase_add": pick("phase_add", lambda: forms.PhaseForm(prefix="new-phase")),
        "group_form": pick("group", lambda: forms.GroupForm(prefix="group", campaign=campaign)),
        "requirement_add": pick(
            "requirement_add", lambda: forms.RequirementForm(prefix="new-req", campaign=campaign)
        ),
        "task_add": pick(
            "task_add",
            lambda: forms.KeyTaskForm(
                prefix="new-task", campaign=campaign, initial={"number": next_number}
            ),
        ),
    }


@login_required
def setup(request, pk: int):
    campaign = selectors.get_campaign(request.user, pk)
    _office(request)
    bound: dict = {}
    if request.method == "POST" and _handle(request, campaign, bound):
        messages.success(request, _("Saved."))
        anchor = request.POST.get("anchor", "")
        anchor = anchor if anchor in ("phases", "groups", "requirements", "tasks") else ""
        return redirect(
            reverse("campaigns:setup", args=[campaign.pk]) + (f"#{anchor}" if anchor else "")
        )
    title = _("Set up the campaign")
    errors = any(f.errors for f in bound.values())
    return render(
        request,
        "campaigns/setup.html",
        {
            "title": title,
            "campaign": campaign,
            **_forms_for(campaign, bound),
            "breadcrumbs": _crumbs(
                (campaign.name, reverse("campaigns:detail", args=[campaign.pk])), (title, None)
            ),
        },
        status=400 if errors else 200,
    )


# --- a unit's own leading group -----------------------------------------------------------------------
@login_required
def unit_group(request, pk: int):
    """A unit keeps its own leading group for the campaign (组长 / 副组长 / 成员, its office and
    director), people of its own organisation; the office may keep any unit's."""
    user = request.user
    campaign = selectors.get_campaign(user, pk)
    if not (selectors.may_manage(user) or user.has_permission("campaign.submit")):
        raise PermissionDenied
    units = list(selectors.units_of(campaign, user))
    if not units:
        raise PermissionDenied
    wanted = Params(request.GET).id("unit")
    unit = next((u for u in units if u.pk == wanted), units[0])
    group = campaign.groups.filter(unit=unit).first()
    which = request.POST.get("form", "")
    bound: dict = {}
    if request.method == "POST":
        if which == "group":
            form = forms.GroupForm(request.POST, prefix="group", unit=unit)
            del form.fields["unit"]
            ok = _form_call(
                request,
                bound,
                "group",
                form,
                lambda d: services.group_save(actor=user, campaign=campaign, unit=unit, **d),
            )
        elif which == "member_add" and group is not None:
            form = forms.MemberForm(request.POST, prefix="member", unit=unit)
            ok = _form_call(
                request,
                bound,
                "member",
                form,
                lambda d: services.group_member_add(actor=user, group=group, **d),
            )
        elif which == "member_remove" and group is not None:
            member = _obj(group.members.all(), request)
            ok = _simple(request, lambda: services.group_member_remove(actor=user, member=member))
        else:
            raise PermissionDenied
        if ok:
            messages.success(request, _("Saved."))
            return redirect(
                reverse("campaigns:unit_group", args=[campaign.pk]) + f"?unit={unit.pk}"
            )
    group_form = bound.get("group")
    if group_form is None:
        initial = (
            {
                "name": group.name,
                "office_name": group.office_name,
                "office_director": group.office_director_id,
            }
            if group
            else {}
        )
        group_form = forms.GroupForm(prefix="group", unit=unit, initial=initial)
        del group_form.fields["unit"]
    member_form = bound.get("member") or forms.MemberForm(prefix="member", unit=unit)
    title = _("Leading group of %(unit)s") % {"unit": unit.name}
    errors = any(f.errors for f in bound.values())
    return render(
        request,
        "campaigns/unit_group.html",
        {
            "title": title,
            "campaign": campaign,
            "unit": unit,
            "units": units,
            "group": group,
            "members": group.members.select_related("person").order_by("sort_order", "id")
            if group
            else [],
            "group_form": forms.bootstrap(group_form, small=True),
            "member_form": forms.bootstrap(member_form, small=True),
            "breadcrumbs": _crumbs(
                (campaign.name, reverse("campaigns:detail", args=[campaign.pk])), (title, None)
            ),
        },
        status=400 if errors else 200,
    )
