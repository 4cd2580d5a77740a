"""The complaint lists: office queue, unit queue, my cases, and their Excel export."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET

from xiaoneng.core import calendar as work_calendar
from xiaoneng.core import clock
from xiaoneng.core.params import query_with, sort_list
from xiaoneng.core.spreadsheet import Sheet, xlsx_response

from .. import forms, selectors, services, sla
from ..filters import ComplaintFilter
from ..models import Complaint
from ..policies import can_view_identity
from ..selectors import is_overdue
from ..vocab import Status

PAGE_SIZE = 20
EXPORT_LIMIT = 5000


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
