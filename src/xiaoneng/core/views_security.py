"""Login log and audit log pages (系统管理 → 登录日志 / 审计日志).

Both logs are append-only (``AppendOnlyModel``): these pages only read, filter, page and
export them; nothing here (nor in the admin or the API) edits or deletes a record.
Access needs ``loginlog.view`` / ``audit.view``; without it the page is a 403, like the
other permission-gated system pages (import, unit edit).
"""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .forms_security import AuditFilterForm, LoginLogFilterForm
from .models import AuditRecord, LoginLog
from .spreadsheet import Sheet, xlsx_response
from .views_org import _page, _query
from .vocabulary import (
    action_label,
    display_value,
    field_label,
    object_label,
    object_names,
    related_model,
)

EXPORT_MAX_ROWS = 10_000

# Objects whose page has a history tab: object type → URL name of the detail page.
OBJECT_PAGES = {
    "core.unit": "org:unit",
    "core.department": "org:department",
    "core.person": "org:person",
}


def _require(request, code: str) -> None:
    if not request.user.has_permission(code):
        raise PermissionDenied


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def _xlsx(filename: str, header: list[str], rows) -> HttpResponse:
    return xlsx_response(filename, [Sheet(filename.removesuffix(".xlsx"), header, rows)])


def _context(request, *, title: str, page, filters, **extra) -> dict:
    return {
        "title": title,
        "page": page,
        "filters": filters,
        "export_url": _query(request, export="xlsx", page=None),
        "breadcrumbs": [(_("System"), None), (title, None)],
        **extra,
    }


# --- login log -----------------------------------------------------------------------------------
@login_required
@require_GET
def login_log(request):
    """Every login attempt: user, time, IP, user agent, success or failure and why."""
    _require(request, "loginlog.view")
    filters = LoginLogFilterForm(request.GET or None, user=request.user)
    qs = filters.apply(LoginLog.objects.order_by("-at", "-id"))
    if request.GET.get("export") == "xlsx":
        return _xlsx(
            "login-log.xlsx",
            [_("Time"), _("User"), _("Outcome"), _("IP address"), _("User agent")],
            (
                [_local(r.at), r.username, r.get_outcome_display(), r.ip or "", r.user_agent]
                for r in qs[:EXPORT_MAX_ROWS]
            ),
        )
    return render(
        request,
        "core/login_log.html",
        _context(request, title=_("Login log"), page=_page(request, qs), filters=filters),
    )


# --- audit log -----------------------------------------------------------------------------------
def _show(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return json.dumps(value, ensure_ascii=False)


def linked_names(records) -> dict:
    """The names of the rows the records' foreign-key values point at (one query per model)."""
    pairs = []
    for record in records:
        for side in (record.before, record.after):
            if isinstance(side, dict):
                for key, value in side.items():
                    if isinstance(value, int) and not isinstance(value, bool):
                        model = related_model(record.object_type, key)
                        if model is not None:
                            pairs.append((model, value))
    return object_names(pairs)


def changes_of(record: AuditRecord, names: dict | None = None) -> list[dict]:
    """The fields a record names, with their value before and after."""
    before = record.before if isinstance(record.before, dict) else {}
    after = record.after if isinstance(record.after, dict) else {}
    rows = []
    kind = record.object_type
    for key in dict.fromkeys([*after, *before]):
        shown = [display_value(kind, key, side.get(key), names) if key in side else ""
                 for side in (before, after)]  # fmt: skip
        rows.append({"field": field_label(kind, key), "before": shown[0], "after": shown[1]})
    if record.before is not None and not isinstance(record.before, dict):
        rows.append({"field": "", "before": display_value(kind, "", record.before), "after": ""})
    if record.after is not None and not isinstance(record.after, dict):
        rows.append({"field": "", "before": "", "after": display_value(kind, "", record.after)})
    return rows


def object_url(record: AuditRecord) -> str | None:
    name = OBJECT_PAGES.get(record.object_type)
    if not name or not record.object_id.isdigit():
        return None
    try:
        return reverse(name, args=[int(record.object_id)]) + "?tab=history"
    except NoReverseMatch:
        return None


@login_required
@require_GET
def audit_log(request):
    """Every audited write and sensitive read: actor, time, action, object, before/after."""
    _require(request, "audit.view")
    filters = AuditFilterForm(request.GET or None, user=request.user)
    qs = filters.apply(AuditRecord.objects.select_related("actor__person").order_by("-at", "-id"))
    if request.GET.get("export") == "xlsx":
        return _xlsx(
            "audit-log.xlsx",
            [
                _("Time"),
                _("Actor"),
                _("Action"),
                _("Object type"),
                _("Object id"),
                _("Object"),
                _("Before"),
                _("After"),
                _("Reason"),
                _("Request id"),
                _("IP address"),
            ],
            (
                [
                    _local(r.at),
                    r.actor_name,
                    action_label(r.action),
                    object_label(r.object_type),
                    r.object_id,
                    r.object_repr,
                    _show(r.before) if r.before is not None else "",
                    _show(r.after) if r.after is not None else "",
                    r.reason,
                    r.request_id,
                    r.ip or "",
                ]
                for r in qs[:EXPORT_MAX_ROWS]
            ),
        )
    page = _page(request, qs)
    names = linked_names(page)
    rows = [
        {
            "record": r,
            "changes": changes_of(r, names),
            "url": object_url(r),
            "kind": object_label(r.object_type),
        }
        for r in page
    ]
    return render(
        request,
        "core/audit_log.html",
        _context(request, title=_("Audit log"), page=page, filters=filters, rows=rows),
    )
