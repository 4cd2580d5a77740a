"""Staff pages of 创先争优 (seed 004)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.core.htmlerrors import service_call, service_errors
from xiaoneng.core.params import Params, page_params

from . import forms, selectors, services
from .workflow import RATING


def _keeper(user) -> bool:
    return user.has_permission(services.MANAGE) or user.has_permission(services.EDIT)


def _post_only_for(allowed: bool, request) -> None:
    if request.method == "POST" and not allowed:
        raise Http404


@login_required
def home(request):
    user = request.user
    _post_only_for(_keeper(user), request)
    form = forms.OrganisationForm(request.POST or None, user=user) if _keeper(user) else None
    if request.method == "POST" and form is not None and form.is_valid():
        with service_call(request, form=form) as outcome:
            org = services.organisation_create(actor=user, **form.cleaned_data)
        if outcome.ok:
            messages.success(request, _("Party organisation added."))
            return redirect("party:organisation", org.pk)
    page = Paginator(selectors.organisations_for(user), 30).get_page(request.GET.get("page"))
    return render(request, "party/home.html", {"page": page, "form": form, "tab": "orgs"})


@login_required
def organisation(request, pk: int):
    user = request.user
    org = selectors.get_organisation(user, pk)
    _post_only_for(_keeper(user), request)
    form = forms.MemberForm(request.POST or None, organisation=org) if _keeper(user) else None
    if request.method == "POST" and form is not None and form.is_valid():
        with service_call(request, form=form) as outcome:
            services.member_save(actor=user, organisation=org, **form.cleaned_data)
        if outcome.ok:
            messages.success(request, _("Party member saved."))
            return redirect("party:organisation", org.pk)
    return render(
        request,
        "party/organisation.html",
        {"org": org, "members": selectors.members_of(org), "form": form, "tab": "orgs"},
    )


@login_required
def ratings(request):
    user = request.user
    schemes = selectors.schemes()
    scheme_id = page_params(request).id("scheme") or Params(request.POST).id("scheme")
    chosen = schemes.filter(pk=scheme_id).first() if scheme_id else None
    _post_only_for(_keeper(user) and chosen is not None, request)
    form = None
    if _keeper(user) and chosen is not None:
        form = forms.RatingForm(request.POST or None, user=user, scheme=chosen)
    if request.method == "POST" and form is not None and form.is_valid():
        with service_call(request, form=form) as outcome:
            rating = services.rating_create(actor=user, **form.service_kwargs())
        if outcome.ok:
            messages.success(
                request, _("Rating recorded: %(stars)s star(s).") % {"stars": rating.stars}
            )
            return redirect(f"{reverse('party:ratings')}?scheme={chosen.pk}")
    qs = selectors.ratings_for(user)
    if chosen is not None:
        qs = qs.filter(scheme=chosen)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "party/ratings.html",
        {
            "page": page,
            "form": form,
            "schemes": schemes,
            "chosen": chosen,
            "can_rate": _keeper(user),
            "can_confirm": user.has_permission(services.MANAGE),
            "tab": "ratings",
        },
    )


@login_required
@require_POST
@service_errors
def rating_action(request, pk: int, action: str):
    if action not in RATING.transitions:
        raise Http404
    rating = selectors.get_rating(request.user, pk)
    services.rating_act(actor=request.user, rating=rating, action=action)
    messages.success(request, _("Done."))
    return redirect("party:ratings")


@login_required
def nominations(request):
    user = request.user
    may = user.has_permission("award.nominate") or user.has_permission("award.decide")
    _post_only_for(may, request)
    form = None
    if may:
        form = forms.NominationForm(
            request.POST or None,
            organisations=selectors.organisations_for(user),
            members=selectors.members_for(user),
        )
        if request.method == "POST" and form.is_valid():
            with service_call(request, form=form) as outcome:
                services.nominate(actor=user, **form.cleaned_data)
            if outcome.ok:
                messages.success(request, _("Nominated; the awards check has run."))
                return redirect("party:nominations")
    rows = []
    qs = selectors.nominations_for(user)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    for n in page:
        rows.append((n, selectors.visible_findings(user, n.nomination.findings)))
    return render(
        request,
        "party/nominations.html",
        {
            "page": page,
            "rows": rows,
            "form": form,
            "can_decide": user.has_permission("award.decide"),
            "tab": "nominations",
        },
    )


@login_required
@require_POST
@service_errors
def nomination_decide(request, pk: int, action: str):
    if action not in ("confirm", "reject"):
        raise Http404
    nomination = selectors.get_nomination(request.user, pk)
    services.decide(
        actor=request.user,
        nomination=nomination,
        action=action,
        override_reason=request.POST.get("override_reason", ""),
    )
    messages.success(request, _("Done."))
    return redirect("party:nominations")


@login_required
def contacts(request):
    user = request.user
    manage = user.has_permission(services.MANAGE)
    _post_only_for(manage, request)
    form = forms.ContactForm(request.POST or None, user=user) if manage else None
    if request.method == "POST" and form is not None and form.is_valid():
        with service_call(request, form=form) as outcome:
            point = services.contact_create(actor=user, **form.cleaned_data)
        if outcome.ok:
            messages.success(request, _("Contact point added."))
            return redirect("party:contact", point.pk)
    page = Paginator(selectors.contacts_for(user), 30).get_page(request.GET.get("page"))
    return render(request, "party/contacts.html", {"page": page, "form": form, "tab": "contacts"})


@login_required
def contact(request, pk: int):
    user = request.user
    point = selectors.get_contact(user, pk)
    may = user.has_permission(services.MANAGE) or user.person_id == point.leader_id
    _post_only_for(may, request)
    form = forms.ContactVisitForm(request.POST or None) if may else None
    if request.method == "POST" and form is not None and form.is_valid():
        with service_call(request, form=form) as outcome:
            services.visit_record(actor=user, point=point, **form.cleaned_data)
        if outcome.ok:
            messages.success(request, _("Visit recorded."))
            return redirect("party:contact", point.pk)
    return render(
        request,
        "party/contact.html",
        {"point": point, "visits": point.visits.all(), "form": form, "tab": "contacts"},
    )
