"""Builders for the party tests and the permission matrix."""

from __future__ import annotations

from .. import services
from ..models import StarScheme


def organisation(org, unit=None):
    unit = unit or org.unit_a
    return services.organisation_create(actor=org.bob if unit == org.unit_a else org.carol,
                                        unit=unit, name=f"{unit.name}第一党支部")  # fmt: skip


def member(org, organisation_, person=None):
    return services.member_save(
        actor=org.alice,
        organisation=organisation_,
        person=person or org.unit_a.principal,
        commitment="首问负责，限时办结",
        shows_identity=True,
        post="model",
        post_name="收费窗口党员示范岗",
    )


def window_scheme() -> StarScheme:
    return StarScheme.objects.get(code="star-window")


def scores(scheme: StarScheme, *values) -> dict[str, str]:
    return {str(c.pk): str(v) for c, v in zip(scheme.criteria.all(), values, strict=True)}
