"""Open311 GeoReport v2 at /open311/v2/: the shapes of the spec in JSON and XML, POST through the
complaint engine with the key's channel, the spec's GET filters, errors with the right codes."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from xiaoneng.complaints import services as complaint_services
from xiaoneng.complaints.models import Complaint
from xiaoneng.core import crypto
from xiaoneng.core.models import AuditRecord
from xiaoneng.open311 import services
from xiaoneng.open311.models import Open311Request

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
CST = ZoneInfo("Asia/Shanghai")


def body(key_raw: str | None, category, org, **over) -> dict:
    data = {
        "api_key": key_raw,
        "jurisdiction_id": "wjw.example.gov.cn",
        "service_code": category.code,
        "attribute[unit]": org.unit_a.code,
        "attribute[type]": "complaint",
        "description": "门诊收费项目不明，重复收费。\n请核实退费。",
        "first_name": "四",
        "last_name": "李",
        "phone": "13900139000",
        "email": "li4@example.com",
        "address_string": "人民路 1 号门诊楼",
        "lat": "34.7466",
        "long": "113.6253",
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def post(client, data: dict, fmt="json", **headers):
    return client.post(
        f"{BASE}/requests.{fmt}",
        urlencode(data, doseq=True),
        content_type="application/x-www-form-urlencoded; charset=utf-8",
        headers=headers,
    )


def xml(response) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)  # raises unless well-formed


def as_json(response):
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def sid(complaint: Complaint) -> str:
    """The public service_request_id of a case that came in through Open311."""
    return Open311Request.objects.get(complaint=complaint).public_id


def created(client, key, category, org, **over) -> Complaint:
    response = post(client, body(key[1], category, org, **over))
    assert response.status_code == 200, response.content
    return Complaint.objects.get(
        open311_request__public_id=as_json(response)[0]["service_request_id"]
    )


# --- discovery and services ----------------------------------------------------------------------
def test_discovery_lists_this_endpoint_in_both_formats(client, org):
    data = as_json(client.get(f"{BASE}/discovery.json"))
    endpoint = data["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    root = xml(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "text/xml",
        "application/json",
    ]


def test_services_are_the_active_complaint_categories(client, org, category):
    data = as_json(client.get(f"{BASE}/services.json"))
    mine = next(s for s in data if s["service_code"] == category.code)
    assert mine == {
        "service_code": "fees-o311",
        "service_name": "乱收费（测试）",
        "description": "乱收费（测试）",
        "metadata": True,
        "type": "realtime",
        "keywords": "收费",
        "group": "收费",
    }
    category.is_active = False
    category.save()
    assert category.code not in {
        s["service_code"] for s in as_json(client.get(f"{BASE}/services.json"))
    }
    root = xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    first = root.find("service")
    assert [child.tag for child in first] == [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]
    assert first.findtext("metadata") == "true"


def test_service_definition_defines_unit_and_type(client, org, category):
    data = as_json(client.get(f"{BASE}/services/{category.code}.json"))
    assert data["service_code"] == category.code
    by_code = {a["code"]: a for a in data["attributes"]}
    unit = by_code["unit"]
    assert unit["datatype"] == "singlevaluelist" and unit["required"] is True
    assert {"key": "UA", "name": "甲医院"} in unit["values"]
    kinds = {v["key"] for v in by_code["type"]["values"]}
    assert kinds == {"complaint", "report", "suggestion", "enquiry", "praise"}
    assert [a["order"] for a in data["attributes"]] == [1, 2, 3]

    root = xml(client.get(f"{BASE}/services/{category.code}.xml"))
    assert root.tag == "service_definition"
    attribute = root.find("attributes/attribute")
    assert attribute.findtext("code") == "unit"
    assert attribute.findtext("variable") == "true"
    keys = [v.findtext("key") for v in attribute.findall("values/value")]
    assert "UA" in keys and "UB" in keys


def test_unknown_service_code_is_a_404_in_the_spec_error_format(client, org):
    response = client.get(f"{BASE}/services/nope.json")
    assert response.status_code == 404
    [error] = as_json(response)
    assert error["code"] == 404 and "nope" in error["description"]
    response = client.get(f"{BASE}/services/nope.xml")
    assert response.status_code == 404
    root = xml(response)
    assert root.tag == "errors"
    assert root.find("error/code").text == "404"
    assert client.get(f"{BASE}/nothing-here.xml").status_code == 404


# --- POST ----------------------------------------------------------------------------------------
def test_post_creates_a_case_through_the_engine_with_the_keys_channel(client, org, category, key):
    response = post(client, body(key[1], category, org), fmt="xml")
    assert response.status_code == 200
    root = xml(response)
    assert root.tag == "service_requests"
    request = root.find("request")
    assert [c.tag for c in request] == ["service_request_id", "service_notice", "account_id"]
    complaint = Complaint.objects.get(
        open311_request__public_id=request.findtext("service_request_id")
    )
    assert complaint.channel == "hotline_12345"
    assert complaint.subject_unit == org.unit_a and complaint.category == category
    assert complaint.registered_by is None and complaint.status == "registered"
    assert complaint.resolve_by is not None  # the engine's time rule applied
    assert "人民路 1 号门诊楼" in complaint.content
    assert complaint.title == "门诊收费项目不明，重复收费。"
    identity = complaint.identity  # protected, encrypted like any other intake
    assert crypto.decrypt(identity.name_enc) == "李四"
    assert crypto.decrypt(identity.phone_enc) == "13900139000"
    assert "13900139000" not in identity.phone_enc
    assert complaint.open311_request.key == key[0]
    assert AuditRecord.objects.filter(action="open311_submit", object_id=str(complaint.pk)).exists()


def zh(text: str) -> str:
    """Errors are in the site's language (Chinese first)."""
    with translation.override("zh-hans"):
        return translation.gettext(text)


