"""Error views Django lets a project replace: a refused CSRF check (an expired form) is the
styled 403 page with a sentence the person can act on, not Django's English debug page."""

from __future__ import annotations

import logging

from django.shortcuts import render
from django.utils.translation import gettext as _

log = logging.getLogger("xiaoneng.security")


def csrf_failure(request, reason: str = ""):
    log.warning("CSRF check failed: %s %s (%s)", request.method, request.path, reason)
    return render(
        request,
        "403.html",
        {
            "heading": _("This form has expired"),
            "explanation": _(
                "The page was open for too long or you signed in again in another tab. "
                "Go back, reload the page and submit the form again."
            ),
        },
        status=403,
    )
