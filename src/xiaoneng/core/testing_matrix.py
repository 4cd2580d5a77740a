"""The permission matrix every app's views and endpoints are held to (ARCHITECTURE.md › Tests).

A *row* names one URL pattern (as ``reverse()`` knows it), how to call it (method, URL
kwargs and body built from a shared :class:`World`) and what each matrix user gets:

========== ============================================================================
user       who
========== ============================================================================
anonymous  nobody logged in: UI pages redirect to the login page, the API answers 401/403
office     alice, 效能办: all units
unit_a     bob, unit admin of unit A (the objects rows point at live in unit A)
unit_b     carol, unit admin of unit B: unit A's objects are out of scope → 404
========== ============================================================================

Each call runs inside a savepoint that is rolled back, so a POST by one user does not
change what the next one sees. :func:`assert_complete` enumerates the URL resolver and
fails when a named pattern of an app has no row, so a new view cannot ship untested.

Adding an app's rows (e.g. rectification), in ``xiaoneng/rectification/tests/test_permission_matrix.py``::

    from xiaoneng.core import testing_matrix as m

    def item_a(w):  # built once per test, on demand
        return w.once("item_a", lambda: services.item_create(actor=w.org.alice, unit=w.org.unit_a, ...))

    ROWS = [
        m.Row("rectification:ledger", m.everyone()),
        m.Row("rectification:item", m.scoped(), kwargs=lambda w: {"pk": item_a(w).pk}),
        m.Row("api-rectification-items", m.everyone()),
        m.Row("public-progress", m.everyone(), public=True),
    ]

    @m.parametrize(ROWS)
    def test_matrix(row, org):  # ``org``: the shared fixture (core.testing.build_org)
        m.check(row, m.World(org))

    def test_every_pattern_has_a_row(db):
        m.assert_complete("rectification", ROWS)

``m.scoped(FOUND)`` suits POST actions: unit B gets 404, the others reach the object
(whatever the state machine then says); pin exact codes where the outcome is fixed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

ANONYMOUS, OFFICE, UNIT_A, UNIT_B = "anonymous", "office", "unit_a", "unit_b"
USERS = (ANONYMOUS, UNIT_B, UNIT_A, OFFICE)
LOGGED_IN = (OFFICE, UNIT_A, UNIT_B)
ACCOUNTS = {OFFICE: "alice", UNIT_A: "bob", UNIT_B: "carol"}

# Symbolic expectations besides plain status codes:
LOGIN = "login"  # a 302 to the login page (anonymous on a UI page)
DENIED = "denied"  # 401 or 403, as problem+json (anonymous on the API)
FOUND = "found"  # the object resolved and the request was handled: 2xx/3xx/400/403/409, not 404


class World:
    """The organisation (``core.testing.build_org``) plus objects rows build on demand."""

    def __init__(self, org) -> None:
        self.org = org
        self._objects: dict[str, Any] = {}

    def once(self, key: str, make: Callable[[], Any]) -> Any:
        if key not in self._objects:
            self._objects[key] = make()
        return self._objects[key]

    def user(self, who: str):
        return getattr(self.org, ACCOUNTS[who]) if who in ACCOUNTS else None


Value = Callable[[World], Any] | Mapping | None


@dataclass(frozen=True)
class Row:
    name: str  # URL name, with namespace ("org:unit", "api-unit", "complaints:action")
    expect: Mapping[str, int | str]  # matrix user → status code or LOGIN / DENIED / FOUND
    kwargs: Value = None  # URL kwargs, usually naming an object of unit A
    method: str = "get"
    data: Value = None  # query (GET) or body (POST/PATCH…)
    public: bool = False  # anonymous visitors are served too (expect[ANONYMOUS] says how)
    label: str = ""  # tells apart several rows for the same name
    extra: Mapping[str, Any] = field(default_factory=dict)  # headers etc. for the client

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.name}{f' [{self.label}]' if self.label else ''}"


# --- expectation helpers -------------------------------------------------------------------------
def everyone(status: int | str = 200, **over) -> dict:
    """Every logged-in matrix user gets ``status`` (lists: each sees its own scope)."""
    return {OFFICE: status, UNIT_A: status, UNIT_B: status, **over}


def scoped(status: int | str = 200, **over) -> dict:
    """An object of unit A: the office and unit A reach it, unit B gets 404."""
    return {OFFICE: status, UNIT_A: status, UNIT_B: 404, **over}


def permitted(*who: str, status: int | str = 200, denied: int = 403, **over) -> dict:
    """Only the named users (e.g. OFFICE) may; the others get ``denied``."""
    return {u: (status if u in who else denied) for u in LOGGED_IN} | over


def pk(getter: Callable[[World], Any]) -> Callable[[World], dict]:
    """URL kwargs ``{"pk": …}`` of the object ``getter`` builds (``kwargs=m.pk(item_a)``)."""
    return lambda w: {"pk": getter(w).pk}


def _value(value: Value, world: World):
    if value is None:
        return {}
    return value(world) if callable(value) else dict(value)


def parametrize(rows: list[Row]):
    return pytest.mark.parametrize("row", rows, ids=[r.id for r in rows])


# --- running a row -------------------------------------------------------------------------------
def _matches(expected, response, *, is_api: bool) -> bool:
    status = response.status_code
    if expected == LOGIN:
        return status == 302 and response["Location"].startswith(reverse("login"))
    if expected == DENIED:
        return status in (401, 403) and (
            not is_api or response["Content-Type"].startswith("application/problem+json")
        )
    if expected == FOUND:
        return status < 500 and status not in (401, 404, 405)
    if status == 404 and is_api:
        return expected == 404 and response["Content-Type"].startswith("application/problem+json")
    return status == expected


def call(row: Row, world: World, who: str):
    """One request as ``who``, rolled back afterwards."""
    url = reverse(row.name, kwargs=_value(row.kwargs, world) or None)
    is_api = url.startswith("/api/")
    data = _value(row.data, world)
    client = APIClient()
    user = world.user(who)
    if user is not None:
        if is_api:
            client.force_authenticate(user)
        else:
            client.force_login(user)
    method = getattr(client, row.method)
    kwargs: dict[str, Any] = dict(row.extra)
    if row.method != "get":
        kwargs.setdefault("format", "json" if is_api else "multipart")
    with transaction.atomic():
        response = method(url, data, **kwargs)
        transaction.set_rollback(True)
    return url, is_api, response


def expected_for(row: Row, who: str, *, is_api: bool):
    if who in row.expect:
        return row.expect[who]
    if who == ANONYMOUS:
        return DENIED if is_api else LOGIN
    raise KeyError(f"{row.id}: no expectation for {who}")


def check(row: Row, world: World) -> None:
    """Call the row as every matrix user; fail listing every mismatch at once."""
    wrong = []
    for who in USERS:
        url, is_api, response = call(row, world, who)
        expected = expected_for(row, who, is_api=is_api)
        if not _matches(expected, response, is_api=is_api):
            where = response.get("Location", "")
            wrong.append(f"{who}: expected {expected}, got {response.status_code} {where}".strip())
    assert not wrong, f"{row.id} {url}: " + "; ".join(wrong)


# --- completeness --------------------------------------------------------------------------------
def _urlconf_name(resolver: URLResolver, inherited: str) -> str:
    conf = resolver.urlconf_name
    if isinstance(conf, str):
        return conf
    if isinstance(conf, ModuleType):
        return conf.__name__
    return inherited  # a list (include([...]) or admin.site.urls) belongs to its parent


def iter_patterns() -> Iterator[tuple[str | None, str, str]]:
    """(name with namespace, route, urlconf module) of every pattern the project serves."""

    def walk(patterns, namespace, route, conf):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                yield from walk(p.url_patterns, ns, route + str(p.pattern), _urlconf_name(p, conf))
            elif isinstance(p, URLPattern):
                name = f"{namespace}:{p.name}" if namespace and p.name else p.name
                yield name, route + str(p.pattern), conf

    resolver = get_resolver()
    yield from walk(resolver.url_patterns, None, "/", _urlconf_name(resolver, ""))


def app_patterns(app: str) -> dict[str | None, str]:
    """Name → route of the patterns declared in ``xiaoneng.<app>``'s url modules."""
    prefix = f"xiaoneng.{app}."
    found: dict[str | None, str] = {}
    for name, route, conf in iter_patterns():
        if conf.startswith(prefix):
            found.setdefault(name, route)
    return found


def assert_complete(app: str, rows: list[Row]) -> None:
    """Every named pattern of the app has a row, every row names a real pattern."""
    patterns = app_patterns(app)
    assert None not in patterns, f"unnamed URL pattern in {app}: {patterns.get(None)}"
    covered = {row.name for row in rows}
    missing = sorted(str(name) for name in set(patterns) - covered)
    assert not missing, f"URL patterns of {app} without a permission-matrix row: {missing}"
    known = {name for name, _, _ in iter_patterns()}
    stale = sorted(covered - known)
    assert not stale, f"matrix rows naming no URL pattern: {stale}"
