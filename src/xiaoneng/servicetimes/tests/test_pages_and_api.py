"""The pages and the API: upload → map columns → job; compliance with a chart and drill-down;
a unit admin sees only its units; the API upload answers 202 and replays an Idempotency-Key."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xiaoneng.core.workhome import collect
from xiaoneng.servicetimes.models import ComplianceResult, LogImport, LogSource

from .conftest import csv_bytes
from .test_engine import MARCH

OWN_HEADER = "visit,what,when,hospital,dept,staff"


@pytest.fixture
def march(org, his, run_import):
    return run_import(org.alice, his, csv_bytes(MARCH))


def test_upload_maps_the_columns_then_runs_the_job(org, client, django_capture_on_commit_callbacks):
    client.force_login(org.alice)
    his = LogSource.objects.get(code="his")
    upload = SimpleUploadedFile("own.csv", csv_bytes(MARCH, header=OWN_HEADER))
    response = client.post(reverse("servicetimes:imports"), {"source": his.pk, "file": upload})
    assert response.status_code == 302 and response["Location"] == reverse("servicetimes:map")
    page = client.get(reverse("servicetimes:map"))
    assert "hospital" in page.content.decode()
    mapping = {"encounter": "visit", "event": "what", "timestamp": "when", "unit": "hospital",
               "department": "dept", "staff": ""}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("servicetimes:map"), mapping)
    record = LogImport.objects.get()
    assert response["Location"] == reverse("servicetimes:import", args=[record.pk])
    his.refresh_from_db()
    assert his.mapping["unit"] == "hospital" and "staff" not in his.mapping
    job = client.get(response["Location"]).content.decode()
    assert 'data-status="done"' in job
    result = ComplianceResult.objects.get(
        standard__code="er-treatment", unit=org.unit_a, department__isnull=True
    )
    home = client.get(reverse("servicetimes:home")).content.decode()
    assert 'data-chart="bar"' in home and "50.00%" in home
    detail = client.get(reverse("servicetimes:result", args=[result.pk])).content.decode()
    assert "E2" in detail and "6.5" in detail and "table-danger" in detail


def test_a_bad_file_shows_the_rows_on_the_job_page(org, client, his, run_import):
    record = run_import(org.alice, his, csv_bytes([("E1", "er_arrival", "soon", "UA", "", "")]))
    client.force_login(org.alice)
    page = client.get(reverse("servicetimes:import", args=[record.pk])).content.decode()
    assert 'data-status="failed"' in page and "<td>2</td><td>时间</td>" in page


def test_a_unit_admin_sees_only_its_units(org, march, api_as):
    rows = api_as(org.carol).get(reverse("api-service-compliance")).json()["results"]
    assert rows and {r["unit"] for r in rows} == {org.unit_b.pk}
    rows = api_as(org.bob).get(reverse("api-service-compliance"), {"month": "2026-03"}).json()
    assert {r["unit"] for r in rows["results"]} == {org.unit_a.pk}
    office = api_as(org.alice).get(reverse("api-service-compliance"), {"whole": "true"}).json()
    assert {r["unit"] for r in office["results"]} == {org.unit_a.pk, org.unit_b.pk}
    a_result = ComplianceResult.objects.filter(unit=org.unit_a).first()
    from django.test import Client

    c = Client()
    c.force_login(org.carol)
    assert c.get(reverse("servicetimes:result", args=[a_result.pk])).status_code == 404


def test_a_bad_month_is_a_400(org, api_as):
    response = api_as(org.alice).get(reverse("api-service-compliance"), {"month": "2026-3x"})
    assert response.status_code == 400


def test_the_api_upload_is_a_job_and_replays_its_key(
    org, api_as, django_capture_on_commit_callbacks
):
    client = api_as(org.alice)
    body = {"source": "his", "file": SimpleUploadedFile("m.csv", csv_bytes(MARCH))}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("api-service-logs"), body, format="multipart",
                            HTTP_IDEMPOTENCY_KEY="k1")  # fmt: skip
    assert first.status_code == 202
    again = client.post(reverse("api-service-logs"),
                        {"source": "his", "file": SimpleUploadedFile("m.csv", csv_bytes(MARCH))},
                        format="multipart", HTTP_IDEMPOTENCY_KEY="k1")  # fmt: skip
    assert again.status_code == 202 and again.json()["id"] == first.json()["id"]
    other = client.post(reverse("api-service-logs"),
                        {"source": "his", "file": SimpleUploadedFile("m.csv", csv_bytes(MARCH[:2]))},
                        format="multipart", HTTP_IDEMPOTENCY_KEY="k1")  # fmt: skip
    assert other.status_code == 409
    done = client.get(reverse("api-service-log", args=[first.json()["id"]])).json()
    assert done["status"] == "done" and done["added"] == len(MARCH)


def test_a_file_that_is_not_a_log_is_refused(org, api_as):
    body = {"source": "his", "file": SimpleUploadedFile("x.csv", b"\x89PNG\r\n\x1a\n\x00\x00")}
    response = api_as(org.alice).post(reverse("api-service-logs"), body, format="multipart")
    assert response.status_code == 400 and not LogImport.objects.exists()


def test_the_office_is_told_of_proposals(org, march):
    keys = {w.key: w.count for w in collect(org.alice)}
    assert keys["servicetimes.proposals"] == 1
    assert "servicetimes.proposals" not in {w.key for w in collect(org.bob)}


def test_the_chart_data_is_valid_json(org, march, client):
    client.force_login(org.bob)
    html = client.get(reverse("servicetimes:home")).content.decode()
    import html as h
    import re

    raw = re.search(r'data-series="([^"]*)"', html).group(1)
    data = json.loads(h.unescape(raw))
    assert data["series"][0]["data"]  # unit A's rates only
    assert "乙医院" not in html
