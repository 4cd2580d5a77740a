"""Staff pages for duplicates: the office's list of open suggestions, merge and dismiss.

The case page shows the suggestions of the case (``duplicate_context``). complaint.dispatch only.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xiaoneng.core.htmlerrors import service_call
from xiaoneng.core.params import ParamError, to_id

from . import duplicates, policies, selectors
from .models import Complaint
from .vocab import Status

PAGE_SIZE = 30


def _require_office(user) -> None:
    if not user.has_permission("complaint.dispatch"):
        raise PermissionDenied


def _require_office_on(user, complaint: Complaint) -> None:
    """The office's role on this case (policies), not only the permission."""
    if not policies.can(user, complaint, "merge"):
        raise PermissionDenied


def duplicate_context(user, complaint: Complaint) -> dict:
    """Context for the case page: suggestions, the parent and the merged duplicates."""
    can_merge = policies.can(user, complaint, "merge")
    rows = list(selectors.suggestions_of(complaint)) if can_merge else []
    for row in rows:
        # The other case of the pair, and which one would be merged into which.
        row.newer = row.complaint_id == complaint.pk
        row.other = row.candidate if row.newer else row.complaint
    return {
        "can_merge": can_merge and complaint.status != Status.MERGED,
        "duplicate_suggestions": rows,
        # The case page's query knows whether there are any (has_merged): no query for none.
        "merged_cases": list(selectors.merged_cases(complaint))
        if getattr(complaint, "has_merged", True)
        else [],
    }


@login_required
@require_GET
def suggestions(request):
    """Open duplicate suggestions, newest first."""
    _require_office(request.user)
    page = Paginator(selectors.open_suggestions(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    title = _("Possible duplicates")
    return render(
        request,
        "complaints/duplicates.html",
        {
            "title": title,
            "page": page,
            "breadcrumbs": [(_("Complaints"), reverse("complaints:queue")), (title, None)],
        },
    )


def _back(request, default: str):
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else default)


def _parent_from(user, value: str) -> Complaint | None:
    """A case in scope by id or by number (TS…)."""
    value = (value or "").strip()
    qs = selectors.complaints_for(user)
    try:
        return qs.filter(pk=to_id(value)).first()
    except ParamError:
        pass
    return qs.filter(number=value.upper()).first() if value else None


@login_required
@require_POST
def merge(request, pk: int):
    """Merge this case into the parent given by id or number."""
    user = request.user
    complaint = selectors.get_complaint(user, pk)
    _require_office_on(user, complaint)
    detail = reverse("complaints:detail", args=[pk])
    parent = _parent_from(user, request.POST.get("parent", ""))
    if parent is None:
        messages.error(request, _("Not done: %(reason)s") % {"reason": _("Select a valid case.")})
        return _back(request, detail)
    with service_call(request, forbidden="message") as call:
        duplicates.complaint_merge(
            duplicate=complaint, parent=parent, actor=user, note=request.POST.get("note", "")
        )
    if not call.ok:
        return _back(request, detail)
    messages.success(
        request,
        _("Case %(number)s merged into %(parent)s.")
        % {"number": complaint.number, "parent": parent.number},
    )
    return _back(request, detail)


@login_required
@require_POST
def dismiss(request, pk: int, sid: int):
    """Not a duplicate."""
    user = request.user
    complaint = selectors.get_complaint(user, pk)
    _require_office_on(user, complaint)
    suggestion = get_object_or_404(selectors.suggestions_of(complaint), pk=sid)
    with service_call(request, forbidden="message") as call:
        duplicates.suggestion_dismiss(
            suggestion=suggestion, actor=user, reason=request.POST.get("reason", "")
        )
    if call.ok:
        messages.success(request, _("Suggestion dismissed."))
    return _back(request, reverse("complaints:detail", args=[pk]))
