"""Issue 21 items 1 and 7: the role on THIS case decides (policies.py), and the tracking code is a
complainant secret the handling unit never sees (API, list, export, case page, timeline, inbox)."""

from __future__ import annotations

import json
import re
from io import BytesIO
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from xiaoneng.complaints import policies, services
from xiaoneng.complaints.models import Category, Complaint, ComplaintEvent
from xiaoneng.core.errors import Forbidden
from xiaoneng.core.models import AuditRecord, Message, Notification

pytestmark = pytest.mark.django_db

INTERNAL = "内部备注：该科室此前已被约谈两次"


@pytest.fixture
def category(db) -> Category:
    return Category.objects.get_or_create(code="policy-test", defaults={"name": "测试分类"})[0]


def register(org, category, actor, *, unit, **complainant) -> Complaint:
    return services.complaint_register(
        actor=actor,
        channel="visit",
        type="complaint",
        category=category,
        subject_unit=unit,
        title="夜间急诊无人接诊",
        content="夜间急诊等候两小时无人接诊。",
        complainant=complainant or {"anonymous": True},
    )


@pytest.fixture
def cross_case(org, category) -> Complaint:
    """Unit A's admin (bob) registers a complaint about unit B; B handles it with internal notes."""
    case = register(org, category, org.bob, unit=org.unit_b)
    services.complaint_dispatch(complaint=case, actor=org.alice, unit=org.unit_b)
    services.complaint_sign(complaint=case, actor=org.carol)
    services.complaint_pause(complaint=case, actor=org.carol, reason=INTERNAL)
    case.refresh_from_db()
    return case


