"""Statistics sources (统计分析): named, scoped tables that the dashboard draws as charts.

Each app with figures to show adds a ``stats.py`` module that registers sources::

    from django.utils.translation import gettext_lazy as _
    from xiaoneng.core import statistics as stats

    @stats.source("ledger.by_unit", _("Ledger clearance by unit"), order=50,
                  chart=stats.Chart("bar", x="unit", series=("closed", "open")))
    def ledger_by_unit(user, params: stats.Params) -> stats.Table:
        qs = params.within(scoped(user, RectificationItem), "responsible_unit")
        rows = [...]  # one dict per row, keyed by the column keys
        return stats.Table(
            columns=[stats.Column("unit", _("Unit")), stats.Column("closed", _("Closed"), "int")],
            rows=rows,
        )

The contract:

* A source reads through the user's data scope (``core.scope.scoped`` or a scoped selector)
  and narrows by ``params``: ``params.within(qs, unit_field)`` keeps the chosen unit and the
  units below it; ``params.start`` / ``params.end`` (dates, inclusive) and ``params.since`` /
  ``params.until`` (aware instants, ``until`` exclusive) bound the period.
* It runs a bounded number of aggregate queries whatever the data size (no per-row queries).
* It returns a ``Table``: ``columns`` (key, translated label, kind ``text`` / ``int`` /
  ``percent``) and ``rows`` (dicts). The chart is declared at registration: ``Chart(type, x,
  series)`` with type ``bar``, ``hbar``, ``line`` or ``pie``, ``x`` the category column and
  ``series`` the value columns drawn (``stack=True`` stacks them: parts of one whole).
* ``permission`` (default ``stats.view``) gates the source; the dashboard, the JSON endpoint
  ``GET /api/v1/stats/<key>`` and the ``.xlsx`` download all come from the same table.

Sources may read pre-aggregated figures for whole past months (e.g. ``complaints.rollup``);
such an app registers its refresh time with ``as_of_provider`` and the dashboard shows the
oldest one as the figures' "as of" time (``as_of()``).

``discover()`` imports every installed app's ``stats`` module once (like the admin's
autodiscovery); ``sources_for(user)`` lists the sources the user may see, in order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

PERMISSION = "stats.view"


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # lazy translated text
    kind: str = "text"  # text / int / percent


@dataclass(frozen=True)
class Chart:
    type: str  # bar / hbar / line / pie
    x: str  # the category column
    series: tuple[str, ...]  # the value columns drawn
    stack: bool = False  # bars stacked (parts of one whole, e.g. closed + open items)


@dataclass
class Table:
    columns: list[Column]
    rows: list[dict]
    note: Any = ""  # how a figure is defined (shown under the chart)


@dataclass(frozen=True)
class Params:
    """The dashboard's filters: a period (dates, inclusive) and optionally one unit (and below)."""

    start: dt.date
    end: dt.date
    unit: Any = None  # core.Unit or None

    @property
    def since(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))

    @property
    def until(self) -> dt.datetime:
        """Exclusive: midnight after ``end``."""
        return timezone.make_aware(
            dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min)
        )

    def key(self) -> tuple:
        """What the figures depend on, for ``shared``."""
        return (self.start, self.end, getattr(self.unit, "pk", None))

    def within(self, qs: QuerySet, unit_field: str) -> QuerySet:
        if self.unit is None:
            return qs
        return qs.filter(**{f"{unit_field}__path__startswith": self.unit.path})

    def months(self) -> list[dt.date]:
        """The first day of every month in the period."""
        out, month = [], self.start.replace(day=1)
        while month <= self.end:
            out.append(month)
            month = (month + dt.timedelta(days=32)).replace(day=1)
        return out


@dataclass(frozen=True)
class Source:
    key: str
    title: Any
    chart: Chart
    fn: Callable[[Any, Params], Table]
    order: int = 100
    permission: str = PERMISSION
    group: Any = ""

    def run(self, user, params: Params) -> Table:
        return self.fn(user, params)


_sources: dict[str, Source] = {}
_discovered = False
_shared: ContextVar[dict | None] = ContextVar("xiaoneng_stats_shared", default=None)


@contextmanager
def batch() -> Iterator[None]:
    """Several sources run for one request (the dashboard's ``keys=all``): work they have in
    common (``shared``) is done once. Outside a batch nothing is kept, so figures are never
    stale."""
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def shared(key: tuple, compute: Callable[[], Any]) -> Any:
    """``compute()``, or its result from earlier in the same batch under the same ``key`` (which
    must name everything the result depends on: the user, the filters). Callers copy what they
    change."""
    memo = _shared.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def source(
    key: str,
    title,
    *,
    chart: Chart,
    order: int = 100,
    permission: str = PERMISSION,
    group="",
) -> Callable:
    def register(fn: Callable[[Any, Params], Table]) -> Callable[[Any, Params], Table]:
        _sources[key] = Source(key, title, chart, fn, order, permission, group)
        return fn

    return register


_as_of: list[Callable[[], dt.datetime | None]] = []


def as_of_provider(fn: Callable[[], dt.datetime | None]) -> Callable[[], dt.datetime | None]:
    """Register when an app's pre-aggregated figures were last refreshed (None: not built)."""
    _as_of.append(fn)
    return fn


def as_of() -> dt.datetime | None:
    """The oldest refresh time of the pre-aggregated figures the dashboard reads (whole months
    before the current one); None when none are built (every figure is then live)."""
    discover()
    times = [t for t in (fn() for fn in _as_of) if t is not None]
    return min(times) if times else None


def discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("stats")
        _discovered = True


def sources_for(user) -> list[Source]:
    discover()
    found = [s for s in _sources.values() if user.has_permission(s.permission)]
    return sorted(found, key=lambda s: (s.order, s.key))


def get(user, key: str) -> Source | None:
    """The source, or None when it does not exist or the user may not see it (a 404)."""
    return next((s for s in sources_for(user) if s.key == key), None)


def unit_names(ids) -> dict[int, str]:
    """Names of these units. Sources group by unit id alone and name the units afterwards:
    grouping by a joined name makes PostgreSQL sort instead of hash (5× slower at 5,000 units)."""
    from .models import Unit

    wanted = {i for i in ids if i is not None}
    if len(wanted) > 500:  # most of the units: one plain read beats a long IN list
        return {pk: n for pk, n in Unit.objects.values_list("pk", "name") if pk in wanted}
    return dict(Unit.objects.filter(pk__in=wanted).values_list("pk", "name"))


def rate(part: int, whole: int) -> float | None:
    """A percentage with one decimal; None when there is nothing to divide."""
    return round(part * 100 / whole, 1) if whole else None


def as_json(source: Source, table: Table, params: Params) -> dict:
    return {
        "key": source.key,
        "title": str(source.title),
        "period": {"start": params.start.isoformat(), "end": params.end.isoformat()},
        "unit": params.unit.pk if params.unit is not None else None,
        "chart": {
            "type": source.chart.type,
            "x": source.chart.x,
            "series": list(source.chart.series),
            "stack": source.chart.stack,
        },
        "columns": [{"key": c.key, "label": str(c.label), "kind": c.kind} for c in table.columns],
        "rows": table.rows,
        "note": str(table.note),
    }
