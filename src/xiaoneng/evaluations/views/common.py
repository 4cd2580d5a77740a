"""Helpers the evaluation pages share."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from xiaoneng.core.errors import Conflict, Forbidden, ValidationFailed

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def crumbs(*items):
    return [(_("Evaluation"), reverse("evaluations:home")), *items]


def xlsx(data: bytes, filename: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def run(request, call, *, done: str = "") -> bool:
    """Run a service call from a page: Forbidden → 403; a conflict or invalid input becomes a
    message on the next page. Returns True when the call succeeded."""
    try:
        call()
    except Forbidden as exc:
        raise PermissionDenied(str(exc.detail)) from exc
    except Conflict as exc:
        messages.error(request, exc.detail)
        return False
    except ValidationFailed as exc:
        detail = "；".join(m for msgs in exc.errors.values() for m in msgs) or exc.detail
        messages.error(request, detail)
        return False
    if done:
        messages.success(request, str(done))
    return True


def form_errors(form, exc: ValidationFailed) -> None:
    """Put a service's field errors on the form (unknown fields as non-field errors)."""
    for field, msgs in exc.errors.items():
        for msg in msgs:
            form.add_error(field if field in form.fields else None, msg)
    if not exc.errors:
        form.add_error(None, exc.detail)