def test_post_requires_a_valid_unrevoked_key(client, org, category, key):
    response = post(client, body(None, category, org))
    assert response.status_code == 403
    expected = zh("api_key was not provided")
    assert as_json(response) == [{"code": 403, "description": expected}]
    response = post(client, body("o311_wrong", category, org), fmt="xml")
    assert response.status_code == 403 and xml(response).find("error/code").text == "403"
    services.key_revoke(actor=None, key=key[0])
    assert post(client, body(key[1], category, org)).status_code == 403
    assert not Complaint.objects.exists()


def test_post_errors_name_each_problem_with_the_right_code(client, org, category, key):
    response = post(client, body(key[1], category, org, service_code=None))
    assert response.status_code == 400
    assert as_json(response)[0]["description"] == zh("service_code was not provided")

    response = post(client, body(key[1], category, org, service_code="unknown"))
    assert response.status_code == 404

    response = post(
        client,
        body(
            key[1],
            category,
            org,
            **{"attribute[unit]": None, "attribute[type]": "gossip"},
            description="",
            lat="north",
        ),
        fmt="xml",
    )
    assert response.status_code == 400
    descriptions = [e.findtext("description") for e in xml(response).findall("error")]
    assert descriptions == [
        zh("attribute[unit] was not provided"),
        zh("attribute[type] %(value)s is not a valid choice") % {"value": "gossip"},
        zh("description was not provided"),
        zh("%(name)s is not a valid coordinate") % {"name": "lat"},
    ]
    response = post(client, body(key[1], category, org, phone="无"))
    assert response.status_code == 400
    assert as_json(response)[0]["description"].startswith("phone:")
    assert not Complaint.objects.exists()


