"""Demo official documents for the demo county, through the real services: the letterhead of
the bureau (青山县卫生健康局文件, 青卫效), the demo campaign's monthly 简报 filled with the
real figures of its ledger and of the complaints against its units, a 通报 of the published
inspection bulletin and a 督办单 of the first supervision order — the last two issued
(signed by the leader, numbered, delivered to the units), the 通报 also on the public site.

Hook: ``load_demo(now=...)`` after campaigns, the ledger, complaints and inspections; does
nothing when documents already exist."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from xiaoneng.campaigns.models import Campaign
from xiaoneng.core.demo_county import BUREAU_CODE
from xiaoneng.core.models import Unit, User
from xiaoneng.inspections.models import Bulletin, SupervisionOrder

from . import services
from .models import Document, DocumentTemplate, Letterhead


def _issue(doc: Document, office: User, leader: User) -> Document:
    services.document_submit(actor=office, document=doc)
    services.document_approve(actor=office, document=doc)
    return services.document_sign(actor=leader, document=doc)


def _template(code: str) -> DocumentTemplate:
    return DocumentTemplate.objects.get(code=code, active=True)


def load_demo(*, now=None) -> int:
    if Document.objects.exists():
        return 0
    office = User.objects.get(username="office")
    leader = User.objects.get(username="leader")
    bureau = Unit.objects.get(code=BUREAU_CODE)
    Letterhead.objects.get_or_create(
        unit=bureau,
        defaults={"mark": "青山县卫生健康局文件", "prefix": "青卫效", "seal_name": bureau.name},
    )
    count = 0
    campaign = Campaign.objects.filter(status="active").order_by("pk").first()
    if campaign is not None:
        # The 简报 of the month just ended (the monthly report of seed 001).
        first = timezone.localtime(now or timezone.now()).date().replace(day=1)
        month = (first - dt.timedelta(days=1)).strftime("%Y-%m")
        services.document_draft(
            actor=office,
            template=_template("briefing"),
            unit=bureau,
            source_ref=f"{campaign.pk}:{month}",
        )
        count += 1
    bulletin = Bulletin.objects.filter(status="published").order_by("pk").first()
    if bulletin is not None:
        doc = services.document_draft(
            actor=office,
            template=_template("circular"),
            unit=bureau,
            source_ref=str(bulletin.pk),
            campaign=campaign,
        )
        services.document_update(actor=office, document=doc, public=True)
        _issue(doc, office, leader)
        count += 1
    order = SupervisionOrder.objects.order_by("pk").first()
    if order is not None:
        doc = services.document_draft(
            actor=office,
            template=_template("order"),
            unit=bureau,
            source_ref=str(order.pk),
            campaign=campaign,
        )
        _issue(doc, office, leader)
        count += 1
    return count
