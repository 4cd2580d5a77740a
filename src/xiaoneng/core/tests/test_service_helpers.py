"""core.services.base: who is told — ``users_with`` (everywhere) and ``unit_admins`` (one unit)."""

from __future__ import annotations

import pytest

from xiaoneng.core.models import Role
from xiaoneng.core.services.base import unit_admins, users_with


@pytest.mark.django_db
def test_users_with_finds_the_active_holders_of_a_permission_in_any_unit(org):
    office = Role.objects.get(code="office")
    code = next(iter(office.permissions))
    holders = users_with(code)
    assert org.alice in holders  # office role
    assert org.nobody not in holders  # no role at all
    org.alice.is_active = False
    org.alice.save(update_fields=["is_active"])
    assert org.alice not in users_with(code)
    assert users_with("no.such.permission") == []


@pytest.mark.django_db
def test_unit_admins_is_the_same_question_for_one_unit(org):
    bob_unit = org.bob.person.unit
    code = next(p for p in Role.objects.get(code="unit_admin").permissions)
    admins = unit_admins(bob_unit, permission=code)
    assert org.bob in admins
    assert set(admins) <= set(users_with(code))
    assert org.carol not in admins  # another unit's admin
    assert org.carol in users_with(code)
