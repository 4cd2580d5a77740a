"""RFC 9457 problem details for every API error, including the application's own errors."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from ..errors import ApplicationError

PROBLEM_TYPE = "about:blank"


def problem(
    status_code: int, title: str, detail: str = "", errors: dict | None = None, headers=None
) -> Response:
    body = {
        "type": PROBLEM_TYPE,
        "title": str(title),
        "status": status_code,
        "detail": str(detail or title),
    }
    if errors:
        body["errors"] = errors
    response = Response(body, status=status_code, headers=headers)
    response.content_type = "application/problem+json"
    return response


def _flatten(data, prefix: str = "") -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            out.update(_flatten(value, name))
    elif isinstance(data, list):
        if all(not isinstance(v, dict | list) for v in data):
            out[prefix or "non_field_errors"] = [str(v) for v in data]
        else:
            for i, value in enumerate(data):
                out.update(_flatten(value, f"{prefix}[{i}]"))
    else:
        out[prefix or "non_field_errors"] = [str(data)]
    return out


def problem_exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        return problem(exc.status, exc.title, exc.detail, exc.errors or None)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    headers = {
        k: v
        for k, v in response.headers.items()
        if k in {"Retry-After", "WWW-Authenticate", "Allow"}
    }
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        return problem(
            status.HTTP_400_BAD_REQUEST,
            _("Invalid input"),
            _("Please correct the fields listed."),
            errors,
        )
    detail = (
        exc.detail
        if isinstance(getattr(exc, "detail", None), str)
        else str(getattr(exc, "detail", ""))
    )
    title = {
        401: _("Authentication required"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("Method not allowed"),
        409: _("Conflict with the current state"),
        415: _("Unsupported media type"),
        429: _("Too many requests"),
    }.get(response.status_code, _("Request could not be processed"))
    return problem(response.status_code, title, detail, headers=headers)


def server_error(request, *args, **kwargs):
    """``handler500``: an unexpected error in the API answers problem+json (the pages keep
    Django's plain page). Django has already logged the exception with its traceback."""
    if not request.path.startswith("/api/"):
        return defaults.server_error(request, *args, **kwargs)
    body = {
        "type": PROBLEM_TYPE,
        "title": str(_("Server error")),
        "status": 500,
        "detail": str(_("Something went wrong on our side; the error has been logged.")),
    }
    return JsonResponse(
        body,
        status=500,
        content_type="application/problem+json",
        json_dumps_params={"ensure_ascii": False},
    )
