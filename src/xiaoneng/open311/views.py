"""Open311 GeoReport v2 endpoints (``/open311/v2/``) and the staff page for integrator keys."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xiaoneng.complaints.vocab import Channel
from xiaoneng.core import clock, ratelimit
from xiaoneng.core.errors import ApplicationError
from xiaoneng.core.htmlerrors import service_call
from xiaoneng.core.params import ParamError, to_instant, to_text

from . import formats, selectors, services
from .models import Open311Key

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-23T00:00:00+08:00"
MAX_SPAN = timedelta(days=90)


def _not_found(fmt: str, what: str):
    return formats.errors(fmt, 404, [what])


# --- discovery and services --------------------------------------------------------------------
@require_GET
def discovery(request, fmt: str):
    base = request.build_absolute_uri(reverse("open311:discovery", args=["json"])).rsplit("/", 1)[0]
    data = {
        "changeset": CHANGESET,
        "contact": _("Contact the complaints office of the health bureau for an API key."),
        "key_service": _("API keys are issued by the system administrator."),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return formats.respond(fmt, data, root="discovery")


@require_GET
def service_list(request, fmt: str):
    data = [selectors.service_payload(c) for c in selectors.services()]
    return formats.respond(fmt, data, root="services", item="service")


@require_GET
def service_definition(request, code: str, fmt: str):
    category = selectors.service(code)
    if category is None:
        return _not_found(fmt, _("service_code %(code)s was not found") % {"code": code})
    return formats.respond(fmt, selectors.service_definition(category), root="service_definition")


# --- service requests --------------------------------------------------------------------------
@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests_view(request, fmt: str):
    if request.method == "POST":
        return _post(request, fmt)
    return _list(request, fmt)


def _split(value: str | None) -> list[str]:
    """A comma-separated list; control characters (NUL) make it unusable (ParamError)."""
    text = to_text(value or "", max_length=10_000)
    return [part.strip() for part in text.split(",") if part.strip()]


def _instant(value: str) -> datetime | None:
    """A w3 date-time (years 1900–2999, a real offset); None when it is not one."""
    try:
        return to_instant(value.replace(" ", "+"))  # an unencoded "+08:00" arrives as a space
    except ParamError:
        return None


def _list(request, fmt: str):
    try:
        return _list_checked(request, fmt)
    except ParamError as exc:
        return formats.errors(fmt, 400, [str(exc)])


def _list_checked(request, fmt: str):
    qs = selectors.requests_qs()
    ids = _split(request.GET.get("service_request_id"))
    if ids:  # "This overrides all other arguments."
        qs = qs.filter(public_id__in=[i.upper() for i in ids[: selectors.MAX_RESULTS]])
    else:
        problems: list[str] = []
        qs = _by_code_and_status(request, qs, problems)
        bounds = _bounds(request, problems)
        if problems:
            return formats.errors(fmt, 400, problems)
        start, end, problem = _window(bounds.get("start_date"), bounds.get("end_date"))
        if problem:
            return formats.errors(fmt, 400, [problem])
        qs = qs.filter(complaint__received_at__gte=start, complaint__received_at__lte=end)
    data = [selectors.request_payload(r) for r in qs[: selectors.MAX_RESULTS]]
    return formats.respond(fmt, data, root="service_requests", item="request")


def _by_code_and_status(request, qs, problems: list[str]):
    codes = _split(request.GET.get("service_code"))
    if codes:
        qs = qs.filter(complaint__category__code__in=codes)
    statuses = set(_split(request.GET.get("status")))
    if statuses - {"open", "closed"}:
        problems.append(_("status must be open or closed"))
    elif statuses == {"open"}:
        qs = qs.exclude(complaint__status__in=selectors.CLOSED_STATUSES)
    elif statuses == {"closed"}:
        qs = qs.filter(complaint__status__in=selectors.CLOSED_STATUSES)
    return qs


def _bounds(request, problems: list[str]) -> dict:
    bounds = {}
    for name in ("start_date", "end_date"):
        raw = (request.GET.get(name) or "").strip()
        if raw:
            bounds[name] = _instant(raw)
            if bounds[name] is None:
                problems.append(
                    _("%(name)s must be a w3 date-time, e.g. 2026-01-01T00:00:00+08:00")
                    % {"name": name}
                )
    return bounds


def _window(start, end):
    """(start, end, problem): the asked range, at most 90 days; the last 90 days by default."""
    if start and end:
        if end < start:
            return start, end, _("end_date is before start_date")
        if end - start > MAX_SPAN:
            return start, end, _("The date range may not span more than 90 days")
    elif start:
        end = start + MAX_SPAN
    else:
        end = end or clock.now()
        start = end - MAX_SPAN
    return start, end, ""


def _post(request, fmt: str):
    key = services.authenticate(request.POST.get("api_key"))
    if key is None:
        message = (
            _("api_key was not provided")
            if not request.POST.get("api_key")
            else _("api_key is not valid or has been revoked")
        )
        return formats.errors(fmt, 403, [message])
    limited = _rate_limited(request, fmt, key)
    if limited is not None:
        return limited
    try:
        result, _created = services.submit(
            key=key,
            data=request.POST,
            idempotency_key=request.headers.get("Idempotency-Key", ""),
        )
    except services.Problem as problem:
        return formats.errors(fmt, problem.status, problem.descriptions)
    except ApplicationError as exc:
        return formats.errors(fmt, exc.status, [exc.detail])
    complaint = result.complaint
    # No complainant secret goes back to the integrator (it may be an app of the very unit
    # complained about): a named complainant gets the tracking code by SMS (docs/SECURITY.md).
    data = [
        {
            "service_request_id": result.public_id,
            "service_notice": selectors.service_notice(complaint),
            "account_id": result.account_id or None,
        }
    ]
    # 200, not 201: the spec gives no code and some clients accept only 200.
    return formats.respond(fmt, data, root="service_requests", item="request")


def _rate_limited(request, fmt: str, key: Open311Key):
    """POSTs are limited per key and client address (scope ``open311_submit``, default 60/m)."""
    decision = ratelimit.hit("open311_submit", f"{key.pk}:{ratelimit.request_key(request)}")
    if decision.allowed:
        return None
    response = formats.errors(fmt, 429, [_("Too many requests; try again later")])
    response["Retry-After"] = str(decision.retry_after)
    return response


@require_GET
def request_detail(request, number: str, fmt: str):
    found = selectors.find_request(number)
    if found is None:
        return _not_found(fmt, _("service_request_id %(id)s was not found") % {"id": number})
    return formats.respond(
        fmt, [selectors.request_payload(found)], root="service_requests", item="request"
    )


@require_GET
def token_detail(request, token: str, fmt: str):
    found = selectors.requests_qs().filter(token=token).first()
    if found is None:
        return _not_found(fmt, _("token %(token)s was not found") % {"token": token})
    data = [{"service_request_id": found.public_id, "token": found.token}]
    return formats.respond(fmt, data, root="service_requests", item="request")


def unknown(request, rest: str = ""):
    fmt = "json" if rest.endswith(".json") else "xml"
    return formats.errors(fmt, 404, [_("There is no such resource")])


# --- staff page: keys --------------------------------------------------------------------------
def _require_manager(request) -> None:
    if not request.user.has_permission("users.manage"):
        raise PermissionDenied


@login_required
def key_list(request):
    _require_manager(request)
    keys = Open311Key.objects.select_related("created_by").all()
    return render(
        request,
        "open311/keys.html",
        {
            "keys": keys,
            "channels": Channel.choices,
            "new_key": request.session.pop("open311_new_key", None),
            "form_errors": {},
            "form_values": {},
            "breadcrumbs": [(_("System"), None), (_("Open311 keys"), None)],
        },
    )


@login_required
@require_POST
def key_create(request):
    _require_manager(request)
    with service_call(request, show=False) as call:
        key, raw = services.key_create(
            actor=request.user,
            name=request.POST.get("name", ""),
            channel=request.POST.get("channel", ""),
        )
    if call.error is not None:  # shown on the form of the page itself
        keys = Open311Key.objects.select_related("created_by").all()
        return render(
            request,
            "open311/keys.html",
            {
                "keys": keys,
                "channels": Channel.choices,
                "new_key": None,
                "form_errors": call.error.errors,
                "form_values": request.POST,
                "breadcrumbs": [(_("System"), None), (_("Open311 keys"), None)],
            },
            status=400,
        )
    # Shown once, on the next page only (never stored in clear).
    request.session["open311_new_key"] = {"name": key.name, "raw": raw}
    messages.success(request, _("Key issued to %(name)s.") % {"name": key.name})
    return redirect("open311:keys")


@login_required
@require_POST
def key_revoke(request, pk: int):
    _require_manager(request)
    key = get_object_or_404(Open311Key, pk=pk)
    services.key_revoke(actor=request.user, key=key)
    messages.success(request, _("Key of %(name)s revoked.") % {"name": key.name})
    return redirect("open311:keys")