# --- item 7: another unit's registrar -------------------------------------------------------------
def test_the_registrars_unit_sees_the_case_but_not_the_handling_units_internal_notes(
    api_as, client, org, cross_case
):
    response = api_as(org.bob).get(f"/api/v1/complaints/{cross_case.pk}/timeline")
    assert response.status_code == 200
    actions = [e["action"] for e in response.json()]
    assert "register" in actions and "pause" not in actions and "sign" not in actions
    assert INTERNAL not in json.dumps(response.json(), ensure_ascii=False)

    client.force_login(org.bob)
    page = client.get(reverse("complaints:detail", args=[cross_case.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and INTERNAL not in html
    assert 'data-testid="history-tab"' not in html and 'data-testid="escalations"' not in html
    history = client.get(reverse("complaints:detail", args=[cross_case.pk]) + "?tab=history")
    assert INTERNAL not in history.content.decode()


def test_the_registrar_does_not_read_the_reason_for_overriding_the_time_rule(
    api_as, org, cross_case
):
    from xiaoneng.complaints.models import SlaPolicy

    policy = SlaPolicy.objects.create(
        code="fast", name="快速", resolve_value=3, resolve_unit="working_days"
    )
    services.complaint_override_sla(
        complaint=cross_case, actor=org.alice, policy=policy, reason=INTERNAL
    )
    assert (
        api_as(org.bob).get(f"/api/v1/complaints/{cross_case.pk}").json()["sla_override_reason"]
        == ""
    )
    assert (
        api_as(org.carol).get(f"/api/v1/complaints/{cross_case.pk}").json()["sla_override_reason"]
        == INTERNAL
    )


@pytest.mark.parametrize("who", ["carol", "alice", "leader"])
def test_the_handling_unit_and_the_bureau_read_the_internal_notes(api_as, org, cross_case, who):
    response = api_as(getattr(org, who)).get(f"/api/v1/complaints/{cross_case.pk}/timeline")
    assert INTERNAL in json.dumps(response.json(), ensure_ascii=False)


def test_the_registrars_unit_cannot_escalate_up_the_other_units_chain(
    api_as, client, org, cross_case
):
    response = api_as(org.bob).post(
        f"/api/v1/complaints/{cross_case.pk}/escalate", {"reason": "催一下"}, format="json"
    )
    assert response.status_code == 403
    client.force_login(org.bob)
    client.post(
        reverse("complaints:action", args=[cross_case.pk, "escalate"]),
        {"escalate-reason": "催一下"},
    )
    cross_case.refresh_from_db()
    assert cross_case.escalation_level == 0
    assert not ComplaintEvent.objects.filter(complaint=cross_case, action="escalate").exists()
    # The page offers the registrar no action at all on the other unit's case.
    page = client.get(reverse("complaints:detail", args=[cross_case.pk]))
    assert page.context["actions"] == []


def test_the_handling_unit_and_the_office_may_escalate(org, cross_case):
    services.complaint_escalate(complaint=cross_case, actor=org.carol, reason="科室推诿")
    services.complaint_escalate(
        complaint=Complaint.objects.get(pk=cross_case.pk), actor=org.alice, reason="督办"
    )
    assert Complaint.objects.get(pk=cross_case.pk).escalation_level == 2


def test_a_staff_registrar_of_another_unit_has_no_role_on_the_case(org, category):
    case = register(org, category, org.dave, unit=org.unit_b)
    services.complaint_dispatch(complaint=case, actor=org.alice, unit=org.unit_b)
    assert policies.roles_on(org.dave, case) == {policies.CaseRole.REGISTRAR}
    assert not policies.reads_internal(org.dave, case)
    for action in policies.ACTION_ROLES:
        assert not policies.can(org.dave, case, action), action


def test_the_unit_complained_about_never_verifies_or_rates_its_own_case(org, category):
    """A verifier's permission held by someone of the unit complained about gives no verifier role."""
    from xiaoneng.core.models import Role

    case = register(org, category, org.alice, unit=org.unit_b)
    services.complaint_dispatch(complaint=case, actor=org.alice, unit=org.unit_b)
    role = Role.objects.create(
        code="b-verifier", name="乙核查", permissions=["complaint.verify"], data_scope="unit"
    )
    org.carol.roles.add(role)
    carol = type(org.carol).objects.get(pk=org.carol.pk)
    assert carol.has_permission("complaint.verify")
    assert not policies.can(carol, case, "verify")
    assert not policies.can(carol, case, "return_visit")
    assert policies.can(org.alice, case, "verify")


def test_every_action_of_the_api_and_the_pages_is_in_the_policy_table():
    from xiaoneng.complaints import api, views

    for service_name, _serializer, _summary in api.ACTIONS.values():
        assert service_name.removeprefix("complaint_") in policies.ACTION_ROLES, service_name
    for spec in views.ACTIONS:
        assert spec.transition in policies.ACTION_ROLES, spec.transition


def test_pages_and_forms_never_import_the_api_module():
    root = Path(policies.__file__).parent
    pages = sorted((root / "views").glob("*.py"))
    assert len(pages) >= 3, pages  # the views package: queues, register, case
    for path in [*pages, root / "views_duplicates.py", root / "forms.py"]:
        source = path.read_text()
        pattern = r"from \.+api\b|complaints\.api\b|import api\b|from \.+ import [^\n]*\bapi\b"
        assert not re.search(pattern, source), path.name


def test_services_refuse_an_actor_without_a_role_on_the_case_even_if_it_sees_it(org, cross_case):
    with pytest.raises(Forbidden):
        services.complaint_escalate(complaint=cross_case, actor=org.bob, reason="x")
    with pytest.raises(Forbidden):
        services.complaint_resume(complaint=cross_case, actor=org.bob)


# --- item 1: the tracking code is a complainant secret -------------------------------------------
def test_the_handling_unit_never_receives_the_tracking_code(api_as, client, org, category):
    case = register(org, category, org.alice, unit=org.unit_b, name="赵六", phone="13611112222")
    services.complaint_dispatch(complaint=case, actor=org.alice, unit=org.unit_b)
    services.complaint_sign(complaint=case, actor=org.carol)
    services.complaint_reply(complaint=case, actor=org.carol, content="已处理")
    code = case.tracking_code
    api = api_as(org.carol)
    for url in (
        f"/api/v1/complaints/{case.pk}",
        "/api/v1/complaints",
        f"/api/v1/complaints/{case.pk}/timeline",
    ):
        response = api.get(url)
        assert response.status_code == 200, url
        assert code not in response.content.decode(), url
    assert api.get(f"/api/v1/complaints/{case.pk}/complainant").status_code == 404

    client.force_login(org.carol)
    for url in (
        reverse("complaints:detail", args=[case.pk]),
        reverse("complaints:queue"),
        reverse("complaints:unit"),
    ):
        assert code not in client.get(url).content.decode(), url
    export = client.get(reverse("complaints:mine") + "?export=xlsx")
    sheet = load_workbook(BytesIO(export.content)).active
    assert all(code not in str(c.value or "") for row in sheet.iter_rows() for c in row)
    for title, body in Message.objects.values_list("title", "body"):
        assert code not in f"{title} {body}"
    staff_rows = Notification.objects.exclude(recipient=None)
    assert all(code not in f"{n.subject} {n.body}" for n in staff_rows)


def test_roles_that_may_read_the_identity_see_the_tracking_code_audited(api_as, org, category):
    case = register(org, category, org.alice, unit=org.unit_b, name="赵六", phone="13611112222")
    response = api_as(org.alice).get(f"/api/v1/complaints/{case.pk}/complainant?reason=回访")
    assert response.status_code == 200
    assert response.json()["tracking_code"] == case.tracking_code
    assert AuditRecord.objects.filter(action="view_sensitive", object_id=str(case.pk)).exists()


def test_the_registration_receipt_goes_to_identity_readers_only(api_as, org, category):
    body = {
        "channel": "visit",
        "type": "complaint",
        "category": category.code,
        "unit": org.unit_a.pk,
        "title": "态度差",
        "content": "窗口态度差。",
        "complainant": {"anonymous": True},
    }
    office = api_as(org.alice).post("/api/v1/complaints", body, format="json").json()
    case = Complaint.objects.get(pk=office["id"])
    assert office["receipt"]["tracking_code"] == case.tracking_code
    assert services.rating_key_matches(case, office["receipt"]["rating_key"])
    assert "tracking_code" not in office

    # Unit A's own complaint desk registers a named complaint about unit A: no receipt on its
    # screen; the complainant gets the tracking code by SMS.
    named = {**body, "complainant": {"name": "钱七", "phone": "13733334444"}}
    unit = api_as(org.bob).post("/api/v1/complaints", named, format="json").json()
    case = Complaint.objects.get(pk=unit["id"])
    assert unit["receipt"] is None
    assert case.tracking_code not in json.dumps(unit)
    sms = Notification.objects.get(event="complaint.receipt")
    assert sms.channel == "sms" and sms.recipient is None and sms.address.startswith("enc:")
    assert case.tracking_code in sms.body


def test_the_rating_key_is_stored_encrypted_and_checked_in_constant_form(org, category):
    case = register(org, category, None, unit=org.unit_a)
    key = case.rating_key
    assert len(key) == services.RATING_KEY_LENGTH and key not in case.rating_key_enc
    fresh = Complaint.objects.get(pk=case.pk)
    assert services.rating_key_matches(fresh, key.lower())
    assert services.rating_key_matches(fresh, f"{key[:4]}-{key[4:]}")
    assert not services.rating_key_matches(fresh, "")
    assert not services.rating_key_matches(fresh, fresh.tracking_code)


def test_existing_cases_get_a_rating_key_nobody_has(org, category):
    """Migration 0007: cases from before the rating key get a random one (old receipts lack it)."""
    import importlib

    from django.apps import apps

    from xiaoneng.core import crypto

    migration = importlib.import_module("xiaoneng.complaints.migrations.0007_rating_key_existing")
    case = register(org, category, None, unit=org.unit_a)
    Complaint.objects.filter(pk=case.pk).update(rating_key_enc="")
    migration.give_keys(apps, None)
    fresh = Complaint.objects.get(pk=case.pk)
    key = crypto.decrypt(fresh.rating_key_enc)
    assert len(key) == 8 and key != case.rating_key
    assert not services.rating_key_matches(fresh, case.rating_key)
