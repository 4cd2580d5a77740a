"""The case page: its actions, identity reveal (audited) and the printable express report (快报)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from xiaoneng.core import audit, clock
from xiaoneng.core.errors import ValidationFailed
from xiaoneng.core.htmlerrors import service_call
from xiaoneng.core.vocabulary import action_label

from .. import escalation, forms, policies, selectors, services, sla
from ..models import Complaint, EscalationStep
from ..policies import can_view_identity
from ..selectors import is_overdue
from ..views_duplicates import duplicate_context
from ..vocab import Importance, Light, Status
from ..workflow import MACHINE, NON_TRANSITIONS
from .queues import deadline_info


@dataclass(frozen=True)
class ActionSpec:
    segment: str
    transition: str
    label: str
    form: type
    style: str = "outline-primary"
    confirm: str = ""  # asked before submitting: the action notifies other people


ACTIONS = [
    ActionSpec(
        "accept",
        "accept",
        gettext_lazy("Accept"),
        forms.NoteForm,
        "primary",
    ),
    ActionSpec(
        "dispatch",
        "dispatch",
        gettext_lazy("Dispatch"),
        forms.DispatchForm,
        "primary",
    ),
    ActionSpec(
        "reject",
        "reject",
        gettext_lazy("Do not accept"),
        forms.ReasonForm,
        "outline-danger",
    ),
    ActionSpec(
        "sign",
        "sign",
        gettext_lazy("Sign for"),
        forms.EmptyForm,
        "primary",
        gettext_lazy(
            "Sign for this case? The efficiency office sees that your unit has taken it over "
            "and the handling deadline starts now."
        ),
    ),
    ActionSpec(
        "send-back",
        "send_back",
        gettext_lazy("Send back"),
        forms.ReasonForm,
        "outline-warning",
        gettext_lazy(
            "Send this case back to the efficiency office? The office is notified and "
            "dispatches it again."
        ),
    ),
    ActionSpec(
        "assign",
        "assign",
        gettext_lazy("Assign handler"),
        forms.AssignForm,
    ),
    ActionSpec(
        "reply", "reply", pgettext_lazy("complaint action", "Reply"), forms.ReplyForm, "success"
    ),
    ActionSpec(
        "pause",
        "pause",
        gettext_lazy("Pause"),
        forms.ReasonForm,
        "outline-secondary",
    ),
    ActionSpec(
        "resume",
        "resume",
        gettext_lazy("Resume"),
        forms.NoteForm,
    ),
    ActionSpec(
        "request-extension",
        "request_extension",
        gettext_lazy("Request extension"),
        forms.ExtensionRequestForm,
        "outline-secondary",
    ),
    ActionSpec(
        "decide-extension",
        "decide_extension",
        gettext_lazy("Decide extension"),
        forms.ExtensionDecisionForm,
        "outline-primary",
    ),
    ActionSpec(
        "verify",
        "verify",
        gettext_lazy("Verify"),
        forms.VerifyForm,
        "primary",
    ),
    ActionSpec(
        "return-visit",
        "return_visit",
        gettext_lazy("Return visit"),
        forms.ReturnVisitForm,
    ),
    ActionSpec("close", "close", gettext_lazy("Close"), forms.NoteForm, "success"),
    ActionSpec(
        "reopen",
        "reopen",
        gettext_lazy("Reopen"),
        forms.ReasonForm,
        "outline-warning",
    ),
    ActionSpec(
        "escalate",
        "escalate",
        gettext_lazy("Escalate"),
        forms.ReasonForm,
        "outline-danger",
    ),
    ActionSpec(
        "mark-important",
        "mark_important",
        gettext_lazy("Mark important"),
        forms.NoteForm,
        "outline-danger",
    ),
]
ACTIONS_BY_SEGMENT = {a.segment: a for a in ACTIONS}
SERVICE_BY_SEGMENT = {
    "accept": "complaint_accept",
    "dispatch": "complaint_dispatch",
    "reject": "complaint_reject",
    "sign": "complaint_sign",
    "send-back": "complaint_send_back",
    "assign": "complaint_assign",
    "reply": "complaint_reply",
    "pause": "complaint_pause",
    "resume": "complaint_resume",
    "request-extension": "complaint_request_extension",
    "decide-extension": "complaint_decide_extension",
    "verify": "complaint_verify",
    "return-visit": "complaint_return_visit",
    "close": "complaint_close",
    "reopen": "complaint_reopen",
    "escalate": "complaint_escalate",
    "mark-important": "complaint_mark_important",
}


def _state_allows(complaint: Complaint, spec: ActionSpec, pending_extension: bool) -> bool:
    if spec.transition in MACHINE.transitions:
        allowed = MACHINE.can(complaint, spec.transition)
    else:
        allowed = complaint.status in NON_TRANSITIONS.get(spec.transition, ())
    if spec.transition == "request_extension":
        allowed = (
            allowed
            and not pending_extension
            and complaint.extension_count < sla.current_rules().max_extensions
        )
    elif spec.transition == "decide_extension":
        allowed = allowed and pending_extension
    elif spec.transition == "escalate":
        allowed = allowed and complaint.escalation_level < escalation.MAX_LEVEL
    elif spec.transition == "mark_important":
        allowed = allowed and complaint.importance != Importance.IMPORTANT
    return allowed


def available_actions(user, complaint: Complaint, *, bound: dict | None = None) -> list[dict]:
    """The actions this user may take on this case now, each with its small form."""
    pending = getattr(complaint, "pending_extension", None)  # the case page's query has it
    if pending is None:
        pending = complaint.extensions.filter(approved__isnull=True).exists()
    departments_url = reverse("complaints:departments")
    out = []
    for spec in ACTIONS:
        if not policies.can(user, complaint, spec.transition):
            continue
        if not _state_allows(complaint, spec, pending):
            continue
        form = (bound or {}).get(spec.segment) or spec.form(
            user=user, complaint=complaint, departments_url=departments_url, prefix=spec.segment
        )
        out.append(
            {
                "segment": spec.segment,
                "label": spec.label,
                "style": spec.style,
                "confirm": spec.confirm,
                "form": form,
                "url": reverse("complaints:action", args=[complaint.pk, spec.segment]),
                "open": bool(bound and spec.segment in bound),
                "needs_input": bool(form.fields),
            }
        )
    return out


def _get(user, pk: int) -> Complaint:
    return selectors.get_case_page_complaint(user, pk)


def _detail_context(request, complaint: Complaint, **extra) -> dict:
    user = request.user
    now = clock.now()
    complaint.deadline = deadline_info(complaint, now)
    complaint.is_overdue = is_overdue(complaint, now)
    tab = "history" if request.GET.get("tab") == "history" else "overview"
    # Internal notes (non-public events, escalations, extensions, the audit trail) are for the
    # handling side and the office only (policies.reads_internal), not for whoever sees the case.
    internal = policies.reads_internal(user, complaint)
    if not internal:
        tab = "overview"
    # The history tab lists the audit records; the overview only shows their number (counted
    # by the case's own query).
    history = (
        list(audit.history(complaint).order_by("-at", "-id")[: selectors.HISTORY_LIMIT])
        if internal and tab == "history"
        else []
    )
    return {
        "complaint": complaint,
        "title": complaint.number,
        "tab": tab,
        "internal": internal,
        "timeline": labelled_timeline(complaint, public_only=not internal),
        "attachments": complaint.attachments.all(),
        "escalations": complaint.escalations.select_related("person") if internal else [],
        "extensions": (
            complaint.extensions.select_related("requested_by", "decided_by") if internal else []
        ),
        "history": history,
        "history_count": complaint.history_count if internal else 0,
        "actions": available_actions(user, complaint, bound=extra.pop("bound", None)),
        "can_view_identity": can_view_identity(user, complaint),
        "identity_form": extra.pop("identity_form", None) or forms.IdentityRevealForm(),
        "protected_notice": _("Complainant information is protected under the rules"),
        "sign_light": _deadline_badge(complaint.sign_by, now)
        if complaint.status == Status.DISPATCHED
        else None,
        "breadcrumbs": [
            (_("Complaints"), reverse("complaints:queue")),
            (complaint.number, None),
        ],
        **duplicate_context(user, complaint),
        **extra,
    }


STATUS_LABELS = dict(Status.choices)
EVENT_LABELS = {
    "register": gettext_lazy("Registered"),
    "registered": gettext_lazy("Registered"),
    **{a.transition: a.label for a in ACTIONS},
    "redo": gettext_lazy("Redo"),
    "merge": gettext_lazy("Merged into another case"),
    "merge_in": gettext_lazy("Duplicate merged into this case"),
    "dismiss_duplicate": gettext_lazy("Duplicate suggestion dismissed"),
    **dict(EscalationStep.Kind.choices),
}
SYSTEM_ACTOR_NAME = "系统"  # what the escalation sweep stores as the actor of its steps


def labelled_timeline(complaint: Complaint, *, public_only: bool = False) -> list:
    events = list(selectors.timeline(complaint, public_only=public_only).order_by("at", "id"))
    for event in events:
        event.label = EVENT_LABELS.get(event.action) or action_label(event.action)
        event.to_label = STATUS_LABELS.get(event.to_status, event.to_status)
        if event.actor_id is None and event.actor_name == SYSTEM_ACTOR_NAME:
            event.actor_name = ""  # the template says 系统 / System in the reader's language
    return events


def _deadline_badge(at, now) -> str:
    if at is None:
        return Light.NONE
    return Light.RED if at < now else Light.GREEN


@login_required
@require_GET
def detail(request, pk: int):
    complaint = _get(request.user, pk)
    return render(request, "complaints/detail.html", _detail_context(request, complaint))


@login_required
@require_POST
def action(request, pk: int, segment: str):
    user = request.user
    complaint = _get(user, pk)
    spec = ACTIONS_BY_SEGMENT.get(segment)
    if spec is None:
        raise Http404
    form = spec.form(
        request.POST,
        user=user,
        complaint=complaint,
        departments_url=reverse("complaints:departments"),
        prefix=spec.segment,
    )
    if form.is_valid():
        service = getattr(services, SERVICE_BY_SEGMENT[segment])
        with service_call(request, form=form, forbidden="message") as call:
            service(complaint=complaint, actor=user, **form.cleaned_data)
        if call.error is not None and not isinstance(call.error, ValidationFailed):
            return redirect("complaints:detail", pk=pk)
        if call.ok:
            messages.success(request, _("Done: %(action)s.") % {"action": spec.label})
            if selectors.complaints_for(user).filter(pk=pk).exists():
                return redirect("complaints:detail", pk=pk)
            return redirect("complaints:queue")  # e.g. sent back: no longer ours
    forms.bootstrap(form, small=True)
    messages.error(request, _("Please correct the errors below."))
    context = _detail_context(request, complaint, bound={segment: form})
    return render(request, "complaints/detail.html", context, status=400)


@login_required
@require_POST
def identity(request, pk: int):
    """Reveal the complainant's identity (complainant.view; the reason is audited)."""
    user = request.user
    complaint = _get(user, pk)
    if not can_view_identity(user, complaint):
        raise Http404
    form = forms.IdentityRevealForm(request.POST)
    shown = None
    if form.is_valid():
        with service_call(request, show=False) as call:
            shown = services.identity_read(
                complaint=complaint, actor=user, reason=form.cleaned_data["reason"]
            )
        if call.error is not None:
            raise Http404  # a refused read looks like no such record (the scope rule)
    context = _detail_context(request, complaint, identity=shown, identity_form=form)
    if request.htmx:
        return render(request, "complaints/_complainant.html", context)
    return render(request, "complaints/detail.html", context, status=200 if shown else 400)


@login_required
@require_GET
def express(request, pk: int):
    """快报: the printable same-day report of an important case to the principal leaders."""
    complaint = _get(request.user, pk)
    if complaint.importance != Importance.IMPORTANT:
        raise Http404
    now = clock.now()
    complaint.deadline = deadline_info(complaint, now)
    return render(
        request,
        "complaints/express.html",
        {
            "complaint": complaint,
            "now": now,
            "timeline": labelled_timeline(
                complaint, public_only=not policies.reads_internal(request.user, complaint)
            ),
            "protected_notice": _("Complainant information is protected under the rules"),
            "breadcrumbs": [
                (_("Complaints"), reverse("complaints:queue")),
                (complaint.number, reverse("complaints:detail", args=[pk])),
                (_("Express report"), None),
            ],
        },
    )
