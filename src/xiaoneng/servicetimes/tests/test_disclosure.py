"""A unit's 院务公开 page lists the service time limits that apply to it (issue #20)."""

from __future__ import annotations

import pytest

from xiaoneng.openness import services as openness_services
from xiaoneng.openness.tests.helpers import disclosure

from ..disclosure import limit_text
from ..models import ServiceStandard, StandardOverride

pytestmark = pytest.mark.django_db


def test_the_public_page_shows_the_units_effective_time_limits(org, client):
    d = disclosure(org)
    openness_services.disclosure_act(actor=org.bob, disclosure=d, action="submit")
    openness_services.disclosure_act(actor=org.alice, disclosure=d, action="approve")
    emergency = ServiceStandard.objects.filter(is_active=True).order_by("limit_minutes").first()
    assert emergency is not None
    others = ServiceStandard.objects.filter(is_active=True).exclude(pk=emergency.pk)
    switched_off = others.first()
    StandardOverride.objects.create(standard=switched_off, unit=org.unit_a, is_active=False)
    page = client.get(f"/public/openness/units/{org.unit_a.code}/").content.decode()
    assert emergency.name in page
    assert limit_text(emergency.limit_minutes) in page
    assert switched_off.name not in page  # the unit switched it off


def test_limits_read_in_minutes_or_whole_hours():
    assert limit_text(5) != limit_text(60)
    assert "5" in limit_text(5) and "2" in limit_text(120) and "120" not in limit_text(120)
