from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from xiaoneng.campaigns import services as campaign_services
from xiaoneng.campaigns.models import CampaignTemplate
from xiaoneng.core import clock
from xiaoneng.documents import services
from xiaoneng.documents.models import DocumentTemplate, Letterhead


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def campaign(org):
    template = CampaignTemplate.objects.get(code="zuofeng-zhengdun")
    with clock.frozen_now(at(dt.date(2026, 3, 1))):
        made = campaign_services.campaign_create_from_template(
            actor=org.alice, template=template, year=2026, issuing_unit=org.bureau
        )
        campaign_services.campaign_start(actor=org.alice, campaign=made)
    return made


@pytest.fixture
def letterhead(org):
    return Letterhead.objects.create(
        unit=org.bureau, mark="测试县卫生健康局文件", prefix="测卫效", seal_name="测试县卫生健康局"
    )


@pytest.fixture
def notice(org, campaign, letterhead):
    """A 通知 drafted by the office from the campaign, addressed to its units."""
    template = DocumentTemplate.objects.get(code="notice", active=True)
    return services.document_draft(
        actor=org.alice, template=template, unit=org.bureau, source_ref=str(campaign.pk)
    )


def issue(org, doc):
    services.document_submit(actor=org.alice, document=doc)
    services.document_approve(actor=org.alice, document=doc)
    return services.document_sign(actor=org.leader, document=doc)
