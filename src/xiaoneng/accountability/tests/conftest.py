"""Fixtures borrowed from the inspections tests (a visit of unit A, its inspectors)."""

from xiaoneng.inspections.tests.conftest import (  # noqa: F401
    category,
    plan_factory,
    squad,
    template,
    visit_a,
)
