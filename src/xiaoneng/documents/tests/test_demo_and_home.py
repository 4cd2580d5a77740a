"""The demo documents (loaded with the demo county): the monthly 简报 carries the real ledger
and complaint figures of the demo campaign; a 通报 and a 督办单 are issued; the work home
lists what waits for review and signature."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q
from django.utils import timezone

from xiaoneng.campaigns.models import Campaign
from xiaoneng.complaints.models import Complaint
from xiaoneng.core import clock, workhome
from xiaoneng.core.demo import load_demo_county
from xiaoneng.core.models import User
from xiaoneng.documents import demo, services
from xiaoneng.documents.models import Document
from xiaoneng.documents.sources import campaign_items, month_bounds

pytestmark = pytest.mark.django_db


def test_the_demo_briefing_carries_the_ledger_and_complaint_figures():
    assert load_demo_county() is True
    briefing = Document.objects.get(kind="briefing")
    campaign = Campaign.objects.filter(status="active").order_by("pk").first()
    items = campaign_items(User.objects.get(username="office"), campaign)
    closed = items.filter(status="closed").count()
    assert items.count() > 0
    assert f"整改事项{items.count()}项，已销号{closed}项" in briefing.body
    first = timezone.localtime(clock.now()).date().replace(day=1)
    start, end = month_bounds((first - dt.timedelta(days=1)).strftime("%Y-%m"))
    assert f"（{start.year}年{start.month}月）" in briefing.title
    received = Complaint.objects.filter(
        Q(received_at__gte=start) & Q(received_at__lt=end), unit__in=campaign.units.all()
    ).count()
    assert f"投诉举报{received}件" in briefing.body
    assert "{" not in briefing.body
    issued = Document.objects.filter(status="issued")
    assert {d.kind for d in issued} == {"circular", "order"}
    assert {d.number for d in issued} == {"青卫效通〔2026〕1号", "青卫效督〔2026〕1号"}
    assert all(d.signed_by.username == "leader" for d in issued)
    assert issued.get(kind="circular").public
    assert all(d.campaign == campaign for d in issued)  # filed for the campaign's archive
    assert demo.load_demo(now=clock.now()) == 0


def test_the_work_home_lists_documents_to_review_and_to_sign(org):
    from xiaoneng.documents.models import DocumentTemplate

    template = DocumentTemplate.objects.create(
        code="plain", kind="notice", source="", name="测", title="测", body="正文",
        updated_at=clock.now(),
    )  # fmt: skip
    doc = services.document_draft(actor=org.alice, template=template, unit=org.bureau)
    services.document_submit(actor=org.alice, document=doc)
    assert {w.key: w.count for w in workhome.collect(org.alice)}["documents.review"] == 1
    services.document_approve(actor=org.alice, document=doc)
    assert {w.key: w.count for w in workhome.collect(org.leader)}["documents.signoff"] == 1
    assert "documents.signoff" not in {w.key for w in workhome.collect(org.bob)}
