"""Staff pages of the complaint engine: office queue, unit queue, my cases, registration, the case
page with its actions, identity reveal (audited) and the printable express report (快报).

Reads start from ``selectors`` (out of scope = 404); every write is a ``services`` call.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from xiaoneng.core import audit, clock
from xiaoneng.core import calendar as work_calendar
from xiaoneng.core.errors import Conflict, Forbidden, ValidationFailed
from xiaoneng.core.params import Params, query_with, sort_list
from xiaoneng.core.spreadsheet import Sheet, xlsx_response
from xiaoneng.core.vocabulary import action_label

from . import escalation, forms, policies, selectors, services, sla
from .filters import ComplaintFilter
from .models import Complaint, EscalationStep
from .policies import can_view_identity
from .selectors import COMPLAINT_RELATED, is_overdue
from .views_duplicates import duplicate_context
from .vocab import Importance, Light, Status
from .workflow import MACHINE, NON_TRANSITIONS

PAGE_SIZE = 20
EXPORT_LIMIT = 5000


# --- list helpers ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Col:
    key: str
    label: str
    order_by: tuple[str, ...] = ()


COLUMNS = [
    Col("number", gettext_lazy("Number"), ("number",)),
    Col("title", gettext_lazy("Title")),
    Col("type", gettext_lazy("Type"), ("type", "-received_at")),
    Col("channel", gettext_lazy("Channel"), ("channel", "-received_at")),
    Col("unit", gettext_lazy("Responsible unit"), ("unit__path", "-received_at")),
    Col("status", gettext_lazy("Status"), ("status", "-received_at")),
    Col("received_at", gettext_lazy("Received"), ("received_at",)),
    Col("deadline", gettext_lazy("Deadline"), ("resolve_by",)),
]
DEFAULT_ORDER = ("-received_at", "-id")


def _query(request, **changes) -> str:
    return query_with(request, **changes)


def _sorted(request, qs: QuerySet, columns=COLUMNS, default=DEFAULT_ORDER):
    """Order by ?sort=key / -key (declared columns only); return qs and the header cells."""
    return sort_list(request, qs, columns, default)


def _page(request, qs: QuerySet, *, count: int | None = None):
    """A page of `qs`; `count`, when the caller already knows it, saves a COUNT query."""
    paginator = Paginator(qs, PAGE_SIZE)
    if count is not None:
        paginator.count = count  # a cached_property: set it, the paginator never asks
    return paginator.get_page(request.GET.get("page"))


def list_queryset(user) -> QuerySet[Complaint]:
    return selectors.complaints_for(user, related=selectors.PAGE_RELATED)


def deadline_info(complaint: Complaint, now) -> dict:
    """The red/yellow/green badge and the remaining (or overdue) time of a case."""
    light = str(sla.light(complaint, now))
    deadline = complaint.resolve_by
    if complaint.status == Status.PAUSED:
        return {"light": light, "text": _("Clock paused"), "at": deadline}
    if complaint.status in (Status.CLOSED, Status.REJECTED, Status.MERGED) or deadline is None:
        return {"light": light, "text": "", "at": deadline}
    if deadline >= now:
        days = work_calendar.working_days_between(now, deadline)
        if days >= 1:
            text = ngettext("%(n)s working day left", "%(n)s working days left", days) % {"n": days}
        else:
            hours = max(1, math.ceil((deadline - now).total_seconds() / 3600))
            text = ngettext("%(n)s hour left", "%(n)s hours left", hours) % {"n": hours}
    else:
        late = now - deadline
        if late.days >= 1:
            text = ngettext("Overdue by %(n)s day", "Overdue by %(n)s days", late.days) % {
                "n": late.days
            }
        else:
            hours = max(1, math.ceil(late.total_seconds() / 3600))
            text = ngettext("Overdue by %(n)s hour", "Overdue by %(n)s hours", hours) % {"n": hours}
    return {"light": light, "text": text, "at": deadline}


def _decorate(rows, now) -> None:
    for complaint in rows:
        complaint.deadline = deadline_info(complaint, now)
        complaint.is_overdue = is_overdue(complaint, now)


def _status_counts(user) -> list[dict]:
    counts = dict(selectors.counts_by_status(user))
    return [
        {"status": value, "label": label, "count": counts.get(value, 0)}
        for value, label in Status.choices
    ]


# --- queues ------------------------------------------------------------------------------------
@login_required
@require_GET
def queue(request):
    """The office queue (complaint.dispatch), also the filterable list of read-only roles with a
    wide scope (a bureau leader: no action tabs); everyone else gets their unit queue here."""
    if not selectors.browses_all(request.user):
        return _unit_queue(request)
    counts = _status_counts(request.user)
    return _filtered_list(
        request,
        base=list_queryset(request.user),
        title=_("Complaint queue"),
        template="complaints/queue.html",
        export_name="complaints.xlsx",
        unfiltered_count=sum(c["count"] for c in counts),  # the tabs already counted them all
        counts=counts,
        acts=request.user.has_permission("complaint.dispatch"),
    )


@login_required
@require_GET
def mine(request):
    """My cases: the ones I handle or registered."""
    user = request.user
    condition = Q(registered_by=user)
    if user.person_id:
        condition |= Q(handler_id=user.person_id)
    return _filtered_list(
        request,
        base=list_queryset(user).filter(condition),
        title=_("My cases"),
        template="complaints/mine.html",
        export_name="my-complaints.xlsx",
    )


def _filtered_list(request, *, base, title, template, export_name, unfiltered_count=None, **extra):
    filterset = ComplaintFilter(request.GET or None, queryset=base, request=request)
    forms.bootstrap(filterset.form, small=True)
    qs, headers = _sorted(request, filterset.qs)
    if request.GET.get("export") == "xlsx":
        return export_xlsx(request, qs, export_name)
    page = _page(request, qs, count=unfiltered_count if _unfiltered(filterset) else None)
    _decorate(page, clock.now())
    return render(
        request,
        template,
        {
            "title": title,
            "page": page,
            "headers": headers,
            "filters": filterset.form,
            "export_url": _query(request, export="xlsx", page=None),
            "breadcrumbs": [(_("Complaints"), reverse("complaints:queue")), (title, None)],
            "can_register": request.user.has_permission("complaint.register"),
            **extra,
        },
    )


def _unfiltered(filterset) -> bool:
    """No filter narrows the list (sorting and paging do not count)."""
    if not filterset.is_bound:
        return True
    form = filterset.form
    return form.is_valid() and all(v in (None, "", []) for v in form.cleaned_data.values())


UNIT_TABS = [
    ("to_sign", gettext_lazy("To sign for")),
    ("handling", gettext_lazy("In handling")),
    ("due_soon", gettext_lazy("Due soon")),
    ("overdue", gettext_lazy("Overdue")),
]


@login_required
@require_GET
def unit_queue(request):
    return _unit_queue(request)


def _unit_queue(request):
    user = request.user
    tab = request.GET.get("tab")
    tab = tab if tab in dict(UNIT_TABS) else "to_sign"
    counts = selectors.unit_queue_counts(user)
    tabs = [
        {
            "key": key,
            "label": label,
            "count": counts[key],
            "url": f"?tab={key}",
            "active": key == tab,
        }
        for key, label in UNIT_TABS
    ]
    qs = selectors.unit_queue(user, tab, related=selectors.PAGE_RELATED)
    qs, headers = _sorted(request, qs, default=("resolve_by", "id"))
    page = _page(request, qs, count=counts[tab])
    _decorate(page, clock.now())
    title = _("Unit queue")
    return render(
        request,
        "complaints/unit_queue.html",
        {
            "title": title,
            "tabs": tabs,
            "tab": tab,
            "page": page,
            "headers": headers,
            "breadcrumbs": [(_("Complaints"), reverse("complaints:queue")), (title, None)],
            "can_register": user.has_permission("complaint.register"),
        },
    )


def export_xlsx(request, qs: QuerySet, filename: str) -> HttpResponse:
    """The list as Excel; the complainant is shown only to users with complainant.view, and
    every identity read for the export is audited."""
    user = request.user
    now = clock.now()

    def rows():
        for complaint in qs[:EXPORT_LIMIT]:
            info = deadline_info(complaint, now)
            if complaint.anonymous:
                who = _("Anonymous")
            elif can_view_identity(user, complaint):
                identity = services.identity_read(
                    complaint=complaint, actor=user, reason=_("export")
                )
                who = " ".join(filter(None, [identity.get("name"), identity.get("phone")]))
            else:
                who = _("Complainant information is protected under the rules")
            yield [
                complaint.number,
                timezone.localtime(complaint.received_at).strftime("%Y-%m-%d %H:%M"),
                complaint.get_channel_display(),
                complaint.get_type_display(),
                complaint.category.name,
                complaint.title,
                complaint.subject_unit.name,
                complaint.unit.name if complaint.unit else "",
                complaint.get_status_display(),
                timezone.localtime(complaint.resolve_by).strftime("%Y-%m-%d %H:%M")
                if complaint.resolve_by
                else "",
                info["text"],
                who,
            ]

    header = [
        _("Number"),
        _("Received"),
        _("Channel"),
        _("Type"),
        _("Category"),
        _("Title"),
        _("Unit complained about"),
        _("Responsible unit"),
        _("Status"),
        _("Deadline"),
        _("Remaining time"),
        _("Complainant"),
    ]
    widths = (16, 17, 10, 8, 14, 40, 20, 20, 10, 17, 14, 24)
    return xlsx_response(filename, [Sheet(_("Complaints"), header, rows(), widths=widths)])


# --- registration ------------------------------------------------------------------------------
FIELD_ALIASES = {  # service argument → form field
    "subject_unit": "unit",
    "subject_department": "department",
    "subject_person": "subject_person_name",
    "complainant": "complainant_name",
    "complainant.name": "complainant_name",
    "phone": "complainant_phone",
    "complainant.phone": "complainant_phone",
    "complainant.id_number": "complainant_id_number",
    "complainant.address": "complainant_address",
}


def _add_service_errors(form, exc: ValidationFailed) -> None:
    if not exc.errors:
        form.add_error(None, exc.detail)
    for name, errors in exc.errors.items():
        field = FIELD_ALIASES.get(name, name)
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


@login_required
def new(request):
    if not request.user.has_permission("complaint.register"):
        raise PermissionDenied
    departments_url = reverse("complaints:departments")
    form = forms.ComplaintRegisterForm(request.POST or None, departments_url=departments_url)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.complaint_register(actor=request.user, **form.service_kwargs())
        except ValidationFailed as exc:
            _add_service_errors(form, exc)
        except Forbidden as exc:
            raise PermissionDenied(str(exc.detail))
        else:
            messages.success(
                request,
                _("Complaint %(number)s registered.") % {"number": complaint.number},
            )
            if can_view_identity(request.user, complaint):
                # The complainant's receipt, once (docs/SECURITY.md): never shown again.
                messages.info(
                    request,
                    _(
                        "Give the complainant the tracking code %(code)s and the rating key "
                        "%(key)s. They are not shown again."
                    )
                    % {
                        "code": complaint.tracking_code,
                        "key": services.receipt_secrets(complaint)["rating_key"],
                    },
                )
            return redirect("complaints:detail", pk=complaint.pk)
    forms.bootstrap(form)
    title = _("Register a complaint")
    return render(
        request,
        "complaints/new.html",
        {
            "form": form,
            "title": title,
            "breadcrumbs": [(_("Complaints"), reverse("complaints:queue")), (title, None)],
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_GET
def departments(request):
    """<option>s of a unit's departments for the unit → department selects (htmx)."""
    name = next((k for k in request.GET if k == "unit" or k.endswith("-unit")), "unit")
    qs = forms.departments_of(Params(request.GET).id(name))
    return render(request, "complaints/_department_options.html", {"departments": qs})


# --- the case page -----------------------------------------------------------------------------
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
    complaint = selectors.get_complaint(user, pk)
    return Complaint.objects.select_related(*COMPLAINT_RELATED).get(pk=complaint.pk)


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
    history = list(audit.history(complaint).order_by("-at", "-id")[:200]) if internal else []
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
        try:
            service(complaint=complaint, actor=user, **form.cleaned_data)
        except Conflict as exc:
            messages.error(request, _("Not done: %(reason)s") % {"reason": exc.detail})
            return redirect("complaints:detail", pk=pk)
        except Forbidden as exc:
            messages.error(request, _("Not allowed: %(reason)s") % {"reason": exc.detail})
            return redirect("complaints:detail", pk=pk)
        except ValidationFailed as exc:
            for name, errors in (exc.errors or {"": [exc.detail]}).items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
        else:
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
        try:
            shown = services.identity_read(
                complaint=complaint, actor=user, reason=form.cleaned_data["reason"]
            )
        except Forbidden:
            raise Http404
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
