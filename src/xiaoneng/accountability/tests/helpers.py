"""Shared helpers of the accountability tests."""

from __future__ import annotations

from xiaoneng.accountability.models import Case, Measure
from xiaoneng.core.testing import make_user
from xiaoneng.rectification import spotchecks
from xiaoneng.rectification.tests.helpers import closed_item


def failed_spot_check(org, result: str = "false") -> Case:
    """A closed item of unit A with dave responsible, sampled and found falsely rectified."""
    item = closed_item(org)
    item.responsible_department = org.dept_a1
    item.responsible_person = org.dave.person
    item.save(update_fields=["responsible_department", "responsible_person"])
    check = spotchecks.spot_check_draw(actor=org.alice, count=1, unit=org.unit_a, seed=7)
    spotchecks.spot_check_result(
        actor=org.alice, spot_check=check, item=item, result=result, note="补拍照片应付"
    )
    return Case.objects.get(item=item)


def principal_user(org):
    """A login for unit A's principal leader (no role: sees only the unit's cases)."""
    return make_user("principal_a", org.unit_a.principal)


def measure(code: str) -> Measure:
    return Measure.objects.get(code=code)
