"""Democratic-evaluation pages: rounds, a round with its ranking and consequences, ballot-link
QR sheets, the consequences list and a consequence's printable document."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.core.htmlerrors import service_call

from .. import forms, qr, selectors
from ..models import BallotToken
from ..services import consequences as consequence_services
from ..services import rounds as services
from ..vocab import ConsequenceStatus, RoundStatus, SubjectKind
from .common import crumbs, run


def _rounds_crumb():
    return (_("Democratic evaluation"), reverse("evaluations:rounds"))


@login_required
def round_list(request):
    title = _("Democratic evaluation")
    return render(
        request,
        "evaluations/rounds.html",
        {
            "title": title,
            "rows": selectors.rounds_for(request.user),
            "may_manage": selectors.may_manage(request.user),
            "breadcrumbs": crumbs((title, None)),
        },
    )


@login_required
def round_new(request):
    user = request.user
    if not selectors.may_manage(user):
        raise PermissionDenied
    form = forms.RoundForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with service_call(request, form=form) as call:
            made = services.round_create(
                actor=user,
                title=data["title"],
                series=data["series"],
                subject_kind=data["subject_kind"],
                period_label=data["period_label"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                apply_ranking=data["apply_ranking"],
                groups=form.groups(),
                units=list(data["units"]) if data["subject_kind"] == SubjectKind.UNIT else [],
                people=form.people_with_posts()
                if data["subject_kind"] == SubjectKind.PERSON
                else [],
            )
        if call.ok:
            return redirect("evaluations:round", pk=made.pk)
    title = _("New evaluation round")
    return render(
        request,
        "evaluations/form.html",
        {
            "title": title,
            "form": form,
            "cancel": reverse("evaluations:rounds"),
            "breadcrumbs": crumbs(_rounds_crumb(), (title, None)),
        },
    )


@login_required
def round_detail(request, pk):
    user = request.user
    made = selectors.get_round(user, pk)
    may_manage = selectors.may_manage(user)
    return render(
        request,
        "evaluations/round.html",
        {
            "title": made.title,
            "round": made,
            "groups": made.groups.all(),
            "subjects": selectors.subjects_of(user, made),
            "consequences": selectors.consequences_of(user, made),
            "ballot_count": made.ballots.count() if may_manage else None,
            "links": made.tokens.count() if may_manage else None,
            "links_used": made.tokens.filter(used_at__isnull=False).count() if may_manage else None,
            "links_form": forms.BallotLinksForm(round=made)
            if may_manage and made.status != RoundStatus.CLOSED
            else None,
            "may_manage": may_manage,
            "breadcrumbs": crumbs(_rounds_crumb(), (made.title, None)),
        },
    )


ROUND_ACTIONS = {
    "open": (services.round_open, gettext_lazy("Voting is open.")),
    "close": (
        services.round_close,
        gettext_lazy("The round is closed; the results and the proposed consequences are below."),
    ),
}


@login_required
def round_action(request, pk, action):
    if request.method != "POST":
        raise Http404
    made = selectors.get_round(request.user, pk)
    if action not in ROUND_ACTIONS:
        raise Http404
    call, done = ROUND_ACTIONS[action]
    run(request, lambda: call(actor=request.user, round=made), done=done)
    return redirect("evaluations:round", pk=made.pk)


@login_required
def round_links(request, pk):
    """POST: issue ballot links for a group; GET ?group=: the printable QR sheet of the unused
    links of a group."""
    user = request.user
    made = selectors.get_round(user, pk)
    if not selectors.may_manage(user):
        raise PermissionDenied
    if request.method == "POST":
        form = forms.BallotLinksForm(request.POST, round=made)
        if form.is_valid() and run(
            request,
            lambda: services.tokens_create(
                actor=user,
                round=made,
                group=form.cleaned_data["group"],
                count=form.cleaned_data["count"],
            ),
        ):
            return redirect(
                reverse("evaluations:round-links", args=[made.pk])
                + f"?group={form.cleaned_data['group'].pk}"
            )
        return redirect("evaluations:round", pk=made.pk)
    group = made.groups.filter(pk=request.GET.get("group") or 0).first() or made.groups.first()
    links = (
        BallotToken.objects.filter(round=made, group=group, used_at__isnull=True) if group else []
    )
    cards = []
    for t in links:
        url = request.build_absolute_uri(reverse("evaluations_public:ballot", args=[t.token]))
        cards.append({"token": t, "url": url, "svg": qr.svg(url)})
    return render(
        request,
        "evaluations/ballot_sheet.html",
        {
            "title": _("Ballot links"),
            "round": made,
            "group": group,
            "groups": made.groups.all(),
            "cards": cards,
            "breadcrumbs": crumbs(
                _rounds_crumb(),
                (made.title, reverse("evaluations:round", args=[made.pk])),
                (_("Ballot links"), None),
            ),
        },
    )


@login_required
def consequence_list(request):
    title = _("Consequences")
    status = request.GET.get("status", "")
    rows = selectors.consequences_for(request.user)
    if status in ConsequenceStatus.values:
        rows = rows.filter(status=status)
    return render(
        request,
        "evaluations/consequences.html",
        {
            "title": title,
            "rows": rows[:500],
            "status": status,
            "statuses": ConsequenceStatus.choices,
            "may_manage": selectors.may_manage(request.user),
            "breadcrumbs": crumbs((title, None)),
        },
    )


@login_required
def consequence_detail(request, pk):
    """The consequence and, once confirmed, its printable document (提醒函 / 诫勉谈话通知…)."""
    found = selectors.get_consequence(request.user, pk)
    return render(
        request,
        "evaluations/consequence.html",
        {
            "title": found.get_measure_display(),
            "c": found,
            "may_manage": selectors.may_manage(request.user),
            "pending": consequence_services.is_pending(found),
            "breadcrumbs": crumbs(
                (_("Consequences"), reverse("evaluations:consequences")), (str(found), None)
            ),
        },
    )


@login_required
def consequence_decide(request, pk):
    if request.method != "POST":
        raise Http404
    user = request.user
    found = selectors.get_consequence(user, pk)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        raise Http404
    note = form.cleaned_data["note"]
    if form.cleaned_data["decision"] == "confirm":
        run(request, lambda: consequence_services.consequence_confirm(actor=user, consequence=found, note=note),
            done=_("Confirmed."))  # fmt: skip
    else:
        run(request, lambda: consequence_services.consequence_dismiss(actor=user, consequence=found, note=note),
            done=_("Dismissed."))  # fmt: skip
    back = request.POST.get("next") or ""
    if back.startswith("/evaluations/"):
        return redirect(back)
    return redirect("evaluations:consequence", pk=found.pk)
