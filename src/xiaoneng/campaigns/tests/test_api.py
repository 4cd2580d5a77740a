"""Campaign API: create from a template or from scratch, phases, submissions with their actions,
targets and measurements; permission matrix (units see their own, the office all, out of scope
404)."""

from __future__ import annotations

import datetime as dt

import pytest

from xiaoneng.campaigns.models import Campaign, Submission
from xiaoneng.core import clock

from .conftest import at

pytestmark = pytest.mark.django_db
BASE = "/api/v1/"


def _sub(campaign, unit, name="实施方案"):
    return Submission.objects.get(requirement__campaign=campaign, unit=unit, requirement__name=name)


def test_templates_are_listed_for_signed_in_users(api, api_as, org):
    assert api.get(f"{BASE}campaign-templates").status_code in (401, 403)
    codes = [t["code"] for t in api_as(org.bob).get(f"{BASE}campaign-templates").json()["results"]]
    # the five of the campaigns app and 创先争优 (seed 004) from the party app
    assert "zuofeng-zhengdun" in codes and "chuangxian-zhengyou" in codes and len(codes) == 6


def test_the_office_creates_from_a_template_and_units_cannot(api_as, org, zuofeng):
    body = {"template": zuofeng.pk, "year": 2026, "doc_number": "卫发〔2026〕12号"}
    assert api_as(org.bob).post(f"{BASE}campaigns", body, format="json").status_code == 403
    response = api_as(org.alice).post(f"{BASE}campaigns", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["starts_on"], data["ends_on"], data["status"]) == (
        "2026-12-20",
        "2027-05-31",
        "draft",
    )
    assert data["doc_number"] == "卫发〔2026〕12号"
    phases = api_as(org.alice).get(f"{BASE}campaigns/{data['id']}/phases").json()
    assert [p["starts_on"] for p in phases] == [
        "2026-12-20",
        "2027-01-01",
        "2027-03-01",
        "2027-05-01",
    ]
    missing = api_as(org.alice).post(f"{BASE}campaigns", {"template": zuofeng.pk}, format="json")
    assert missing.status_code == 400 and "year" in missing.json()["errors"]


def test_a_campaign_from_scratch(api_as, org):
    body = {
        "name": "专项整治",
        "starts_on": "2026-03-01",
        "ends_on": "2026-06-30",
        "units": [org.unit_a.pk],
    }
    response = api_as(org.alice).post(f"{BASE}campaigns", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["units"] == [org.unit_a.pk]
    bad = api_as(org.alice).post(f"{BASE}campaigns", {"name": "x"}, format="json")
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"starts_on", "ends_on"}


def test_a_campaign_name_of_full_length_still_names_its_leading_group(api_as, org):
    """schemathesis: a 200-character name made the group's name (name + 领导小组) overflow → 500."""
    body = {"name": "专" * 200, "starts_on": "2026-03-01", "ends_on": "2026-06-30"}
    response = api_as(org.alice).post(f"{BASE}campaigns", body, format="json")
    assert response.status_code == 201, response.content
    group = Campaign.objects.get(pk=response.json()["id"]).groups.get(unit=None)
    assert group.name == "专" * 196 + "领导小组"


def test_units_see_started_campaigns_they_are_in(api_as, org, zuofeng, campaign):
    other = (
        api_as(org.alice)
        .post(
            f"{BASE}campaigns",
            {
                "name": "乙院专项",
                "starts_on": "2026-03-01",
                "ends_on": "2026-06-30",
                "units": [org.unit_b.pk],
            },
            format="json",
        )
        .json()
    )
    api_as(org.alice).post(f"{BASE}campaigns/{other['id']}/start")
    ids = lambda user: {c["id"] for c in api_as(user).get(f"{BASE}campaigns").json()["results"]}  # noqa: E731
    assert ids(org.alice) == {campaign.pk, other["id"]}
    assert ids(org.bob) == {campaign.pk}
    assert ids(org.carol) == {campaign.pk, other["id"]}
    assert ids(org.nobody) == set()
    assert api_as(org.bob).get(f"{BASE}campaigns/{other['id']}").status_code == 404
    assert api_as(org.bob).get(f"{BASE}campaigns/{other['id']}/phases").status_code == 404


def test_submissions_permission_matrix(api, api_as, org, campaign):
    sub_a, sub_b = _sub(campaign, org.unit_a), _sub(campaign, org.unit_b)
    assert api.get(f"{BASE}submissions").status_code in (401, 403)
    counts = {
        u.username: api_as(u).get(f"{BASE}submissions?campaign={campaign.pk}").json()["count"]
        for u in (org.alice, org.bob, org.carol, org.nobody, org.dave)
    }
    # 4 deliverables × 3 units; bob sees unit A and its branch, carol unit B
    assert counts == {"alice": 12, "bob": 8, "carol": 4, "nobody": 0, "dave": 0}
    assert api_as(org.carol).get(f"{BASE}submissions/{sub_a.pk}").status_code == 404
    assert (
        api_as(org.carol)
        .post(f"{BASE}submissions/{sub_a.pk}/submit", {"text": "x"}, format="json")
        .status_code
        == 404
    )
    # the office sees it but does not submit for the unit
    assert (
        api_as(org.alice)
        .post(f"{BASE}submissions/{sub_b.pk}/submit", {"text": "x"}, format="json")
        .status_code
        == 403
    )


