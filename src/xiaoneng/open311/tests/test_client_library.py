"""An existing Open311 client library, unmodified, against a live server.

`georeport` (PyPI, the maintained Python GeoReport v2 wrapper) reads services, service
definitions and requests in JSON and XML (it parses XML with xmltodict). It does not create
requests, so the POST is sent the way a hotline's system sends it: a form-encoded body.
"""

from __future__ import annotations

import georeport
import pytest
import requests

from xiaoneng.complaints.models import Complaint

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_georeport_client_reads_what_a_post_created(live_server, org, category, key):
    root = f"{live_server.url}/open311/v2"
    response = requests.post(
        f"{root}/requests.json",
        data={
            "api_key": key[1],
            "service_code": category.code,
            "attribute[unit]": org.unit_b.code,
            "attribute[type]": "report",
            "description": "夜间急诊无人值守",
            "phone": "13900001234",
        },
        timeout=30,
    )
    assert response.status_code == 200, response.text
    number = response.json()[0]["service_request_id"]
    complaint = Complaint.objects.get(open311_request__public_id=number)
    assert complaint.type == "report" and complaint.subject_unit == org.unit_b

    for fmt in ("json", "xml"):
        client = georeport.GeoReport(root, jurisdiction="wjw.example.gov.cn", output_format=fmt)
        services = client.get_service_list()
        services = services if isinstance(services, list) else [services]
        assert category.code in {s["service_code"] for s in services}

        definition = client.get_service_definition(category.code)
        assert definition["service_code"] == category.code

        listed = client.get_service_requests(service_request_id=number)
        listed = listed if isinstance(listed, list) else [listed]  # xmltodict: one → a dict
        assert [r["service_request_id"] for r in listed] == [number]

        one = client.get_service_request(number)
        assert one["service_request_id"] == number
        assert one["status"] == "open"
        assert one["expected_datetime"] == _local(complaint.resolve_by)
        assert one["expected_datetime"].endswith("+08:00")

        open_ones = client.get_service_requests(status="open", service_code=category.code)
        open_ones = open_ones if isinstance(open_ones, list) else [open_ones]
        assert number in {r["service_request_id"] for r in open_ones}


def _local(value) -> str:
    from django.utils import timezone

    return timezone.localtime(value).isoformat(timespec="seconds")