def test_a_retried_post_with_one_idempotency_key_makes_one_case(client, org, category, key):
    first = post(client, body(key[1], category, org), **{"Idempotency-Key": "abc-1"})
    again = post(client, body(key[1], category, org), **{"Idempotency-Key": "abc-1"})
    assert first.status_code == again.status_code == 200
    assert as_json(first) == as_json(again)
    assert Complaint.objects.count() == 1
    other = post(
        client, body(key[1], category, org, description="另一件事"), **{"Idempotency-Key": "abc-1"}
    )
    assert other.status_code == 409
    post(client, body(key[1], category, org), **{"Idempotency-Key": "abc-2"})
    assert Complaint.objects.count() == 2


# --- GET -----------------------------------------------------------------------------------------
def test_get_returns_the_deadline_and_status_in_both_formats_without_identity(
    client, org, category, key
):
    complaint = created(client, key, category, org)
    url = f"{BASE}/requests/{sid(complaint)}"
    [data] = as_json(client.get(url + ".json"))
    expected = complaint.resolve_by.astimezone(CST).isoformat(timespec="seconds")
    assert data["expected_datetime"] == expected and expected.endswith("+08:00")
    assert data["requested_datetime"] == complaint.received_at.astimezone(CST).isoformat(
        timespec="seconds"
    )
    assert data["updated_datetime"].endswith("+08:00")
    # no consent to publication: the status in public words only
    assert data["status"] == "open" and data["status_notes"] == "已受理"
    assert data["service_code"] == category.code and data["service_name"] == category.name
    assert data["agency_responsible"] is None  # not dispatched yet
    # no consent to publication: neither the description nor the location
    assert data["description"] is None and data["address"] is None and data["lat"] is None
    root = xml(client.get(url + ".xml"))
    assert root.tag == "service_requests"
    request = root.find("request")
    assert request.findtext("expected_datetime") == expected
    assert request.findtext("status") == "open"
    for response in (client.get(url + ".json"), client.get(url + ".xml")):
        text = response.content.decode()
        for secret in ("李四", "13900139000", "li4@example.com", complaint.tracking_code):
            assert secret not in text
    assert client.get(f"{BASE}/requests/TS0000.json").status_code == 404
    assert client.get(f"{BASE}/requests/{complaint.number}.json").status_code == 404


def test_status_notes_agency_and_closed_follow_the_case(client, org, category, key):
    complaint = created(client, key, category, org, **{"attribute[consent_publish]": "true"})
    complaint_services.complaint_dispatch(complaint=complaint, actor=org.alice, unit=org.unit_a)
    complaint.refresh_from_db()
    complaint_services.complaint_sign(complaint=complaint, actor=org.bob)
    complaint.refresh_from_db()
    complaint_services.complaint_reply(
        complaint=complaint, actor=org.bob, content="已核实，多收费用已退还。"
    )
    [data] = as_json(client.get(f"{BASE}/requests/{sid(complaint)}.json"))
    assert data["status"] == "open"
    assert data["status_notes"] == "已核实，多收费用已退还。"  # consented to publication
    assert data["agency_responsible"] == "甲医院"
    assert data["description"].startswith("门诊收费项目不明")  # consented
    assert data["address"] == "人民路 1 号门诊楼" and data["lat"] == 34.7466
    Complaint.objects.filter(pk=complaint.pk).update(
        status="closed", closed_at=complaint.replied_at
    )
    [data] = as_json(client.get(f"{BASE}/requests/{sid(complaint)}.json"))
    assert data["status"] == "closed"


def test_a_rejected_case_is_closed_with_the_reason(client, org, category, key):
    complaint = created(client, key, category, org)
    complaint_services.complaint_reject(
        complaint=complaint, actor=org.alice, reason="不属于受理范围"
    )
    [data] = as_json(client.get(f"{BASE}/requests/{sid(complaint)}.json"))
    # No consent to publication: the status words, not the reason's text.
    assert data["status"] == "closed" and data["status_notes"] == "不予受理"


