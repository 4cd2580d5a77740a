"""Reads of the core app; each starts from the user's data scope."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Department, Person, Unit
from .scope import scoped


def units_for(user) -> QuerySet[Unit]:
    return scoped(user, Unit).select_related("parent", "principal")


def unit_choices(user) -> QuerySet[Unit]:
    """Units in scope for a select, in tree order, without joins (a province lists 5,000)."""
    return scoped(user, Unit).order_by("path")


def departments_for(user) -> QuerySet[Department]:
    return scoped(user, Department).select_related("unit", "head", "leader_in_charge")


def people_for(user) -> QuerySet[Person]:
    return scoped(user, Person).select_related("unit").prefetch_related("departments")


def escalation_chain(department: Department) -> list[Person]:
    """部门负责人 → 分管领导 → 主要领导 for a department (首问负责制, seed 001); gaps skipped."""
    chain: list[Person] = []
    for person in (department.head, department.leader_in_charge, department.unit.principal):
        if person is not None and person not in chain:
            chain.append(person)
    return chain
