"""The work home (工作台): what waits for *this* user, gathered from every app.

Each app that has waiting work adds a ``home.py`` module that registers providers::

    from xiaoneng.core import workhome

    @workhome.provider(order=10)
    def cases_to_sign(user) -> list[workhome.Waiting]:
        if not user.has_permission("complaint.handle"):
            return []
        count = selectors.to_sign_for(user).count()
        return [workhome.Waiting(key="complaints.to_sign", label=_("Cases to sign for"),
                                 count=count, url=reverse("complaints:queue") + "?tab=sign")]

A provider returns a list (usually of one item, empty when the user has nothing of this
kind or may not see it) and runs a bounded number of queries whatever the data size.
``rows`` (with ``rows_title``) lists the most urgent few under the cards, e.g. the cases with
the earliest deadlines; fetch them with one LIMIT query.
``collect(user)`` imports every installed app's ``home`` module once (like the admin's
autodiscovery) and calls the providers in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import autodiscover_modules


@dataclass
class Waiting:
    key: str  # stable, for tests and the API ("complaints.to_sign")
    label: Any  # lazy translated text
    count: int
    url: str  # the filtered list that shows exactly these
    tone: str = "primary"  # primary / warning / danger (near / past a deadline)
    rows: list[dict] = field(default_factory=list)  # optional first few: {"title", "url", "due"}
    rows_title: Any = ""  # the heading of those rows when it is not the label


Provider = Callable[[Any], list[Waiting]]
_providers: list[tuple[int, Provider]] = []
_discovered = False


def provider(order: int = 100) -> Callable[[Provider], Provider]:
    def register(fn: Provider) -> Provider:
        if all(fn is not p for _, p in _providers):
            _providers.append((order, fn))
            _providers.sort(key=lambda pair: pair[0])
        return fn

    return register


def discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("home")
        _discovered = True


def collect(user) -> list[Waiting]:
    """Every waiting item for ``user``, in provider order."""
    discover()
    items: list[Waiting] = []
    for _order, fn in _providers:
        items.extend(fn(user))
    return items
