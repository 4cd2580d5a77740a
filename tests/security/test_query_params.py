"""Query parameters (issue #21.8): every one is parsed by core.params; a bad value is a 400
problem+json in the API and is ignored (with a message or the filter form's error) on pages —
never a 500. Each case the outside probe reported is here, and the API's own 500s answer
problem+json."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from xiaoneng.core import params
from xiaoneng.core.api import views as core_api_views

pytestmark = pytest.mark.django_db

SUPERSCRIPT, HUGE = "²", "1" * 20


@pytest.fixture
def office(client, org):
    client.force_login(org.alice)
    return client


def _problem(response, status=400):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/problem+json")
    return response.json()


# --- the parsers -------------------------------------------------------------------------------
@pytest.mark.parametrize("raw", [SUPERSCRIPT, HUGE, "٣", "1e3", " ", "-", "0x10", "1.0"])
def test_an_id_is_ascii_digits_within_64_bits(raw):
    with pytest.raises(params.ParamError):
        params.to_id(raw)


def test_ids_and_numbers_that_fit_are_read():
    assert params.to_id("42") == 42 and params.to_id(str(params.MAX_ID)) == params.MAX_ID
    assert params.to_int("-3") == -3


@pytest.mark.parametrize(
    "raw",
    [
        "2026-01-01T00:00:00+99:00",
        "9999-12-31T23:59:59-14:00",
        "0001-01-01T00:00:00+14:00",
        "99999-01-01",
        "2026-13-01",
        SUPERSCRIPT,
    ],
)
def test_instants_out_of_range_or_with_impossible_offsets_are_refused(raw):
    with pytest.raises(params.ParamError):
        params.to_instant(raw)


def test_an_instant_whose_plus_became_a_space_is_read_as_meant():
    assert params.to_instant("2026-03-01T08:00:00 08:00").utcoffset().total_seconds() == 8 * 3600
    assert params.to_instant_or_date("2026-03-01") == date(2026, 3, 1)


def test_reversing_a_sort_flips_each_field_once():
    columns = {"type": ("type", "-received_at"), "window": ("-is_window", "path")}
    assert params.sort_order("-type", columns) == ("type", True, ["-type", "received_at"])
    assert params.sort_order("-window", columns) == ("window", True, ["is_window", "-path"])
    assert params.sort_order("--type", columns) == ("", False, None)
    assert params.sort_order("nope", columns) == ("", False, None)


# --- sort links -----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["complaints:queue", "complaints:mine", "complaints:unit"])
def test_every_complaint_list_sorts_descending_by_type(office, name):
    response = office.get(reverse(name), {"sort": "-type"})
    assert response.status_code == 200
    assert any(h["key"] == "type" and h["desc"] for h in response.context["headers"])


@pytest.mark.parametrize("key", ["-window", "-kind", "-level", "window"])
def test_the_unit_list_sorts_by_every_column_both_ways(office, key):
    assert office.get(reverse("org:units"), {"sort": key}).status_code == 200


# --- ids: superscript digits and 20-digit numbers ---------------------------------------------
@pytest.mark.parametrize("value", [SUPERSCRIPT, HUGE])
def test_public_pages_ignore_a_bad_unit_and_say_so(client, org, value):
    response = client.get(reverse("rectification_public:progress"), {"unit": value})
    assert response.status_code == 200
    assert any("unit" in str(m) for m in response.context["messages"])


@pytest.mark.parametrize("value", [SUPERSCRIPT, HUGE])
def test_the_public_department_api_refuses_a_bad_unit(api, org, value):
    body = _problem(api.get(reverse("public-departments"), {"unit": value}))
    assert "unit" in body["errors"]


@pytest.mark.parametrize("value", [SUPERSCRIPT, HUGE])
@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("org:people", "unit"),
        ("org:departments", "unit"),
        ("org:units", "under"),
        ("complaints:queue", "unit"),
        ("complaints:departments", "unit"),
        ("rectification:ledger", "issue"),
        ("rectification:ledger", "campaign"),
        ("rectification:ledger", "unit"),
    ],
)
def test_staff_pages_ignore_a_bad_id(office, url, name, value):
    assert office.get(reverse(url), {name: value}).status_code == 200


@pytest.mark.parametrize("value", [SUPERSCRIPT, HUGE])
@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("api-issues", "unit"),
        ("api-issues", "campaign"),
        ("api-rectification-items", "issue"),
        ("api-rectification-items", "campaign"),
        ("api-campaign-submission-list", "campaign"),
        ("api-complaints", "unit"),
    ],
)
def test_staff_api_refuses_a_bad_id_with_a_problem(api_as, org, url, name, value):
    body = _problem(api_as(org.alice).get(reverse(url), {name: value}))
    assert name in body["errors"]


# --- dates ------------------------------------------------------------------------------------------
BAD_INSTANTS = [
    "2026-01-01T00:00:00+99:00",
    "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00:00+14:00",
]


@pytest.mark.parametrize("value", BAD_INSTANTS)
@pytest.mark.parametrize("name", ["start_date", "end_date"])
def test_open311_refuses_dates_out_of_range(client, org, name, value):
    response = client.get("/open311/v2/requests.json", {name: value})
    assert response.status_code == 400
    assert name in response.json()[0]["description"]


@pytest.mark.parametrize("value", BAD_INSTANTS)
def test_the_complaint_api_refuses_instants_out_of_range(api_as, org, value):
    body = _problem(api_as(org.alice).get(reverse("api-complaints"), {"received_after": value}))
    assert "received_after" in body["errors"]


@pytest.mark.parametrize("value", BAD_INSTANTS)
def test_the_complaint_queue_ignores_instants_out_of_range(office, value):
    response = office.get(reverse("complaints:queue"), {"received_after": value})
    assert response.status_code == 200
    assert "received_after" in response.context["filters"].errors


def test_the_ledger_refuses_a_deadline_out_of_range(api_as, office, org):
    body = _problem(
        api_as(org.alice).get(reverse("api-rectification-items"), {"deadline_after": "9999-12-31"})
    )
    assert "deadline_after" in body["errors"]
    assert (
        office.get(reverse("rectification:ledger"), {"deadline_before": "0001-01-01"}).status_code
        == 200
    )


# --- unexpected errors in the API ---------------------------------------------------------------
def test_an_unexpected_api_error_answers_problem_json(org, monkeypatch):
    def boom(self, request, *args, **kwargs):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(core_api_views.MeView, "get", boom)
    client = Client(raise_request_exception=False)
    client.force_login(org.alice)
    body = _problem(client.get(reverse("api-me")), status=500)
    assert body["status"] == 500 and "unexpected" not in str(body)
