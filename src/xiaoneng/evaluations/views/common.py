"""Helpers the evaluation pages share."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from xiaoneng.core.htmlerrors import service_call

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def crumbs(*items):
    return [(_("Evaluation"), reverse("evaluations:home")), *items]


def xlsx(data: bytes, filename: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def run(request, call, *, done: str = "") -> bool:
    """Run a service call from a page (``core.htmlerrors``: Forbidden → 403; a conflict or
    invalid input becomes a message on the next page). Returns True when the call succeeded."""
    with service_call(request) as outcome:
        call()
    if outcome.ok and done:
        messages.success(request, str(done))
    return outcome.ok
