"""Staff pages of accountability (问责), the annual assessment (年度考核) and awards (评先评优)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.core.htmlerrors import service_call

from . import forms, policies, selectors
from .models import Indicator
from .services import assessment, awards, cases
from .vocab import CaseStatus, NominationStatus, SchemeStatus
from .workflow import ACTION_PERMISSION, CASE, EDITABLE

ACTION_LABELS = {
    "review": _("Start the preliminary check"),
    "file": _("File the case"),
    "dismiss": _("Do not file"),
    "investigate": _("Start the investigation"),
    "propose": _("Propose the handling"),
    "send_back": _("Send back for more investigation"),
    "approve": _("Approve"),
    "serve": _("Serve the decision"),
    "appeal": _("Record an appeal"),
    "close": _("Close the case"),
}
NOTE_REQUIRED = {"dismiss", "propose", "send_back", "appeal"}
BACKWARD = {"dismiss", "send_back", "appeal"}  # shown after the step forward


def _crumbs(*rest) -> list:
    return [(_("Accountability"), reverse("accountability:list")), *rest]


def _attempt(request: HttpRequest, fn: Callable[[], Any], form=None) -> bool:
    """Run a service; its refusal is shown the one way (``core.htmlerrors``)."""
    with service_call(request, form=form) as call:
        fn()
    return call.ok


# --- cases -------------------------------------------------------------------------------------
@login_required
def case_list(request):
    user = request.user
    visible = selectors.cases_for(user)
    status = request.GET.get("status", "")
    qs = visible.filter(status=status) if status in CaseStatus.values else visible
    page = Paginator(qs.order_by("-created_at", "-id"), 20).get_page(request.GET.get("page"))
    counts = selectors.case_counts(user)
    tabs = [("", _("All"), sum(counts.values()))] + [
        (s.value, s.label, counts.get(s.value, 0)) for s in CaseStatus
    ]
    return render(
        request,
        "accountability/list.html",
        {
            "page": page,
            "tabs": tabs,
            "status": status,
            "can_manage": policies.can_manage(user),
            "can_assess": user.has_permission("assessment.manage")
            or user.has_permission(policies.VIEW),
            "now": timezone.now(),
            "breadcrumbs": _crumbs((_("Accountability cases"), None)),
        },
    )


@login_required
def case_new(request):
    if not policies.can_manage(request.user):
        raise Http404
    form = forms.CaseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        created = {}
        if _attempt(
            request,
            lambda: created.update(case=cases.case_create(actor=request.user, **form.cleaned_data)),
            form,
        ):
            messages.success(
                request, _("Case %(number)s registered.") % {"number": created["case"].number}
            )
            return redirect("accountability:case", pk=created["case"].pk)
    return render(
        request,
        "accountability/form.html",
        {
            "form": form,
            "title": _("Register a case"),
            "breadcrumbs": _crumbs((_("Register a case"), None)),
        },
    )


@login_required
@require_POST
def case_from_source(request, source: str, pk: int):
    """The “hold to account” button of a complaint, finding or supervision order page."""
    if not policies.can_manage(request.user):
        raise Http404
    created = {}
    if _attempt(
        request,
        lambda: created.update(
            case=cases.case_from_source(source=source, pk=pk, actor=request.user)
        ),
    ):
        return redirect("accountability:case", pk=created["case"].pk)
    return redirect("accountability:list")


@login_required
def case_detail(request, pk: int):
    user = request.user
    case = selectors.get_case(user, pk)
    subjects = list(case.subjects.select_related("measure", "person"))
    editable = case.status in EDITABLE and policies.can_manage(user)
    actions = [
        {"name": name, "label": ACTION_LABELS[name], "note_required": name in NOTE_REQUIRED}
        for name in sorted(CASE.allowed(case), key=lambda n: n in BACKWARD)
        if user.has_permission(ACTION_PERMISSION[name])
        and not (name == "propose" and case.status == CaseStatus.REGISTERED and not case.fast_track)
    ]
    return render(
        request,
        "accountability/case.html",
        {
            "case": case,
            "subjects": [
                (
                    s,
                    forms.SubjectForm(
                        initial={
                            "finding": s.finding,
                            "measure": s.measure,
                            "measure_note": s.measure_note,
                        },
                        prefix=f"s{s.pk}",
                    ),
                )
                for s in subjects
            ],
            "editable": editable,
            "add_form": forms.SubjectAddForm(case=case) if editable else None,
            "actions": actions,
            "note_form": forms.NoteForm(),
            "outcome_form": forms.ReferralOutcomeForm(),
            "can_manage": policies.can_manage(user),
            "events": case.events.all(),
            "breadcrumbs": _crumbs((case.number, None)),
        },
    )


@login_required
@require_POST
def case_action(request, pk: int, action: str):
    case = selectors.get_case(request.user, pk)
    if action not in CASE.transitions:
        raise Http404
    form = forms.NoteForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    if _attempt(
        request,
        lambda: cases.transition(
            case,
            action,
            actor=request.user,
            note=data.get("note", ""),
            appeal_waived=data.get("appeal_waived", False),
        ),
    ):
        messages.success(request, _("Done: %(action)s.") % {"action": ACTION_LABELS[action]})
    return redirect("accountability:case", pk=pk)


@login_required
@require_POST
def subject_add(request, pk: int):
    case = selectors.get_case(request.user, pk)
    form = forms.SubjectAddForm(request.POST, case=case)
    if form.is_valid():
        if _attempt(
            request,
            lambda: cases.subject_add(case=case, actor=request.user, **form.cleaned_data),
            form,
        ):
            messages.success(request, _("Person added."))
    else:
        messages.error(request, _("Please correct the errors below."))
    return redirect("accountability:case", pk=pk)


@login_required
@require_POST
def subject_update(request, pk: int, subject_pk: int):
    case = selectors.get_case(request.user, pk)
    subject = get_object_or_404(case.subjects.select_related("case", "measure"), pk=subject_pk)
    if "referral_outcome" in request.POST:
        form = forms.ReferralOutcomeForm(request.POST)
        if form.is_valid() and _attempt(
            request,
            lambda: cases.subject_update(
                subject=subject,
                actor=request.user,
                referral_outcome=form.cleaned_data["referral_outcome"],
            ),
        ):
            messages.success(request, _("Saved."))
        return redirect("accountability:case", pk=pk)
    form = forms.SubjectForm(request.POST, prefix=f"s{subject.pk}")
    if form.is_valid():
        d = form.cleaned_data
        if _attempt(
            request,
            lambda: cases.subject_update(
                subject=subject,
                actor=request.user,
                finding=d["finding"],
                measure=d["measure"],
                clear_measure=d["measure"] is None,
                measure_note=d["measure_note"],
            ),
        ):
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Please correct the errors below."))
    return redirect("accountability:case", pk=pk)


@login_required
def my_decisions(request):
    return render(
        request,
        "accountability/my_decisions.html",
        {
            "subjects": selectors.my_decisions(request.user),
            "breadcrumbs": [(_("Decisions served on me"), None)],
        },
    )


# --- annual assessment -------------------------------------------------------------------------
@login_required
def schemes(request):
    user = request.user
    can_manage = user.has_permission("assessment.manage")
    form = forms.SchemeForm(request.POST or None, initial={"year": timezone.localtime().year})
    if request.method == "POST":
        if not can_manage:
            raise Http404
        created = {}
        if form.is_valid() and _attempt(
            request,
            lambda: created.update(s=assessment.scheme_create(actor=user, **form.cleaned_data)),
            form,
        ):
            return redirect("accountability:scheme", pk=created["s"].pk)
    return render(
        request,
        "accountability/schemes.html",
        {
            "schemes": selectors.schemes_for(user),
            "form": form if can_manage else None,
            "breadcrumbs": _crumbs((_("Annual assessment"), None)),
        },
    )


@login_required
def scheme_detail(request, pk: int):
    user = request.user
    scheme = selectors.get_scheme(user, pk)
    return render(
        request,
        "accountability/scheme.html",
        {
            "scheme": scheme,
            "indicators": scheme.indicators.all(),
            "vetoes": scheme.vetoes.all(),
            "rows": selectors.assessments_for(user, scheme),
            "can_manage": user.has_permission("assessment.manage"),
            "actions": [a for a in assessment.SCHEME.allowed(scheme)],
            "is_draft": scheme.status == SchemeStatus.DRAFT,
            "breadcrumbs": _crumbs(
                (_("Annual assessment"), reverse("accountability:schemes")), (scheme.name, None)
            ),
        },
    )


@login_required
@require_POST
def scheme_action(request, pk: int, action: str):
    scheme = selectors.get_scheme(request.user, pk)
    if action == "compute":
        if _attempt(request, lambda: assessment.compute(scheme=scheme, actor=request.user)):
            messages.success(request, _("Scores computed."))
    elif action in assessment.SCHEME.transitions:
        if _attempt(
            request,
            lambda: assessment.scheme_transition(scheme=scheme, actor=request.user, action=action),
        ):
            messages.success(request, _("Saved."))
    else:
        raise Http404
    return redirect("accountability:scheme", pk=pk)


@login_required
def assessment_detail(request, pk: int):
    user = request.user
    target = selectors.get_assessment(user, pk)
    form = forms.AdjustForm(request.POST or None)
    can_manage = user.has_permission("assessment.manage")
    if request.method == "POST":
        if not can_manage:
            raise Http404
        indicator = None
        if request.POST.get("indicator", "").isdigit():
            indicator = Indicator.objects.filter(
                pk=int(request.POST["indicator"]), scheme=target.scheme
            ).first()
        if form.is_valid() and _attempt(
            request,
            lambda: assessment.adjust(
                assessment=target, actor=user, indicator=indicator, **form.cleaned_data
            ),
            form,
        ):
            messages.success(request, _("Adjustment recorded."))
            return redirect("accountability:assessment", pk=pk)
    scheme = target.scheme
    return render(
        request,
        "accountability/assessment.html",
        {
            "a": target,
            "lines": target.lines.select_related("indicator"),
            "adjustments": target.adjustments.select_related("indicator"),
            "indicators": scheme.indicators.all(),
            "form": form if can_manage and scheme.status == SchemeStatus.DRAFT else None,
            "breadcrumbs": _crumbs(
                (_("Annual assessment"), reverse("accountability:schemes")),
                (scheme.name, reverse("accountability:scheme", args=[scheme.pk])),
                (target.unit.name, None),
            ),
        },
    )


# --- nominations -------------------------------------------------------------------------------
@login_required
def nominations(request):
    user = request.user
    can_nominate = user.has_permission("award.nominate") or user.has_permission("award.decide")
    form = forms.NominationForm(
        request.POST or None, user=user, initial={"year": timezone.localtime().year}
    )
    if request.method == "POST":
        if not can_nominate:
            raise Http404
        created = {}
        if form.is_valid() and _attempt(
            request,
            lambda: created.update(n=awards.nominate(actor=user, **form.cleaned_data)),
            form,
        ):
            return redirect("accountability:nomination", pk=created["n"].pk)
    page = Paginator(selectors.nominations_for(user), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "accountability/nominations.html",
        {
            "page": page,
            "form": form if can_nominate else None,
            "breadcrumbs": _crumbs((_("Award nominations"), None)),
        },
    )


@login_required
def nomination_detail(request, pk: int):
    user = request.user
    nomination = selectors.get_nomination(user, pk)
    return render(
        request,
        "accountability/nomination.html",
        {
            "n": nomination,
            "findings": selectors.visible_findings(user, nomination.findings),
            "blocking": [f for f in nomination.findings if f.get("blocking")],
            "can_decide": user.has_permission("award.decide")
            and nomination.status == NominationStatus.NOMINATED,
            "form": forms.DecideForm(),
            "breadcrumbs": _crumbs(
                (_("Award nominations"), reverse("accountability:nominations")),
                (nomination.award, None),
            ),
        },
    )


@login_required
@require_POST
def nomination_action(request, pk: int, action: str) -> HttpResponse:
    nomination = selectors.get_nomination(request.user, pk)
    if action == "check":
        awards.run_check(nomination)
        messages.success(request, _("Checked."))
    elif action in awards.NOMINATION.transitions:
        form = forms.DecideForm(request.POST)
        form.is_valid()
        if _attempt(
            request,
            lambda: awards.decide(
                nomination=nomination,
                actor=request.user,
                action=action,
                override_reason=form.cleaned_data.get("override_reason", ""),
            ),
        ):
            messages.success(request, _("Saved."))
    else:
        raise Http404
    return redirect("accountability:nomination", pk=pk)
