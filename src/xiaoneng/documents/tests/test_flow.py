"""Draft from a template and its source → review → a leader signs → issued with a gap-free
number; issued is immutable (409) and reaches the recipients' inbox."""

from __future__ import annotations

import datetime as dt

import pytest

from xiaoneng.core import clock
from xiaoneng.core.errors import Conflict, Forbidden
from xiaoneng.core.models import Notification
from xiaoneng.documents import selectors, services
from xiaoneng.documents.models import DocumentTemplate
from xiaoneng.documents.vocab import DocumentStatus

from .conftest import at, issue


@pytest.mark.django_db
def test_it_fills_the_template_from_the_campaign(org, campaign, notice):
    assert notice.title == f"关于开展{campaign.name}的通知"
    assert campaign.name in notice.body and "{" not in notice.body
    assert notice.mark == "测试县卫生健康局文件"
    assert notice.campaign == campaign
    assert set(notice.recipients.all()) == set(campaign.units.all())
    assert notice.number == "" and notice.status == DocumentStatus.DRAFT


@pytest.mark.django_db
def test_signing_numbers_per_unit_kind_and_year_and_records_the_signer(org, campaign, notice):
    with clock.frozen_now(at(dt.date(2026, 3, 5))):
        issue(org, notice)
        second = services.document_correct(actor=org.alice, document=notice)
        issue(org, second)
    notice.refresh_from_db()
    assert notice.status == DocumentStatus.ISSUED
    assert notice.number == "测卫效〔2026〕1号"
    assert notice.signed_by == org.leader and notice.dated == dt.date(2026, 3, 5)
    assert second.number == "测卫效〔2026〕2号" and second.corrects == notice
    plan = services.document_draft(
        actor=org.alice,
        template=DocumentTemplate.objects.get(code="plan"),
        unit=org.bureau,
        source_ref=str(campaign.pk),
    )
    with clock.frozen_now(at(dt.date(2026, 3, 6))):
        issue(org, plan)
    assert plan.number == "测卫效方〔2026〕1号"  # another kind counts on its own series


@pytest.mark.django_db
def test_two_kinds_sharing_a_series_cannot_issue_the_same_number(org, campaign, notice):
    plan_template = DocumentTemplate.objects.get(code="plan")
    plan_template = services.template_revise(
        actor=org.alice, template=plan_template, number_format="{prefix}〔{year}〕{seq}号"
    )
    plan = services.document_draft(
        actor=org.alice, template=plan_template, unit=org.bureau, source_ref=str(campaign.pk)
    )
    issue(org, notice)
    with pytest.raises(Conflict, match="测卫效〔2026〕1号"):
        issue(org, plan)
    plan.refresh_from_db()
    assert plan.status == DocumentStatus.SIGNOFF and plan.number == ""


@pytest.mark.django_db
def test_an_issued_document_cannot_be_edited(org, notice):
    issue(org, notice)
    with pytest.raises(Conflict):
        services.document_update(actor=org.alice, document=notice, title="改")
    with pytest.raises(Conflict):
        services.document_submit(actor=org.alice, document=notice)


@pytest.mark.django_db
def test_only_a_leader_signs_and_the_office_cannot(org, notice):
    services.document_submit(actor=org.alice, document=notice)
    with pytest.raises(Forbidden):
        services.document_approve(actor=org.leader, document=notice)
    services.document_approve(actor=org.alice, document=notice)
    with pytest.raises(Forbidden):
        services.document_sign(actor=org.alice, document=notice)
    services.document_send_back(actor=org.leader, document=notice, reason="数据再核")
    assert notice.status == DocumentStatus.DRAFT and notice.return_reason == "数据再核"


@pytest.mark.django_db
def test_an_issued_document_reaches_the_recipient_units(org, notice):
    issue(org, notice)
    told = set(
        Notification.objects.filter(event="document.issued").values_list(
            "recipient__username", flat=True
        )
    )
    assert {"bob", "carol"} <= told
    assert notice in selectors.documents_for(org.bob)
    assert notice in selectors.documents_for(org.carol)


@pytest.mark.django_db
def test_a_draft_is_not_seen_by_recipient_units(org, notice):
    assert notice not in selectors.documents_for(org.bob)
    assert notice in selectors.documents_for(org.alice)


@pytest.mark.django_db
def test_a_template_revision_is_a_new_version(org):
    old = DocumentTemplate.objects.get(code="notice", active=True)
    new = services.template_revise(actor=org.alice, template=old, title="关于{campaign}的通知")
    old.refresh_from_db()
    assert (old.active, new.active, new.version) == (False, True, old.version + 1)
    with pytest.raises(Conflict):
        services.template_revise(actor=org.alice, template=old, title="x")


def test_placeholders_fill_only_simple_names():
    assert services.safe_fill("{a}{b}{0}{x.y}{{c}}", {"a": "甲"}) == "甲{b}{0}{x.y}{c}"
    assert services.safe_fill("单独{括号", {}) == "单独{括号"


@pytest.mark.django_db
def test_a_public_issued_document_reaches_the_public_site_and_a_draft_does_not(org, notice, client):
    from django.urls import reverse

    services.document_update(actor=org.alice, document=notice, public=True)
    assert notice.title not in client.get(reverse("public_documents:list")).content.decode()
    issue(org, notice)
    page = client.get(reverse("public_documents:list")).content.decode()
    assert notice.title in page and notice.number in page
    pdf = client.get(reverse("public_documents:pdf", args=[notice.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_the_api_creates_once_per_idempotency_key_and_refuses_edits_after_issue(
    org, campaign, letterhead, api_as
):
    template = DocumentTemplate.objects.get(code="notice", active=True)
    body = {"template": template.pk, "unit": org.bureau.pk, "source_ref": str(campaign.pk)}
    client = api_as(org.alice)
    first = client.post("/api/v1/documents", body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    again = client.post("/api/v1/documents", body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == 201 and again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    pk = first.json()["id"]
    assert client.post(f"/api/v1/documents/{pk}/submit").status_code == 200
    assert client.post(f"/api/v1/documents/{pk}/approve").status_code == 200
    assert client.post(f"/api/v1/documents/{pk}/issue").status_code == 403  # the office
    with clock.frozen_now(at(dt.date(2026, 3, 5))):
        issued = api_as(org.leader).post(f"/api/v1/documents/{pk}/issue")
    assert issued.status_code == 200 and issued.json()["number"] == "测卫效〔2026〕1号"
    edit = client.patch(f"/api/v1/documents/{pk}", {"title": "改"}, format="json")
    assert edit.status_code == 409
    assert edit["Content-Type"].startswith("application/problem+json")
    docx = client.get(f"/api/v1/documents/{pk}/docx")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
