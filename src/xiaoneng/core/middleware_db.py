"""The database is unreachable (restarting, failing over, connections cut): answer 503.

A request that hits ``OperationalError`` / ``InterfaceError`` gets a clean 503 — RFC 9457
problem+json under ``/api/``, a short page elsewhere — with ``Retry-After``, instead of a 500
trace. Django closes the broken connection at the end of the request (``CONN_HEALTH_CHECKS``
checks the next one), so the app recovers by itself when the database is back.

Errors raised by views reach ``process_exception``; errors raised by other middleware (sessions,
authentication) are turned into 500 responses by Django before an outer middleware sees them, so
the ``got_request_exception`` signal marks the request and ``__call__`` swaps the 500 for a 503.
"""

from __future__ import annotations

import json
import logging
import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.utils.translation import gettext as _

log = logging.getLogger("xiaoneng.db")
RETRY_AFTER = "5"
MARK = "_xiaoneng_db_unavailable"


def is_unavailable(exc: BaseException | None) -> bool:
    while exc is not None:
        if isinstance(exc, OperationalError | InterfaceError):
            return True
        try:
            import psycopg

            if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):
                return True
        except ImportError:  # pragma: no cover - SQLite-only installs
            pass
        exc = exc.__cause__ or exc.__context__
    return False


def unavailable_response(request) -> HttpResponse:
    title = _("Service temporarily unavailable")
    detail = _("The database cannot be reached. Please try again in a moment.")
    if request.path.startswith("/api/") or "json" in request.headers.get("Accept", ""):
        body = {"type": "about:blank", "title": title, "status": 503, "detail": detail}
        response = HttpResponse(
            json.dumps(body, ensure_ascii=False),
            status=503,
            content_type="application/problem+json",
        )
    else:
        response = HttpResponse(
            f"<!doctype html><meta charset='utf-8'><title>{title}</title>"
            f"<h1>{title}</h1><p>{detail}</p>",
            status=503,
            content_type="text/html; charset=utf-8",
        )
    response["Retry-After"] = RETRY_AFTER
    return response


def _mark(sender, request=None, **kwargs) -> None:
    if request is not None and is_unavailable(sys.exc_info()[1]):
        setattr(request, MARK, True)


got_request_exception.connect(_mark, dispatch_uid="xiaoneng-db-unavailable")


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, MARK, False):
            return unavailable_response(request)
        return response

    def process_exception(self, request, exception):
        if is_unavailable(exception):
            log.warning("database unavailable: %s %s: %s", request.method, request.path, exception)
            return unavailable_response(request)
        return None
