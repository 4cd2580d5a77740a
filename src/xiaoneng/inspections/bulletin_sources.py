"""Where the typical cases of an exposure bulletin may come from, besides findings and
complaints (which inspections reads itself): a registry other apps fill in.

Apps above inspections in the import graph (accountability imports inspections, so
inspections never imports accountability) register a source in their ``AppConfig.ready()``::

    from xiaoneng.inspections import bulletin_sources

    bulletin_sources.register(bulletin_sources.Source(
        key="accountability",
        label=_("Typical cases: accountability cases"),
        candidates=lambda user, limit: [...],   # Candidate rows the user may choose from
        entries=lambda user, ids: [...],        # entry rows for the chosen ids (scoped)
    ))

The composer (``bulletin_new``), the API (``sources`` of a create) and ``bulletin_create``
list and resolve them by key. An entry row is a dict with ``unit``, ``title``, ``text``,
``handling`` (no personal names: it is always published), ``names`` (published only where the
approver ticks it) and ``source_object`` (the case it came from, linked on the entry).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Candidate:
    pk: int
    label: str  # "WZ2026000001 · title"
    note: str = ""  # status, date …
    unit: str = ""


@dataclass(frozen=True)
class Source:
    key: str  # stable, in forms and the API ("accountability")
    label: Any  # lazy heading in the composer
    candidates: Callable[[Any, int], list[Candidate]]  # (user, limit)
    entries: Callable[[Any, Sequence[int]], list[dict]]  # (user, ids): scoped, chosen only


_sources: dict[str, Source] = {}


def register(source: Source) -> Source:
    _sources[source.key] = source
    return source


def all_sources() -> list[Source]:
    return list(_sources.values())


def get(key: str) -> Source | None:
    return _sources.get(key)
