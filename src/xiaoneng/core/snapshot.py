"""Process-local snapshots of rules an administrator edits (calendar, SLA policies, engine settings).

They are read on every intake and every list row but change a few times a year, so each process
keeps what it loaded for at most ``seconds`` and drops it at once when this process saves or
deletes a row of one of ``models``; other processes catch up within ``seconds``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from django.apps import apps
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")

_every: list[Snapshot] = []


class Snapshot(Generic[T]):
    def __init__(self, load: Callable[[], T], *, models: Iterable[str], seconds: float = 60):
        self.load = load
        self.models = tuple(models)  # "app_label.ModelName"
        self.seconds = seconds
        self._lock = threading.Lock()
        self._value: tuple[float, T] | None = None
        self._connected = False
        _every.append(self)

    def get(self) -> T:
        with self._lock:
            held = self._value
        if held is not None and time.monotonic() - held[0] < self.seconds:
            return held[1]
        if not self._connected:
            self._connect()
        value = self.load()
        with self._lock:
            self._value = (time.monotonic(), value)
        return value

    def invalidate(self, **_kwargs) -> None:
        with self._lock:
            self._value = None

    def _connect(self) -> None:
        for label in self.models:
            model = apps.get_model(label)
            uid = f"snapshot-{id(self)}-{label}"
            post_save.connect(self.invalidate, sender=model, dispatch_uid=f"{uid}-save", weak=False)
            post_delete.connect(
                self.invalidate, sender=model, dispatch_uid=f"{uid}-del", weak=False
            )
        self._connected = True


def invalidate_all() -> None:
    """Forget every snapshot (tests: a rolled-back transaction sends no signal)."""
    for snapshot in _every:
        snapshot.invalidate()
