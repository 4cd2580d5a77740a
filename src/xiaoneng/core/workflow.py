"""Explicit state machines.

A workflow declares its states and transitions in one table. ``apply`` moves an object
with a conditional UPDATE (``WHERE status = <from>``): of two concurrent transitions on
the same row exactly one changes it; the other sees 0 rows and gets ``Conflict`` (409).
This works the same on PostgreSQL and SQLite and across processes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from django.db.models import Model
from django.utils.translation import gettext as _

from .errors import Conflict


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str


@dataclass
class StateMachine:
    field: str
    transitions: dict[str, Transition] = dataclasses.field(default_factory=dict)

    @classmethod
    def define(cls, field_name: str, *rows: tuple[str, tuple[str, ...] | str, str]) -> StateMachine:
        machine = cls(field=field_name)
        for name, sources, target in rows:
            sources = (sources,) if isinstance(sources, str) else tuple(sources)
            machine.transitions[name] = Transition(name, sources, target)
        return machine

    def allowed(self, obj: Model) -> list[str]:
        state = getattr(obj, self.field)
        return [t.name for t in self.transitions.values() if state in t.sources]

    def can(self, obj: Model, name: str) -> bool:
        return name in self.allowed(obj)

    def target(self, obj: Model, name: str) -> str:
        transition = self.transitions[name]
        state = getattr(obj, self.field)
        if state not in transition.sources:
            raise Conflict(
                _("The action “%(action)s” is not allowed in the current state (%(state)s).")
                % {"action": name, "state": state}
            )
        return transition.target

    def apply(self, obj: Model, name: str, **changes) -> str:
        """Move `obj` through transition `name`, saving `changes` in the same UPDATE."""
        target = self.target(obj, name)
        source = getattr(obj, self.field)
        values = {self.field: target, **changes}
        updated = (
            type(obj)._default_manager.filter(pk=obj.pk, **{self.field: source}).update(**values)
        )
        if updated != 1:
            raise Conflict(
                _("Someone else changed this record at the same time; reload and try again.")
            )
        for key, value in values.items():
            setattr(obj, key, value)
        return target
