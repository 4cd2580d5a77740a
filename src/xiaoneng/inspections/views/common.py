"""What the inspection pages share: breadcrumbs, uploads with capture times, error display."""

from __future__ import annotations

import json
from datetime import datetime

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from xiaoneng.core.errors import ApplicationError
from xiaoneng.core.files import store_upload


def crumbs(*extra):
    return [(_("Inspections"), reverse("inspections:list")), *extra]


def _captured(raw: str, count: int) -> list[datetime | None]:
    """The capture times the page read from the files (``lastModified``), ISO strings."""
    try:
        values = json.loads(raw or "[]")
    except ValueError:
        values = []
    times: list[datetime | None] = []
    for i in range(count):
        value = values[i] if isinstance(values, list) and i < len(values) else None
        at = parse_datetime(value) if isinstance(value, str) else None
        if at is not None and timezone.is_naive(at):
            at = timezone.make_aware(at)
        times.append(at)
    return times


def store_captures(request, uploads, captured: str = "") -> list:
    """Store each upload (content-checked) with the capture time the browser gave."""
    files = [store_upload(upload=f, actor=request.user) for f in uploads]
    return list(zip(files, _captured(captured, len(files)), strict=True))


def fail_back(request, exc: ApplicationError, to: str, **kwargs):
    """A refused action on a detail page: the reason as a message, back to the page."""
    details = [exc.detail] + [m for msgs in exc.errors.values() for m in msgs]
    messages.error(request, " ".join(dict.fromkeys(str(d) for d in details)))
    return redirect(to, **kwargs)


def status_tone(status: str) -> str:
    return {
        "draft": "secondary",
        "planned": "secondary",
        "drawn": "info",
        "recorded": "info",
        "submitted": "warning",
        "approved": "primary",
        "published": "success",
        "issued": "warning",
        "replied": "info",
        "returned": "danger",
        "closed": "success",
    }.get(status, "secondary")
