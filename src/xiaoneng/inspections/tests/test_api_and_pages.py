"""Scopes and workflows through the API and the pages (issue #14 acceptance)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from xiaoneng.core.models import Role
from xiaoneng.core.testing import make_user
from xiaoneng.inspections import services
from xiaoneng.inspections.models import Finding, Visit

from .conftest import png_upload, stored_png


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def leader_user(org):
    user = make_user("approver", None)
    user.roles.set(Role.objects.filter(code="leader"))
    return user


def _finding(squad, visit, **kw):
    values = {"title": "导诊台无人", "description": "上午无人值守"} | kw
    return services.finding_create(actor=squad.ins_bureau, visit=visit, **values)


def _publish(org, squad, visit):
    services.visit_record(actor=squad.ins_bureau, visit=visit, summary="检查")
    services.visit_publish(actor=org.alice, visit=visit)


def test_unit_b_cannot_see_unit_a_findings(api_as, org, squad, visit_a):
    finding = _finding(squad, visit_a)
    _publish(org, squad, visit_a)
    url = f"/api/v1/findings/{finding.pk}"
    assert api_as(org.bob).get(url).status_code == 200
    response = api_as(org.carol).get(url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    assert api_as(org.carol).get("/api/v1/findings").json()["count"] == 0
    assert (
        _client(org.carol).get(reverse("inspections:finding", args=[finding.pk])).status_code == 404
    )


def test_an_unpublished_unannounced_visit_is_invisible_to_the_unit(api_as, org, squad,
                                                                  secret_visit_a):  # fmt: skip
    finding = _finding(squad, secret_visit_a)
    bob = api_as(org.bob)
    assert bob.get(f"/api/v1/inspection-visits/{secret_visit_a.pk}").status_code == 404
    assert bob.get("/api/v1/inspection-visits").json()["count"] == 0
    assert bob.get(f"/api/v1/findings/{finding.pk}").status_code == 404
    page = _client(org.bob)
    assert page.get(reverse("inspections:visit", args=[secret_visit_a.pk])).status_code == 404
    listing = page.get(reverse("inspections:list")).content.decode()
    assert "窗口服务暗访" not in listing
    assert not bob.get("/api/v1/issues").json()["count"]  # not in the ledger either
    # the inspector sees the assignment; after publication the unit does
    inspector = api_as(squad.ins_bureau)
    assert inspector.get(f"/api/v1/inspection-visits/{secret_visit_a.pk}").status_code == 200
    _publish(org, squad, secret_visit_a)
    assert bob.get(f"/api/v1/inspection-visits/{secret_visit_a.pk}").status_code == 200
    assert bob.get("/api/v1/issues").json()["count"] == 1


def test_an_inspector_sees_only_the_assignments(api_as, org, squad, visit_a):
    assert api_as(squad.ins_bureau).get("/api/v1/inspection-visits").json()["count"] == 1
    assert api_as(squad.ins_b).get("/api/v1/inspection-visits").json()["count"] == 0
    assert api_as(squad.ins_b).get(f"/api/v1/inspection-visits/{visit_a.pk}").status_code == 404


def test_the_draw_endpoint_stores_the_seed_and_refuses_a_second_draw(api_as, org, plan_factory):
    plan = plan_factory()
    client = api_as(org.alice)
    response = client.post(f"/api/v1/inspection-plans/{plan.pk}/draw", {"seed": 12345})
    assert response.status_code == 200 and len(response.json()) == 2
    assert client.get(f"/api/v1/inspection-plans/{plan.pk}").json()["seed"] == 12345
    again = client.post(f"/api/v1/inspection-plans/{plan.pk}/draw", {"seed": 1})
    assert again.status_code == 409
    assert again["Content-Type"].startswith("application/problem+json")


def test_findings_through_the_api_open_issue_and_order(api_as, org, squad, visit_a, category):
    client = api_as(squad.ins_bureau)
    photo = stored_png(squad.ins_bureau)
    response = client.post(
        f"/api/v1/inspection-visits/{visit_a.pk}/findings",
        {"title": "收受红包", "description": "收受患者红包", "severity": "severe",
         "category": category.pk,
         "files": [{"file": photo.pk, "captured_at": "2026-03-02T10:00:00+08:00"}]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["issue_number"].startswith("WT") and body["order"]
    assert body["evidence"][0]["captured_at"].startswith("2026-03-02T10:00:00")
    order = api_as(org.bob).get(f"/api/v1/supervision-orders/{body['order']}").json()
    assert order["number"].startswith("DB") and order["issue"] == body["issue"]


def test_a_bulletin_lists_only_approved_cases_and_names_only_with_the_tick(
    api_as, org, squad, visit_a, leader_user
):
    person = org.unit_a.principal
    named = _finding(squad, visit_a, title="甲案", people=[person])
    unapproved = _finding(squad, visit_a, title="乙案", people=[person])
    ticked = _finding(squad, visit_a, title="丙案", people=[org.dave.person])
    _publish(org, squad, visit_a)
    office = api_as(org.alice)
    created = office.post("/api/v1/bulletins", {
        "title": "第一期曝光", "period_start": "2026-01-01", "period_end": "2026-12-31",
        "findings": [named.pk, unapproved.pk, ticked.pk]}, format="json")  # fmt: skip
    assert created.status_code == 201, created.json()
    bulletin = created.json()
    entries = {e["title"]: e["id"] for e in bulletin["entries"]}
    url = f"/api/v1/bulletins/{bulletin['id']}"
    leader = api_as(leader_user)
    assert leader.post(f"{url}/approve", {}, format="json").status_code == 409  # not submitted
    assert office.post(f"{url}/submit").status_code == 200
    assert office.post(f"{url}/approve", {}, format="json").status_code == 403
    approve = leader.post(f"{url}/approve", {
        "entries": [entries["甲案"], entries["丙案"]], "names_for": [entries["丙案"]]},
        format="json")  # fmt: skip
    assert approve.status_code == 200, approve.json()
    assert api_as(org.bob).get(url).status_code == 404  # not public yet
    published = office.post(f"{url}/publish").json()
    assert published["number"].startswith("效能曝光〔") and published["issued_on"]
    page = Client().get(reverse("inspections_public:bulletin", args=[bulletin["id"]]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "甲案" in html and "丙案" in html and "乙案" not in html
    assert org.dave.person.name in html  # ticked
    assert person.name not in html  # approved, but no tick: no name
    listing = Client().get(reverse("inspections_public:bulletins")).content.decode()
    assert "第一期曝光" in listing


def test_an_exposed_unit_records_its_self_criticism(api_as, org, squad, visit_a, leader_user):
    finding = _finding(squad, visit_a)
    _publish(org, squad, visit_a)
    bulletin = services.bulletin_create(actor=org.alice, title="通报", findings=[finding],
                                        period_start=dt.date(2026, 1, 1),
                                        period_end=dt.date(2026, 12, 31))  # fmt: skip
    services.bulletin_submit(actor=org.alice, bulletin=bulletin)
    services.bulletin_approve(actor=leader_user, bulletin=bulletin)
    services.bulletin_publish(actor=org.alice, bulletin=bulletin)
    body = {
        "unit": org.unit_a.pk,
        "kind": "self_criticism",
        "speaker": "甲院长",
        "text": "深刻检讨",
    }
    url = f"/api/v1/bulletins/{bulletin.pk}/responses"
    assert api_as(org.bob).post(url, body, format="json").status_code == 201
    assert api_as(org.carol).post(url, body, format="json").status_code == 400  # not its unit
    assert bulletin.responses.get().speaker == "甲院长"
    stats = bulletin.__class__.objects.get(pk=bulletin.pk).stats
    assert stats["units"][0] == {"unit": org.unit_a.name, "count": 1}


def test_the_phone_form_records_answers_gps_and_a_photo(org, squad, visit_a):
    client = _client(squad.ins_bureau)
    item = visit_a.plan.template.items.first()
    response = client.post(reverse("inspections:visit-record", args=[visit_a.pk]), {
        "summary": "现场检查", "latitude": "30.5", "longitude": "120.25", "accuracy": "12",
        f"answer-{item.pk}": "problem", f"note-{item.pk}": "未公示",
        "captured": '["2026-03-02T02:00:00.000Z"]', "files": [png_upload()]})  # fmt: skip
    assert response.status_code == 302
    visit = Visit.objects.get(pk=visit_a.pk)
    assert visit.status == "recorded" and visit.location_accuracy == 12
    assert visit.evidence.get().captured_at.isoformat().startswith("2026-03-02T02:00:00")
    finding = Finding.objects.get(visit=visit)
    assert finding.checklist_item == item and finding.issue is not None
    page = client.get(reverse("inspections:visit", args=[visit_a.pk]))
    assert page.status_code == 200 and finding.issue.number in page.content.decode()


def test_the_finding_form_opens_the_ledger_issue(org, squad, visit_a, category):
    client = _client(squad.ins_bureau)
    response = client.post(reverse("inspections:visit-finding", args=[visit_a.pk]), {
        "title": "候诊区无人引导", "description": "候诊区秩序混乱", "severity": "serious",
        "category": category.pk, "files": [png_upload()]})  # fmt: skip
    assert response.status_code == 302
    finding = Finding.objects.get(visit=visit_a)
    assert finding.issue.severity == "serious" and finding.evidence.count() == 1
    bad = client.post(reverse("inspections:visit-finding", args=[visit_a.pk]), {"title": ""})
    assert bad.status_code == 400 and "form-errors" in bad.content.decode()


@pytest.mark.parametrize(
    "name", ["inspections:list", "inspections:plans", "inspections:orders",
             "inspections:bulletins", "inspections:plan-new", "inspections:bulletin-new"],
)  # fmt: skip
def test_office_pages_render_in_chinese(org, name):
    page = _client(org.alice).get(reverse(name))
    assert page.status_code == 200
    assert "明查暗访" in page.content.decode() or "曝光" in page.content.decode()


def test_the_list_page_query_count_is_bounded(
    org, squad, plan_factory, django_assert_max_num_queries
):
    plan = plan_factory(inspector_count=1)
    services.plan_draw(actor=org.alice, plan=plan, seed=3)
    client = _client(org.alice)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("inspections:list")).status_code == 200


def test_the_office_plans_and_draws_on_the_pages(org, squad, template):
    client = _client(org.alice)
    response = client.post(reverse("inspections:plan-new"), {
        "name": "专项督查", "kind": "special", "starts_on": "2026-04-01", "ends_on": "2026-04-30",
        "template": template.pk, "units": [org.unit_a.pk, org.unit_b.pk], "unit_count": "1",
        "inspector_pool": [squad.ins_bureau.person.pk, squad.ins_a.person.pk],
        "inspector_count": "1"})  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    plan_url = response["Location"]
    drawn = client.post(plan_url + "draw/", {"seed": "77"})
    assert drawn.status_code == 302
    page = client.get(plan_url).content.decode()
    assert "77" in page and page.count('data-testid="plan-visit"') == 1
    again = client.post(plan_url + "draw/", {"seed": "78"}, follow=True)
    assert "alert" in again.content.decode()  # refused with a message, not a crash


def test_order_reply_and_verification_on_the_pages(org, squad, visit_a):
    finding = _finding(squad, visit_a, severity="severe")
    order = finding.order
    bob = _client(org.bob)
    page = bob.get(reverse("inspections:order", args=[order.pk])).content.decode()
    assert 'data-testid="reply-form"' in page
    refused = bob.post(reverse("inspections:order-reply", args=[order.pk]), {"reply": "已整改"},
                       follow=True)  # fmt: skip
    assert "至少" in refused.content.decode() or "evidence" in refused.content.decode()
    bob.post(reverse("inspections:order-reply", args=[order.pk]),
             {"reply": "已整改", "files": [png_upload()]})  # fmt: skip
    order.refresh_from_db()
    assert order.status == "replied"
    alice = _client(org.alice)
    assert 'data-testid="reply-form"' not in alice.get(
        reverse("inspections:order", args=[order.pk])).content.decode()  # fmt: skip
    alice.post(reverse("inspections:order-verify", args=[order.pk]), {"decision": "reject",
                                                                      "reason": "佐证不足"})  # fmt: skip
    order.refresh_from_db()
    assert order.status == "returned" and order.verify_reason == "佐证不足"


def test_bulletin_approval_on_the_pages_ticks_names(org, squad, visit_a, leader_user):
    finding = _finding(squad, visit_a, people=[org.dave.person])
    _publish(org, squad, visit_a)
    alice = _client(org.alice)
    response = alice.post(reverse("inspections:bulletin-new"), {
        "title": "曝光", "period_start": "2026-01-01", "period_end": "2026-12-31",
        "findings": [finding.pk]})  # fmt: skip
    assert response.status_code == 302
    url = response["Location"]
    pk = int(url.rstrip("/").split("/")[-1])
    action = lambda name: reverse("inspections:bulletin-action", args=[pk, name])  # noqa: E731
    alice.post(action("submit"))
    leader = _client(leader_user)
    entry = services.bulletins.Bulletin.objects.get(pk=pk).entries.get()
    leader.post(action("approve"), {"entries": [entry.pk], "names": [entry.pk]})
    alice.post(action("publish"))
    html = Client().get(reverse("inspections_public:bulletin", args=[pk])).content.decode()
    assert org.dave.person.name in html
    bob = _client(org.bob)
    bob.post(action("respond"), {"unit": org.unit_a.pk, "kind": "pledge", "speaker": "甲院长",
                                 "text": "立即整改"})  # fmt: skip
    assert entry.bulletin.responses.get().kind == "pledge"


def test_a_plan_posted_twice_with_one_idempotency_key_is_one_plan(api_as, org, squad):
    from xiaoneng.inspections.models import InspectionPlan

    client = api_as(org.alice)
    body = {
        "name": "春季明查",
        "kind": "open",
        "starts_on": "2026-12-01",
        "ends_on": "2026-12-31",
        "units": [org.unit_a.pk],
    }
    first = client.post("/api/v1/inspection-plans", body, format="json", HTTP_IDEMPOTENCY_KEY="p-1")
    again = client.post("/api/v1/inspection-plans", body, format="json", HTTP_IDEMPOTENCY_KEY="p-1")
    assert first.status_code == 201, first.json()
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert InspectionPlan.objects.filter(name="春季明查").count() == 1
    other = client.post(
        "/api/v1/inspection-plans",
        {**body, "name": "另一计划"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="p-1",
    )
    assert other.status_code == 409
    assert other["Content-Type"].startswith("application/problem+json")
    assert not InspectionPlan.objects.filter(name="另一计划").exists()
