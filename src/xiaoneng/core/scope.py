"""Data scope: the one entry point every read goes through.

A user's roles each grant a scope (全部 / 自定义单位 / 本单位及下级 / 本单位 / 本部门 / 仅本人);
the scopes combine as their union. Each scoped model names the fields that place a row
in the organisation with a ``ScopeFields`` declaration; ``scoped(user, Model)`` returns
what the user may see. An object outside the scope is indistinguishable from a missing
one: ``get_scoped_or_404`` raises ``Http404`` for both.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import TypeVar

from django.core.exceptions import (
    FieldDoesNotExist,
    MultipleObjectsReturned,
    ObjectDoesNotExist,
    ValidationError,
)
from django.db.models import Model, Q, QuerySet, prefetch_related_objects
from django.http import Http404

from .models import DataScope
from .scopefields import ScopeFields

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    unit_paths: tuple[str, ...] = ()  # unit and everything below
    unit_ids: tuple[int, ...] = ()  # these units only
    subtree_ids: tuple[int, ...] = ()  # the units under unit_paths, resolved when built
    department_ids: tuple[int, ...] = ()
    person_id: int | None = None
    user_id: int | None = None

    @property
    def is_empty(self) -> bool:
        return not (
            self.everything
            or self.unit_paths
            or self.unit_ids
            or self.department_ids
            or self.person_id
        )

    def q(self, fields: ScopeFields) -> Q | None:
        """A Q object selecting the rows in scope; None means no restriction."""
        if self.everything:
            return None
        parts: list[Q] = []
        if fields.unit is not None:
            # Unit ids, not a join on the path: with the other OR'ed parts the database can
            # still combine index scans (a path LIKE across a join reads every row).
            ids = sorted({*self.unit_ids, *self.subtree_ids})
            if ids:
                parts.append(Q(**{f"{fields.unit}__in" if fields.unit else "pk__in": ids}))
        if fields.department is not None and self.department_ids:
            key = f"{fields.department}__in" if fields.department else "pk__in"
            parts.append(Q(**{key: self.department_ids}))
        if fields.person is not None and self.person_id:
            key = fields.person or "pk"
            parts.append(Q(**{key: self.person_id}))
        if fields.owner is not None and self.user_id:
            parts.append(Q(**{fields.owner: self.user_id}))
        if not parts:
            return Q(pk__in=[])
        return reduce(or_, parts)

    def contains_unit(self, unit) -> bool:
        if self.everything:
            return True
        return unit.pk in self.unit_ids or any(unit.path.startswith(p) for p in self.unit_paths)


def scope_for(user) -> Scope:
    """The union of the user's role scopes; cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    cached = getattr(user, "_xiaoneng_scope", None)
    if cached is not None:
        return cached
    scope = Scope(everything=True, user_id=user.pk) if user.is_superuser else _build_scope(user)
    user._xiaoneng_scope = scope
    return scope


def _person_of(user):
    """The user's person with its unit. The session's user arrives with both (core.auth's
    get_user); other callers (API tokens, services) may pass a bare user: fetch them once and
    keep them on the user."""
    from .models import Person, User

    if not user.person_id:
        return None
    if User.person.is_cached(user):
        return user.person
    person = Person.objects.select_related("unit").filter(pk=user.person_id).first()
    if person is not None:
        user.person = person
    return person


def _build_scope(user) -> Scope:
    person = _person_of(user)
    everything = False
    paths: set[str] = set()
    unit_ids: set[int] = set()
    department_ids: set[int] = set()
    person_id = None
    roles = user.role_list()
    custom = [r for r in roles if r.data_scope == DataScope.CUSTOM]
    if custom:
        prefetch_related_objects(custom, "custom_units")
    for role in roles:
        kind = role.data_scope
        if kind == DataScope.ALL:
            everything = True
        elif kind == DataScope.CUSTOM:
            unit_ids.update(u.pk for u in role.custom_units.all())
        elif person is None:
            continue
        elif kind == DataScope.UNIT_AND_BELOW:
            paths.add(person.unit.path)
        elif kind == DataScope.UNIT:
            unit_ids.add(person.unit_id)
        elif kind == DataScope.DEPARTMENT:
            department_ids.update(person.departments.values_list("pk", flat=True))
            department_ids.update(person.head_of.values_list("pk", flat=True))
            person_id = person.pk
        elif kind == DataScope.SELF:
            person_id = person.pk
    subtree: tuple[int, ...] = ()
    if paths and not everything:
        from .models import Unit

        below = reduce(or_, [Q(path__startswith=p) for p in paths])
        subtree = tuple(Unit.objects.filter(below).order_by("pk").values_list("pk", flat=True))
    return Scope(
        everything=everything,
        unit_paths=tuple(sorted(paths)),
        subtree_ids=subtree,
        unit_ids=tuple(sorted(unit_ids)),
        department_ids=tuple(sorted(department_ids)),
        person_id=person_id,
        user_id=user.pk,
    )


def scope_fields(model: type[Model]) -> ScopeFields:
    fields = getattr(model, "SCOPE", None)
    if fields is None:
        raise TypeError(
            f"{model.__name__} has no SCOPE declaration and cannot be read through scoped()."
        )
    return fields


def scoped(user, source: type[M] | QuerySet[M]) -> QuerySet[M]:
    """Restrict a model or queryset to the user's data scope."""
    qs = source._default_manager.all() if isinstance(source, type) else source
    q = scope_for(user).q(scope_fields(qs.model))
    if q is None:
        return qs
    return qs.filter(q).distinct() if _needs_distinct(qs.model) else qs.filter(q)


def _needs_distinct(model: type[Model]) -> bool:
    fields = scope_fields(model)
    return any("__" in (f or "") or _is_m2m(model, f) for f in (fields.department, fields.person))


def _is_m2m(model: type[Model], name: str | None) -> bool:
    if not name:
        return False
    try:
        return bool(model._meta.get_field(name).many_to_many)
    except FieldDoesNotExist:  # a path through a relation ("unit__parent"): not a field here
        return False


def get_scoped_or_404(user, source: type[M] | QuerySet[M], **lookup) -> M:
    """Missing and out-of-scope objects are the same 404, so ids cannot be probed."""
    try:
        return scoped(user, source).get(**lookup)
    except (
        ValueError,
        TypeError,
        ObjectDoesNotExist,
        MultipleObjectsReturned,
        ValidationError,
    ) as exc:
        raise Http404 from exc