def test_list_filters_of_the_spec(client, org, category, key):
    other = type(category).objects.create(code="attitude-o311", name="态度差", group="服务")
    with time_machine.travel(datetime(2026, 1, 5, 10, 0, tzinfo=CST), tick=False):
        old = created(client, key, category, org)
    with time_machine.travel(datetime(2026, 5, 6, 10, 0, tzinfo=CST), tick=False):
        mid = created(client, key, other, org)
        closed = created(client, key, category, org)
        complaint_services.complaint_reject(complaint=closed, actor=org.alice, reason="重复")
    # a case that did not come in through Open311 is not served
    complaint_services.complaint_register(
        actor=org.alice,
        channel="phone",
        type="complaint",
        category=category,
        subject_unit=org.unit_a,
        title="电话投诉",
        content="内容",
    )

    def numbers(**params):
        response = client.get(f"{BASE}/requests.json", params)
        assert response.status_code == 200, response.content
        return {r["service_request_id"] for r in as_json(response)}

    with time_machine.travel(datetime(2026, 5, 10, 12, 0, tzinfo=CST), tick=False):
        assert numbers() == {sid(mid), sid(closed)}  # default: the last 90 days
        assert numbers(service_request_id=f"{sid(old)},{sid(mid)}") == {sid(old), sid(mid)}
        assert numbers(service_request_id=sid(old), status="closed") == {sid(old)}  # overrides
        assert numbers(service_code=other.code) == {sid(mid)}
        assert numbers(service_code=f"{other.code},{category.code}") == {sid(mid), sid(closed)}
        assert numbers(status="closed") == {sid(closed)}
        assert numbers(status="open") == {sid(mid)}
        assert numbers(status="open,closed") == {sid(mid), sid(closed)}
        assert numbers(start_date="2026-01-01T00:00:00+08:00", end_date="2026-01-31T00:00:00Z") == {
            sid(old)
        }
        assert numbers(start_date="2026-03-01T00:00:00Z") == {sid(mid), sid(closed)}
        assert numbers(start_date="2026-01-01T00:00:00Z") == {sid(old)}
        assert numbers(end_date="2026-04-01T00:00:00+08:00") == {sid(old)}
        too_long = client.get(
            f"{BASE}/requests.xml",
            {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-05-01T00:00:00Z"},
        )
        assert too_long.status_code == 400 and xml(too_long).tag == "errors"
        assert client.get(f"{BASE}/requests.json", {"start_date": "yesterday"}).status_code == 400
        assert client.get(f"{BASE}/requests.json", {"status": "pending"}).status_code == 400
        root = xml(client.get(f"{BASE}/requests.xml"))
        assert root.tag == "service_requests"
        assert len(root.findall("request")) == 2


def test_token_gives_the_service_request_id(client, org, category, key):
    complaint = created(client, key, category, org)
    token = Open311Request.objects.get(complaint=complaint).token
    assert as_json(client.get(f"{BASE}/tokens/{token}.json")) == [
        {"service_request_id": sid(complaint), "token": token}
    ]
    root = xml(client.get(f"{BASE}/tokens/{token}.xml"))
    assert root.find("request/service_request_id").text == sid(complaint)
    assert client.get(f"{BASE}/tokens/unknown.json").status_code == 404


def test_a_merged_duplicate_follows_its_parent(client, org, category, key):
    if not any(f.name == "parent" for f in Complaint._meta.get_fields()):
        pytest.fail("complaints.Complaint has no parent link")
    parent = created(client, key, category, org)
    child = created(client, key, category, org, description="重复投诉收费问题")
    complaint_services.complaint_reject(complaint=parent, actor=org.alice, reason="已另案处理")
    Complaint.objects.filter(pk=child.pk).update(parent=parent)
    [data] = as_json(client.get(f"{BASE}/requests/{sid(child)}.json"))
    assert data["status"] == "closed" and data["status_notes"] == "不予受理"  # no consent
    assert data["service_request_id"] == sid(child)


def test_descriptions_are_escaped_and_xml_stays_well_formed(client, org, category, key):
    complaint = created(
        client,
        key,
        category,
        org,
        description='<b>收费</b> & \x07 "引号"',
        **{"attribute[consent_publish]": "true"},
    )
    root = xml(client.get(f"{BASE}/requests/{sid(complaint)}.xml"))
    assert root.find("request/description").text.startswith('<b>收费</b> &  "引号"')


def test_the_key_and_dates_in_the_list_are_bounded(client, org, category, key):
    with time_machine.travel(datetime(2026, 5, 6, 10, 0, tzinfo=CST), tick=False):
        complaint = created(client, key, category, org)
    start = (complaint.received_at - timedelta(minutes=1)).astimezone(CST).isoformat()
    # An unencoded "+" in a query string arrives as a space; it is read as the offset sign.
    response = client.get(f"{BASE}/requests.json?start_date={start}")
    assert {r["service_request_id"] for r in as_json(response)} == {sid(complaint)}


def test_posts_are_rate_limited_per_key_and_address(client, org, category, key, settings):
    settings.XIAONENG_RATELIMITS = {"open311_submit": "2/m"}
    settings.XIAONENG_RATELIMIT_ENABLED = True
    with time_machine.travel(datetime(2026, 5, 6, 10, 0, 5, tzinfo=CST), tick=False):
        assert post(client, body(key[1], category, org)).status_code == 200
        assert post(client, body(key[1], category, org)).status_code == 200
        refused = post(client, body(key[1], category, org), fmt="xml")
        assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
        assert xml(refused).find("error/code").text == "429"
        other_key, raw = services.key_create(actor=None, name="App", channel="web")
        assert post(client, body(raw, category, org)).status_code == 200
    assert Complaint.objects.count() == 3


def test_without_consent_the_reply_never_appears_only_the_status_words(client, org, category, key):
    complaint = created(client, key, category, org)  # consent_publish not given: false
    complaint_services.complaint_dispatch(complaint=complaint, actor=org.alice, unit=org.unit_a)
    complaint_services.complaint_sign(complaint=complaint, actor=org.bob)
    complaint_services.complaint_reply(
        complaint=complaint, actor=org.bob, content="经查，涉事医生已被停职。"
    )
    for url in (f"{BASE}/requests/{sid(complaint)}.json", f"{BASE}/requests.json"):
        response = client.get(url)
        assert "经查，涉事医生已被停职。" not in response.content.decode()
    [data] = as_json(client.get(f"{BASE}/requests/{sid(complaint)}.json"))
    assert data["status_notes"] == "已答复"
    assert "经查" not in client.get(f"{BASE}/requests/{sid(complaint)}.xml").content.decode()


def test_service_request_ids_are_random_not_the_sequential_case_number(client, org, category, key):
    first = created(client, key, category, org)
    second = created(client, key, category, org)
    ids = [sid(first), sid(second)]
    assert all(len(i) == 12 and not i.startswith("TS") for i in ids)
    assert first.number not in ids and second.number not in ids
    # The sequential numbers are not ids: guessing the next one finds nothing.
    assert client.get(f"{BASE}/requests/{second.number}.json").status_code == 404
    assert as_json(client.get(f"{BASE}/requests.json", {"service_request_id": first.number})) == []
    # Lower case is the same id (people type them).
    assert client.get(f"{BASE}/requests/{ids[0].lower()}.json").status_code == 200


def test_an_integrators_intake_sends_the_named_complainant_an_sms_receipt(
    client, org, category, key
):
    from xiaoneng.core.models import Notification

    response = post(client, body(key[1], category, org))
    complaint = Complaint.objects.get()
    sms = Notification.objects.get(event="complaint.receipt")
    assert complaint.tracking_code in sms.body and sms.recipient is None
    # The integrator (maybe an app of the unit complained about) never gets the secrets.
    assert complaint.tracking_code not in response.content.decode()
    assert "rating_key" not in response.content.decode()
