"""Builders for the openness tests and the permission matrix."""

from __future__ import annotations

from datetime import timedelta

from xiaoneng.complaints.models import Category
from xiaoneng.core import clock

from .. import services


def reception(org, *, unit=None, leader=None, days=3):
    start = clock.now().replace(microsecond=0) + timedelta(days=days)
    return services.reception_create(
        actor=org.alice,
        unit=unit or org.unit_a,
        leader=leader or org.unit_a.principal,
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        place="门诊楼三楼接待室",
        topics="医疗服务、行风作风",
    )


def disclosure(org, *, unit=None, approved=False):
    unit = unit or org.unit_a
    d = services.disclosure_open(actor=org.bob, unit=unit)
    services.item_add(
        actor=org.bob,
        disclosure=d,
        section="standard",
        title="门诊挂号",
        time_limit="排队不超过15分钟",
    )
    services.item_add(
        actor=org.bob, disclosure=d, section="price", title="普通门诊诊查费", price=10,
        price_unit="次",
    )  # fmt: skip
    if approved:
        services.disclosure_act(actor=org.bob, disclosure=d, action="submit")
        services.disclosure_act(actor=org.alice, disclosure=d, action="approve")
    d.refresh_from_db()
    return d


def category():
    return Category.objects.filter(is_active=True).first()
