from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from xiaoneng.campaigns import services
from xiaoneng.campaigns.models import CampaignTemplate
from xiaoneng.core import clock
from xiaoneng.core.models import StoredFile


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def zuofeng(db) -> CampaignTemplate:
    return CampaignTemplate.objects.get(code="zuofeng-zhengdun")


@pytest.fixture
def campaign(org, zuofeng):
    """作风整顿 2026–2027 for units A, A's branch and B, started."""
    with clock.frozen_now(at(dt.date(2026, 12, 1))):
        made = services.campaign_create_from_template(
            actor=org.alice, template=zuofeng, year=2026, issuing_unit=org.bureau
        )
        services.campaign_start(actor=org.alice, campaign=made)
    return made


@pytest.fixture
def upload(db):
    def make(user, name="实施方案.pdf"):
        return StoredFile.objects.create(
            file=f"files/test/{name}",
            name=name,
            size=10,
            content_type="application/pdf",
            sha256="0" * 64,
            uploaded_by=user,
            uploaded_at=timezone.now(),
        )

    return make
