"""Request bodies: a size limit per endpoint and a nesting limit for JSON (issue #21 item 4).

One middleware (``RequestBodyLimitMiddleware``) guards every view, DRF or not, before the
view or any parser runs:

- a body larger than the endpoint's limit → 413 problem+json (``Content-Length`` is checked
  before anything is read);
- a JSON body nested deeper than ``XIAONENG_JSON_MAX_DEPTH`` (default 32) → 400 problem+json.
  Python's JSON decoder and DRF recurse per level, so a few thousand ``[`` used to end in a
  RecursionError (a 500) on every JSON endpoint, the public ones included.

Limits:
- JSON bodies: ``XIAONENG_JSON_MAX_BYTES`` (default 1 MiB) unless the view declares its own;
- any body: the view's own limit, declared with ``max_body_bytes = N`` on a class-based view
  (DRF or Django) or ``@body_limit(N)`` on a function view. Other bodies without a declared
  limit are left to Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` and the upload checks.

``SafeJSONParser`` (DRF's default parser here) applies the same depth check, so a view called
without the middleware (a test's request factory) is protected too.
"""

from __future__ import annotations

import re
from io import BytesIO

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
DEFAULT_JSON_MAX_BYTES = 1024 * 1024
DEFAULT_JSON_MAX_DEPTH = 32
_STRUCTURE = re.compile(rb'["\\\[\]{}]')


def json_max_bytes() -> int:
    return int(getattr(settings, "XIAONENG_JSON_MAX_BYTES", DEFAULT_JSON_MAX_BYTES))


def json_max_depth() -> int:
    return int(getattr(settings, "XIAONENG_JSON_MAX_DEPTH", DEFAULT_JSON_MAX_DEPTH))


def json_depth(data: bytes | str, *, stop_at: int | None = None) -> int:
    """The deepest nesting of arrays and objects in ``data`` (strings are skipped).

    One pass over the structural characters only (linear, no regex backtracking); it does not
    validate the JSON — the parser does that once the depth is known to be harmless.
    ``stop_at``: return as soon as the depth exceeds it.
    """
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    depth = deepest = 0
    in_string = False
    skip = -1  # position of a character escaped by a backslash inside a string
    for match in _STRUCTURE.finditer(data):
        pos = match.start()
        if pos == skip:
            continue
        char = data[pos]
        if in_string:
            if char == 0x5C:  # backslash
                skip = pos + 1
            elif char == 0x22:  # quote
                in_string = False
            continue
        if char == 0x22:
            in_string = True
        elif char in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > deepest:
                deepest = depth
                if stop_at is not None and deepest > stop_at:
                    return deepest
        elif char in (0x5D, 0x7D):  # ] }
            depth = max(depth - 1, 0)
    return deepest


def body_limit(max_bytes: int):
    """Declare a function view's body limit in bytes (class views: ``max_body_bytes = N``)."""

    def decorator(view):
        view.max_body_bytes = max_bytes
        return view

    return decorator


def declared_limit(view_func) -> int | None:
    for holder in (
        view_func,
        getattr(view_func, "cls", None),
        getattr(view_func, "view_class", None),
    ):
        limit = getattr(holder, "max_body_bytes", None) if holder is not None else None
        if limit is not None:
            return int(limit)
    return None


def is_json(content_type: str) -> bool:
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def problem(status: int, title: str, detail: str) -> JsonResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return JsonResponse(
        body,
        status=status,
        content_type="application/problem+json",
        json_dumps_params={"ensure_ascii": False},
    )


def too_large(limit: int) -> JsonResponse:
    return problem(
        413,
        _("Request body too large"),
        _("The request body is larger than %(limit)s bytes.") % {"limit": limit},
    )


def too_deep(limit: int) -> JsonResponse:
    return problem(
        400,
        _("Invalid input"),
        _("The JSON body is nested more than %(limit)s levels deep.") % {"limit": limit},
    )


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in BODY_METHODS:
            return None
        json_body = is_json(request.META.get("CONTENT_TYPE", ""))
        limit = declared_limit(view_func)
        if limit is None and json_body:
            limit = json_max_bytes()
        if limit is None:
            return None
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return problem(400, _("Invalid input"), _("The Content-Length header is invalid."))
        if length > limit:
            return too_large(limit)
        if not json_body:
            return None
        try:
            body = request.body
        except RequestDataTooBig:
            return too_large(limit)
        if len(body) > limit:
            return too_large(limit)
        depth_limit = json_max_depth()
        if json_depth(body, stop_at=depth_limit) > depth_limit:
            return too_deep(depth_limit)
        return None


class SafeJSONParser(JSONParser):
    """DRF's JSON parser with the nesting limit (and never a RecursionError)."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = stream.read() if stream is not None else b""
        limit = json_max_depth()
        if json_depth(data, stop_at=limit) > limit:
            raise ParseError(
                _("The JSON body is nested more than %(limit)s levels deep.") % {"limit": limit}
            )
        try:
            return super().parse(BytesIO(data), media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(_("The JSON body is nested too deeply.")) from exc
