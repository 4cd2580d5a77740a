"""领导接待日 and 院务公开 (issue 20): the public site shows a unit's approved 院务公开 page
and the reception roster; a visit becomes a complaint with channel reception_day linked to the
leader; only approved content is public."""

from __future__ import annotations

import pytest

from xiaoneng.complaints.models import Complaint
from xiaoneng.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from xiaoneng.core.models import AuditRecord

from .. import providers, services
from ..models import ReceptionVisit
from .helpers import category, disclosure, reception

pytestmark = pytest.mark.django_db


def test_the_public_site_shows_the_reception_roster(org, client):
    r = reception(org)
    page = client.get("/public/openness/reception/").content.decode()
    assert org.unit_a.principal.name in page and "门诊楼三楼接待室" in page
    assert r.starts_at.astimezone().strftime("%Y-%m-%d") in page
    home = client.get("/public/").content.decode()
    assert "/public/openness/reception/" in home  # linked from the portal nav


def test_the_public_site_shows_a_units_approved_disclosure_page_only(org, client):
    d = disclosure(org)
    url = f"/public/openness/units/{org.unit_a.code}/"
    assert client.get(url).status_code == 404  # a draft is not public
    services.disclosure_act(actor=org.bob, disclosure=d, action="submit")
    assert client.get(url).status_code == 404  # submitted is not public either
    services.disclosure_act(actor=org.alice, disclosure=d, action="approve")
    page = client.get(url).content.decode()
    assert "门诊挂号" in page and "排队不超过15分钟" in page and "普通门诊诊查费" in page
    assert org.unit_a.name in client.get("/public/openness/").content.decode()
    # a revision stays private until approved; the approved snapshot stays public
    services.disclosure_act(actor=org.bob, disclosure=d, action="revise")
    services.item_add(actor=org.bob, disclosure=d, section="commitment", title="首问负责不推诿")
    page = client.get(url).content.decode()
    assert "门诊挂号" in page and "首问负责不推诿" not in page


def test_the_office_approves_and_returns_the_unit_edits(org):
    d = disclosure(org)
    with pytest.raises(Forbidden):
        services.disclosure_act(actor=org.bob, disclosure=d, action="approve")
    with pytest.raises(Conflict):
        services.disclosure_act(actor=org.alice, disclosure=d, action="approve")  # not submitted
    services.disclosure_act(actor=org.bob, disclosure=d, action="submit")
    with pytest.raises(ValidationFailed):
        services.item_add(actor=org.bob, disclosure=d, section="standard", title="x")  # locked
    with pytest.raises(ValidationFailed):
        services.disclosure_act(actor=org.alice, disclosure=d, action="return")  # no reason
    services.disclosure_act(actor=org.alice, disclosure=d, action="return", reason="价格不全")
    d.refresh_from_db()
    assert d.status == "returned" and d.return_reason == "价格不全" and d.published_at is None
    assert AuditRecord.objects.filter(action="return", object_id=str(d.pk)).exists()


def test_another_unit_cannot_edit_or_see_the_page(org, client):
    d = disclosure(org)
    with pytest.raises(NotFound):
        services.item_add(actor=org.carol, disclosure=d, section="standard", title="x")
    client.force_login(org.carol)
    assert client.get(f"/openness/disclosures/{d.pk}/").status_code == 404


def test_a_price_needs_a_price(org):
    d = services.disclosure_open(actor=org.bob, unit=org.unit_a)
    with pytest.raises(ValidationFailed) as exc:
        services.item_add(actor=org.bob, disclosure=d, section="price", title="CT")
    assert "price" in exc.value.errors


def test_a_visit_is_a_complaint_on_the_reception_channel_linked_to_the_leader(org, client):
    r = reception(org, days=0)
    client.force_login(org.alice)
    response = client.post(
        f"/openness/reception/{r.pk}/",
        {
            "type": "complaint",
            "category": category().pk,
            "title": "住院押金退费慢",
            "content": "出院一周押金仍未退回。",
            "name": "王女士",
            "phone": "13800001234",
        },
    )
    assert response.status_code == 302
    visit = ReceptionVisit.objects.get(reception=r)
    complaint = Complaint.objects.get(pk=visit.complaint_id)
    assert complaint.channel == "reception_day"
    assert visit.leader == org.unit_a.principal
    assert complaint.subject_unit == org.unit_a
    assert complaint.number in client.get(f"/openness/reception/{r.pk}/").content.decode()
    with pytest.raises(ValidationFailed):
        services.reception_withdraw(actor=org.alice, reception=r)


def test_the_roster_refuses_a_leader_of_another_unit_and_a_backwards_time(org):
    with pytest.raises(ValidationFailed) as exc:
        reception(org, leader=org.carol.person)
    assert "leader" in exc.value.errors
    with pytest.raises(Forbidden):
        services.reception_create(
            actor=org.bob, unit=org.unit_a, leader=org.unit_a.principal,
            starts_at=None, ends_at=None, place="x",
        )  # fmt: skip


def test_the_service_standards_table_contributes_through_the_provider_hook(org, client):
    disclosure(org, approved=True)
    providers.register_standards_provider(
        "test", lambda unit: [{"title": "出具检验报告", "time_limit": "2小时"}]
    )
    try:
        page = client.get(f"/public/openness/units/{org.unit_a.code}/").content.decode()
    finally:
        providers.unregister_standards_provider("test")
    assert "出具检验报告" in page and "2小时" in page


def test_the_work_home_lists_pages_to_approve_and_returned(org):
    from xiaoneng.core import workhome

    d = disclosure(org)
    services.disclosure_act(actor=org.bob, disclosure=d, action="submit")
    office = {w.key: w.count for w in workhome.collect(org.alice)}
    assert office.get("openness.to_approve") == 1
    services.disclosure_act(actor=org.alice, disclosure=d, action="return", reason="补充价格")
    unit = {w.key: w.count for w in workhome.collect(org.bob)}
    assert unit.get("openness.returned") == 1
    assert "openness.returned" not in {w.key for w in workhome.collect(org.carol)}


def test_submitting_tells_the_office_and_approving_tells_the_unit(org):
    from xiaoneng.core.models import Notification

    d = disclosure(org)
    services.disclosure_act(actor=org.bob, disclosure=d, action="submit")
    assert Notification.objects.filter(event="openness.submitted", recipient=org.alice).exists()
    services.disclosure_act(actor=org.alice, disclosure=d, action="approve")
    assert Notification.objects.filter(event="openness.approve", recipient=org.bob).exists()
    assert not Notification.objects.filter(event="openness.approve", recipient=org.carol).exists()


def test_a_repeated_create_with_the_same_idempotency_key_is_replayed(org, api_as):
    r = reception(org)
    api = api_as(org.bob)
    body = {"category": category().pk, "title": "挂号排队久", "content": "排队一小时。"}
    first = api.post(f"/api/v1/reception-days/{r.pk}/visits", body, format="json",
                     headers={"Idempotency-Key": "visit-1"})  # fmt: skip
    again = api.post(f"/api/v1/reception-days/{r.pk}/visits", body, format="json",
                     headers={"Idempotency-Key": "visit-1"})  # fmt: skip
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"] and again["Idempotent-Replayed"] == "true"
    assert ReceptionVisit.objects.filter(reception=r).count() == 1
    other = api.post(f"/api/v1/reception-days/{r.pk}/visits", {**body, "title": "别的"},
                     format="json", headers={"Idempotency-Key": "visit-1"})  # fmt: skip
    assert other.status_code == 409
