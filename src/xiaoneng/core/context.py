"""Who is acting and from where, for audit records written deep inside services."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip: str | None = None
    user: Any = None


_EMPTY = RequestContext()
_current: ContextVar[RequestContext | None] = ContextVar("xiaoneng_request", default=None)


def current() -> RequestContext:
    return _current.get() or _EMPTY


@contextmanager
def request_context(ctx: RequestContext) -> Iterator[RequestContext]:
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every log record (``%(request_id)s`` in the format; "-"
    outside a request, e.g. in the task worker). Attached to every handler in ``LOGGING``."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = current().request_id or "-"
        return True
