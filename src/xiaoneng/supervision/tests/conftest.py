from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from xiaoneng.complaints.models import Category
from xiaoneng.core import clock
from xiaoneng.core.services import org as org_services
from xiaoneng.core.testing import make_user
from xiaoneng.supervision import services

D = dt.date


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def supervisor_user(org, username: str, name: str):
    person = org_services.person_create(
        actor=None,
        check=False,
        name=name,
        unit=org.bureau,
        position="行风社会监督员",
        phone="13900001234",
    )
    user = make_user(username, person, "supervisor")
    services.supervisor_appoint(
        actor=org.alice,
        person=person,
        kind="conduct",
        term_starts_on=D(2026, 1, 1),
        term_ends_on=D(2027, 12, 31),
        affiliation="县人大代表",
    )
    return user


@pytest.fixture
def sup(org):
    with clock.frozen_now(at(D(2026, 12, 1))):
        return supervisor_user(org, "sup", "监督甲")


@pytest.fixture
def sup2(org):
    with clock.frozen_now(at(D(2026, 12, 1))):
        return supervisor_user(org, "sup2", "监督乙")


@pytest.fixture
def category(db):
    return Category.objects.filter(is_active=True).order_by("sort_order").first()


@pytest.fixture
def report(org, sup):
    with clock.frozen_now(at(D(2026, 12, 2))):
        return services.report_file(
            actor=sup,
            kind="clue",
            unit=org.unit_a,
            title="挂号窗口无人值守",
            content="上午九点挂号窗口无人，患者排队二十分钟。",
            place="门诊大厅",
        )
