"""The evaluation API: the public survey endpoint (409 on a spent link, no identity, 429), the
staff endpoints with their scopes (unit B gets 404 on unit A's round, ballots and files)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.test import override_settings

from xiaoneng.core.clock import frozen_now
from xiaoneng.evaluations.models import Response
from xiaoneng.evaluations.services import rounds as round_services

from .conftest import DURING, GROUPS, answers, at, batch

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


def test_public_get_shows_the_questions_and_post_answers_once(org, survey, api):
    link = batch(org, survey, org.unit_a, 1).tokens.get()
    url = f"/api/v1/public/surveys/{link.token}"
    with frozen_now(DURING):
        got = api.get(url)
        assert got.status_code == 200 and got.json()["can_answer"] is True
        assert got.json()["questions"][0]["kind"] == "satisfaction"
        first = api.post(url, {"answers": answers(survey)}, format="json")
        second = api.post(url, {"answers": answers(survey)}, format="json")
    assert first.status_code == 201
    assert second.status_code == 409 and second["Content-Type"].startswith(PROBLEM)
    assert re.search("already been used|已使用", second.json()["detail"])
    assert Response.objects.count() == 1


def test_public_unknown_token_is_404_and_closed_survey_is_409(org, survey, api):
    assert api.get("/api/v1/public/surveys/nope").status_code == 404
    link = batch(org, survey, org.unit_a, 1).tokens.get()
    with frozen_now(at(2026, 12, 1, 9)):
        refused = api.post(
            f"/api/v1/public/surveys/{link.token}", {"answers": answers(survey)}, format="json"
        )
        shown = api.get(f"/api/v1/public/surveys/{link.token}").json()
    assert refused.status_code == 409 and re.search("closed on|截止", refused.json()["detail"])
    assert shown["can_answer"] is False and re.search("closed on|截止", shown["message"])


@override_settings(XIAONENG_RATELIMITS={"public_survey": "3/m"})
def test_the_open_link_is_rate_limited(org, survey, api):
    link = batch(org, survey, org.unit_a, 1, channel="open").tokens.get()
    url = f"/api/v1/public/surveys/{link.token}"
    with frozen_now(DURING):
        codes = [
            api.post(url, {"answers": answers(survey)}, format="json").status_code for _ in range(4)
        ]
        last = api.post(url, {"answers": answers(survey)}, format="json")
    assert codes == [201, 201, 201, 429]
    assert last.status_code == 429 and int(last["Retry-After"]) > 0


def test_survey_create_tokens_and_results_through_the_api(org, api_as):
    office = api_as(org.alice)
    made = office.post(
        "/api/v1/surveys",
        {
            "title": "门诊满意度", "units": [org.unit_a.pk], "opens_at": "2026-11-01T08:00:00+08:00",
            "closes_at": "2026-11-30T18:00:00+08:00",
            "questions": [{"kind": "single", "text": "导诊", "options": ["好", "一般"]}],
        },
        format="json",
    )  # fmt: skip
    assert made.status_code == 201, made.json()
    pk = made.json()["id"]
    assert [q["kind"] for q in made.json()["questions"]] == ["satisfaction", "single"]
    assert office.post(f"/api/v1/surveys/{pk}/open").status_code == 200
    tokens = office.post(
        f"/api/v1/surveys/{pk}/tokens", {"unit": org.unit_a.pk, "size": 3}, format="json"
    )
    assert tokens.status_code == 201 and len(tokens.json()["tokens"]) == 3
    assert "/public/evaluation/s/" in tokens.json()["tokens"][0]["url"]
    results = office.get(f"/api/v1/surveys/{pk}/results?by=unit")
    assert results.status_code == 200 and results.json()["rows"][0]["issued"] == 3
    assert office.get(f"/api/v1/surveys/{pk}/results?by=year").status_code == 400
    assert api_as(org.carol).get(f"/api/v1/surveys/{pk}").status_code == 404
    assert api_as(org.bob).post(f"/api/v1/surveys/{pk}/close").status_code == 403


def unit_a_round(org):
    made = round_services.round_create(
        actor=org.alice, title="甲院评议", series="甲", subject_kind="unit", period_label="2026",
        starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 3, 31), groups=GROUPS,
        units=[org.unit_a],
    )  # fmt: skip
    round_services.round_open(actor=org.alice, round=made)
    return made


def test_unit_b_cannot_read_unit_a_round_or_ballots(org, api_as):
    made = unit_a_round(org)
    link = round_services.tokens_create(
        actor=org.alice, round=made, group=made.groups.first(), count=1
    )[0]
    subject = made.subjects.get()
    office = api_as(org.alice)
    sent = office.post(
        f"/api/v1/evaluation-rounds/{made.pk}/ballots",
        {"token": link.token, "marks": {str(subject.pk): "satisfied"}},
        format="json",
    )
    assert sent.status_code == 201
    again = office.post(
        f"/api/v1/evaluation-rounds/{made.pk}/ballots",
        {"token": link.token, "marks": {str(subject.pk): "satisfied"}},
        format="json",
    )
    assert again.status_code == 409
    for path in ("", "/ballots", "/results", "/consequences"):
        denied = api_as(org.carol).get(f"/api/v1/evaluation-rounds/{made.pk}{path}")
        assert denied.status_code == 404 and denied["Content-Type"].startswith(PROBLEM), path
        assert api_as(org.bob).get(f"/api/v1/evaluation-rounds/{made.pk}{path}").status_code == 200
    ballots = api_as(org.bob).get(f"/api/v1/evaluation-rounds/{made.pk}/ballots").json()
    assert ballots["count"] == 1 and ballots["results"][0]["marks"][0]["rating"] == "satisfied"
    assert api_as(org.carol).get("/api/v1/evaluation-rounds").json()["count"] == 0


def test_close_and_confirm_through_the_api(org, api_as):
    made = unit_a_round(org)
    office = api_as(org.alice)
    link = round_services.tokens_create(
        actor=org.alice, round=made, group=made.groups.first(), count=1
    )[0]
    round_services.ballot_submit(token=link.token, marks={made.subjects.get().pk: "unsatisfied"})
    closed = office.post(f"/api/v1/evaluation-rounds/{made.pk}/close")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    results = office.get(f"/api/v1/evaluation-rounds/{made.pk}/results").json()
    assert results[0]["grade"] == "poor" and results[0]["rank"] == 1
    proposals = office.get(f"/api/v1/evaluation-rounds/{made.pk}/consequences").json()
    assert [c["measure"] for c in proposals] == ["reminder_letter"]
    decision = {"consequence": proposals[0]["id"], "decision": "confirm"}
    assert (
        api_as(org.bob)
        .post(f"/api/v1/evaluation-rounds/{made.pk}/consequences", decision, format="json")
        .status_code
        == 403
    )
    done = office.post(f"/api/v1/evaluation-rounds/{made.pk}/consequences", decision, format="json")
    assert done.status_code == 200 and done.json()["status"] == "confirmed"
    again = office.post(
        f"/api/v1/evaluation-rounds/{made.pk}/consequences", decision, format="json"
    )
    assert again.status_code == 409


def test_ethics_files_api_scopes_and_grades(org, api_as):
    bob = api_as(org.bob)
    with frozen_now(at(2026, 12, 1, 9)):
        made = bob.post(
            "/api/v1/ethics-files", {"person": org.dave.person.pk, "year": 2026}, format="json"
        )
    assert made.status_code == 201, made.json()
    pk = made.json()["id"]
    assert api_as(org.carol).get(f"/api/v1/ethics-files/{pk}").status_code == 404
    assert (
        api_as(org.carol)
        .post(f"/api/v1/ethics-files/{pk}/grade", {"grade": "good"}, format="json")
        .status_code
        == 404
    )
    ev = api_as(org.dave).post(
        f"/api/v1/ethics-files/{pk}/evaluate",
        {"stage": "self", "text": "自评", "score": "98"},
        format="json",
    )
    assert ev.status_code == 200 and ev.json()["self_score"] == "98.00"
    graded = bob.post(
        f"/api/v1/ethics-files/{pk}/grade",
        {"grade": "excellent", "vetoes": ["kickback"], "veto_note": "收受回扣"},
        format="json",
    )
    assert graded.status_code == 200 and graded.json()["grade"] == "poor"
    assert (
        bob.post(f"/api/v1/ethics-files/{pk}/grade", {"grade": "good"}, format="json").status_code
        == 409
    )


def test_a_survey_posted_twice_with_one_idempotency_key_is_one_survey(org, api_as):
    from xiaoneng.evaluations.models import Survey

    office = api_as(org.alice)
    body = {
        "title": "住院满意度", "units": [org.unit_a.pk], "opens_at": "2026-11-01T08:00:00+08:00",
        "closes_at": "2026-11-30T18:00:00+08:00",
        "questions": [{"kind": "single", "text": "伙食", "options": ["好", "一般"]}],
    }  # fmt: skip
    first = office.post("/api/v1/surveys", body, format="json", HTTP_IDEMPOTENCY_KEY="s-1")
    again = office.post("/api/v1/surveys", body, format="json", HTTP_IDEMPOTENCY_KEY="s-1")
    assert first.status_code == 201, first.json()
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert Survey.objects.filter(title="住院满意度").count() == 1
    other = office.post(
        "/api/v1/surveys", {**body, "title": "门诊"}, format="json", HTTP_IDEMPOTENCY_KEY="s-1"
    )
    assert other.status_code == 409
    assert other["Content-Type"].startswith("application/problem+json")
    assert not Survey.objects.filter(title="门诊").exists()
