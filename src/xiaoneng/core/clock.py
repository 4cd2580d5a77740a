"""Injectable "now": sweeps, commands and tests can run as of any instant."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.utils import timezone

_now_override: ContextVar[datetime | None] = ContextVar("xiaoneng_now", default=None)


def now() -> datetime:
    return _now_override.get() or timezone.now()


@contextmanager
def frozen_now(instant: datetime) -> Iterator[datetime]:
    """Run the block as if it were `instant` (used by `--now` options)."""
    if timezone.is_naive(instant):
        instant = timezone.make_aware(instant)
    token = _now_override.set(instant)
    try:
        yield instant
    finally:
        _now_override.reset(token)


def parse_instant(text: str) -> datetime:
    """Parse an ISO-8601 instant; a naive one is read in Asia/Shanghai."""
    value = datetime.fromisoformat(text)
    return timezone.make_aware(value) if timezone.is_naive(value) else value
