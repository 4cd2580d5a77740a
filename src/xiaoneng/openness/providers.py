"""The hook through which other apps contribute service standards to a unit's 院务公开 page.

The service-standards table (the ``servicetimes`` app) registers a provider from its
``AppConfig.ready()``::

    from xiaoneng.openness.providers import register_standards_provider
    register_standards_provider("servicetimes", lambda unit: [
        {"title": s.name, "time_limit": s.limit_text, "content": s.note}
        for s in standards_for_unit(unit)
    ])

Each provider returns public dicts with ``title`` and optionally ``time_limit`` and
``content``; they are shown above the unit's own entries of the standards section. A failing
provider is the provider's bug: it is not hidden.
"""

from __future__ import annotations

from collections.abc import Callable

from xiaoneng.core.models import Unit

StandardsProvider = Callable[[Unit], list[dict]]
_PROVIDERS: dict[str, StandardsProvider] = {}


def register_standards_provider(key: str, provider: StandardsProvider) -> None:
    """Register (or replace) the provider ``key``."""
    _PROVIDERS[key] = provider


def unregister_standards_provider(key: str) -> None:
    _PROVIDERS.pop(key, None)


def contributed_standards(unit: Unit) -> list[dict]:
    """The standards every registered provider gives for ``unit``, in registration order."""
    rows: list[dict] = []
    for provider in _PROVIDERS.values():
        for row in provider(unit):
            rows.append(
                {
                    "section": "standard",
                    "title": str(row.get("title", "")),
                    "time_limit": str(row.get("time_limit", "") or ""),
                    "content": str(row.get("content", "") or ""),
                    "price": None,
                    "price_unit": "",
                }
            )
    return rows