def test_submit_accept_return_over_the_api(api_as, org, campaign):
    sub = _sub(campaign, org.unit_a)
    with clock.frozen_now(at(dt.date(2027, 1, 1))):
        listed = api_as(org.bob).get(f"{BASE}submissions?overdue=true").json()
        assert sub.pk in [s["id"] for s in listed["results"]]
        response = api_as(org.bob).post(
            f"{BASE}submissions/{sub.pk}/submit", {"text": "实施方案全文"}, format="json"
        )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "late"
    returned = api_as(org.alice).post(
        f"{BASE}submissions/{sub.pk}/return", {"reason": "请补充附件"}, format="json"
    )
    assert returned.json()["status"] == "returned"
    assert returned.json()["return_reason"] == "请补充附件"
    assert api_as(org.bob).post(f"{BASE}submissions/{sub.pk}/accept").status_code == 403
    again = api_as(org.alice).post(f"{BASE}submissions/{sub.pk}/accept")
    assert again.status_code == 409
    assert again["Content-Type"].startswith("application/problem+json")


def test_requirements_create_submissions_and_units_see_their_own(api_as, org, campaign):
    body = {
        "campaign": campaign.pk,
        "name": "简报",
        "due_on": "2027-01-08",
        "recurrence": "weekly",
        "repeat_until": "2027-01-29",
        "units": [org.unit_b.pk],
    }
    own = {**body, "units": [org.unit_a.pk]}
    assert api_as(org.bob).post(f"{BASE}requirements", own, format="json").status_code == 403
    # another unit's id reads as "does not exist" to a unit
    assert api_as(org.bob).post(f"{BASE}requirements", body, format="json").status_code == 400
    response = api_as(org.alice).post(f"{BASE}requirements", body, format="json")
    assert response.status_code == 201, response.json()
    assert Submission.objects.filter(requirement_id=response.json()["id"]).count() == 4
    names = lambda u: [r["name"] for r in api_as(u).get(f"{BASE}requirements").json()["results"]]  # noqa: E731
    assert "简报" in names(org.carol) and "简报" not in names(org.bob)


def test_targets_and_measurements(api_as, org, campaign):
    body = {
        "campaign": campaign.pk,
        "number": "1",
        "content": "居民满意率",
        "standard": "≥95%",
        "methods": ["survey"],
        "responsible_unit": org.unit_a.pk,
    }
    target = api_as(org.alice).post(f"{BASE}targets", body, format="json")
    assert target.status_code == 201, target.json()
    assert (target.json()["comparator"], target.json()["measure_unit"]) == ("ge", "%")
    tid = target.json()["id"]
    m = {"target": tid, "period": "2027-03", "value": "93.2"}
    assert api_as(org.carol).post(f"{BASE}target-measurements", m, format="json").status_code == 403
    made = api_as(org.bob).post(f"{BASE}target-measurements", m, format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["met"] is False
    assert api_as(org.alice).get(f"{BASE}targets/{tid}").json()["met"] is False


def test_key_task_progress_over_the_api(api_as, org, campaign):
    task = campaign.key_tasks.get(number=2)
    url = f"{BASE}key-tasks/{task.pk}/progress"
    body = {"unit": org.unit_b.pk, "status": "in_progress", "note": "已开展医患沟通培训"}
    assert api_as(org.bob).post(url, body, format="json").status_code == 400  # B not in scope
    response = api_as(org.carol).post(url, body, format="json")
    assert response.status_code == 200, response.json()
    assert [p["unit"] for p in response.json()["progress"]] == [org.unit_b.pk]


def test_urge_over_the_api(api_as, org, campaign):
    with clock.frozen_now(at(dt.date(2027, 1, 4))):
        assert api_as(org.bob).post(f"{BASE}campaigns/{campaign.pk}/urge").status_code == 403
        response = api_as(org.alice).post(f"{BASE}campaigns/{campaign.pk}/urge")
    assert response.json() == {"late": 3}


def test_the_campaign_schema_is_warning_free(db):
    from django.urls import include, path
    from drf_spectacular.drainage import GENERATOR_STATS, reset_generator_stats
    from drf_spectacular.generators import SchemaGenerator

    reset_generator_stats()
    patterns = [path("api/v1/", include("xiaoneng.campaigns.api_urls"))]
    schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)
    assert dict(GENERATOR_STATS._warn_cache) == {}
    assert dict(GENERATOR_STATS._error_cache) == {}
    names = set(schema["components"]["schemas"])
    assert {"Campaign", "CampaignSubmission", "CampaignTarget", "CampaignKindEnum"} <= names
    assert "/api/v1/submissions/{id}/return" in schema["paths"]
