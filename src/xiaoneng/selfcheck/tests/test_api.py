"""Self-inspection REST API: permission matrix (anonymous, no role, own unit, other unit, office;
out of scope = 404), the answer action, problem+json validation, group sessions, compliance,
missing occurrences and the register."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from xiaoneng.core import clock
from xiaoneng.selfcheck import services
from xiaoneng.selfcheck.models import (
    ActivityRecord,
    ChecklistTemplate,
    Commitment,
    InstitutionRule,
    LearningRecord,
    RecurringActivity,
    RuleType,
)

pytestmark = pytest.mark.django_db

BASE = "/api/v1/"
LISTS = [
    "checklist-templates",
    "checklist-assignments",
    "commitments",
    "learning-requirements",
    "learning-records",
    "recurring-activities",
    "activity-records",
    "institution-rules",
]


@pytest.fixture
def world(org, wucha, due):
    """One object of each unit-scoped resource in unit A and in unit B."""
    objs = {}
    for unit, admin in ((org.unit_a, org.bob), (org.unit_b, org.carol)):
        key = "a" if unit == org.unit_a else "b"
        objs[f"checklist-assignments:{key}"] = services.assignment_create(
            actor=org.alice, template=wucha, unit=unit, due_on=due
        )
        objs[f"commitments:{key}"] = services.commitment_create(
            actor=admin,
            unit=unit,
            content="承诺",
            committed_on=dt.date(2026, 5, 1),
            audience="website",
        )
        objs[f"learning-records:{key}"] = services.learning_record_create(
            actor=admin,
            person=admin.person,
            date=dt.date(2026, 3, 1),
            hours=Decimal(2),
            kind="self_study",
            topic="自学",
        )
        objs[f"activity-records:{key}"] = services.activity_record_create(
            actor=admin,
            activity=RecurringActivity.objects.get(code="warning-education-film"),
            unit=unit,
            held_on=dt.date(2026, 3, 1),
        )
        objs[f"institution-rules:{key}"] = services.rule_create(
            actor=admin, unit=unit, rule_type=RuleType.TIME_LIMIT, adopted_on=dt.date(2026, 3, 1)
        )
    return objs


SCOPED = [
    "checklist-assignments",
    "commitments",
    "learning-records",
    "activity-records",
    "institution-rules",
]


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def test_anonymous_callers_get_401_problem_json(api, org):
    for name in LISTS:
        response = api.get(f"{BASE}{name}")
        assert response.status_code == 401, name
        assert response["Content-Type"].startswith("application/problem+json")


def test_lists_and_details_follow_the_data_scope(api_as, org, world):
    expected = {
        "nobody": set(),
        "bob": {"a"},
        "carol": {"b"},
        "alice": {"a", "b"},
    }
    for username, keys in expected.items():
        client = api_as(getattr(org, username))
        for name in SCOPED:
            response = client.get(f"{BASE}{name}")
            assert response.status_code == 200, (username, name)
            assert ids(response) == {world[f"{name}:{k}"].pk for k in keys}, (username, name)
            for key in ("a", "b"):
                detail = client.get(f"{BASE}{name}/{world[f'{name}:{key}'].pk}")
                assert detail.status_code == (200 if key in keys else 404), (username, name, key)
                if key not in keys:
                    assert detail["Content-Type"].startswith("application/problem+json")


def test_reference_data_is_readable_by_every_signed_in_user(api_as, org):
    for name in ("checklist-templates", "learning-requirements", "recurring-activities"):
        response = api_as(org.nobody).get(f"{BASE}{name}")
        assert response.status_code == 200
    templates = api_as(org.bob).get(f"{BASE}checklist-templates?code=wucha-wukan").json()
    assert templates["results"][0]["items"][0]["title"] == "查中心意识"


def test_only_the_office_configures(api_as, org):
    body = {"code": "test", "name": "测试清单", "items": [{"title": "一", "text": "查一查"}]}
    assert api_as(org.bob).post(f"{BASE}checklist-templates", body).status_code == 403
    response = api_as(org.alice).post(f"{BASE}checklist-templates", body)
    assert response.status_code == 201, response.json()
    assert response.json()["items"][0]["number"] == 1
    requirement = {
        "name": "个人自学",
        "measure": "self_study",
        "minimum": "40",
        "starts_on": "2026-02-15",
        "ends_on": "2026-06-30",
    }
    assert api_as(org.carol).post(f"{BASE}learning-requirements", requirement).status_code == 403
    assert api_as(org.alice).post(f"{BASE}learning-requirements", requirement).status_code == 201
    activity = {
        "code": "x",
        "name": "x",
        "frequency": "monthly",
        "active_from": "2026-01-01",
    }
    assert api_as(org.bob).post(f"{BASE}recurring-activities", activity).status_code == 403
    assert api_as(org.alice).post(f"{BASE}recurring-activities", activity).status_code == 201


def test_a_template_can_be_created_inactive(api_as, org):
    """schemathesis: the schema offers is_active on create, the service did not take it → 500."""
    body = {"code": "off", "name": "停用清单", "is_active": False, "items": [{"text": "查一查"}]}
    response = api_as(org.alice).post(f"{BASE}checklist-templates", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["is_active"] is False
    assert ChecklistTemplate.objects.get(code="off").is_active is False


def test_answering_two_problems_over_the_api_opens_two_linked_issues(
    api_as, org, wucha, due, fake_ledger
):
    client = api_as(org.alice)
    created = client.post(
        f"{BASE}checklist-assignments",
        {"template": wucha.pk, "unit": org.unit_a.pk, "due_on": due.isoformat()},
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    items = [i.pk for i in wucha.items.order_by("number")]
    body = {
        "answers": [
            {"item": items[0], "result": "problem", "description": "服务意识不强"},
            {"item": items[1], "result": "problem", "description": "存在推诿"},
            {"item": items[2], "result": "ok"},
        ]
    }
    assert (
        api_as(org.carol).post(f"{BASE}checklist-assignments/{pk}/answer", body).status_code == 404
    )
    assert (
        api_as(org.alice).post(f"{BASE}checklist-assignments/{pk}/answer", body).status_code == 403
    )
    response = api_as(org.bob).post(f"{BASE}checklist-assignments/{pk}/answer", body)
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["answered"] == 3 and data["item_count"] == 5
    assert sorted(a["issue_id"] for a in data["answers"] if a["result"] == "problem") == sorted(
        fake_ledger.ids
    )
    assert {c["unit"] for c in fake_ledger.calls} == {org.unit_a}


def test_bad_answers_are_400_with_every_field_listed(api_as, org, wucha, due):
    assignment = services.assignment_create(
        actor=org.alice, template=wucha, unit=org.unit_a, due_on=due
    )
    item = wucha.items.first().pk
    response = api_as(org.bob).post(
        f"{BASE}checklist-assignments/{assignment.pk}/answer",
        {"answers": [{"item": item, "result": "problem"}, {"item": 999999, "result": "ok"}]},
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert set(response.json()["errors"]) == {"answers.0.description", "answers.1.item"}
    response = api_as(org.bob).post(
        f"{BASE}checklist-assignments/{assignment.pk}/answer",
        {"answers": [{"item": item, "result": "maybe", "files": [123456]}]},
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"answers.0.result", "answers.0.files"}


def test_files_must_be_the_callers_own_uploads(api_as, org, wucha, due, upload):
    assignment = services.assignment_create(
        actor=org.alice, template=wucha, unit=org.unit_a, due_on=due
    )
    foreign = upload(org.carol)
    own = upload(org.bob)
    url = f"{BASE}checklist-assignments/{assignment.pk}/material"
    assert api_as(org.bob).post(url, {"files": [foreign.pk]}).status_code == 400
    response = api_as(org.bob).post(url, {"text": "自查材料", "files": [own.pk]})
    assert response.status_code == 200
    assert response.json()["material_files"] == [own.pk]


def test_a_unit_cannot_write_for_another_unit(api_as, org):
    body = {
        "unit": org.unit_b.pk,
        "rule_type": "time_limit",
        "adopted_on": "2026-03-01",
    }
    response = api_as(org.bob).post(f"{BASE}institution-rules", body)
    assert response.status_code == 400
    assert "unit" in response.json()["errors"]
    assert api_as(org.carol).post(f"{BASE}institution-rules", body).status_code == 201
    assert api_as(org.alice).post(f"{BASE}institution-rules", body).status_code == 403
    assert api_as(org.nobody).post(f"{BASE}institution-rules", body).status_code == 400
    assert InstitutionRule.objects.count() == 1


def test_a_group_session_over_the_api_records_each_attendee(api_as, org):
    people = [org.bob.person.pk, org.dave.person.pk, org.erin.person.pk]
    body = {
        "unit": org.unit_a.pk,
        "attendees": people,
        "date": "2026-03-10",
        "hours": "3",
        "topic": "集中学习",
    }
    assert api_as(org.carol).post(f"{BASE}learning-records/group-session", body).status_code == 400
    response = api_as(org.bob).post(f"{BASE}learning-records/group-session", body)
    assert response.status_code == 201, response.json()
    assert response.json()["records"] == 3
    assert LearningRecord.objects.filter(kind="group", hours=3).count() == 3
    mine = api_as(org.dave).get(f"{BASE}learning-records").json()
    assert mine["count"] == 1


def test_compliance_over_the_api(api_as, org):
    services.requirement_create(
        actor=org.alice,
        name="个人自学",
        measure="self_study",
        minimum=Decimal(40),
        starts_on=dt.date(2026, 2, 15),
        ends_on=dt.date(2026, 6, 30),
    )
    for day in (1, 2):
        services.learning_record_create(
            actor=org.dave,
            person=org.dave.person,
            date=dt.date(2026, 3, day),
            hours=Decimal(19),
            kind="self_study",
            topic="自学",
        )
    rows = api_as(org.bob).get(f"{BASE}learning-records/compliance?unit={org.unit_a.pk}").json()
    dave = next(r for r in rows if r["person"] == org.dave.person.pk)
    assert dave["compliant"] is False
    assert dave["results"][0]["actual"] == "38.0"
    assert (
        api_as(org.bob).get(f"{BASE}learning-records/compliance?unit={org.unit_b.pk}").status_code
        == 400
    )
    assert (
        api_as(org.dave).get(f"{BASE}learning-records/compliance").json()[0]["person"]
        == org.dave.person.pk
    )


def test_missing_occurrences_over_the_api(api_as, org):
    film = RecurringActivity.objects.get(code="warning-education-film")
    film.active_from = dt.date(2026, 1, 1)
    film.save()
    with clock.frozen_now(clock.parse_instant("2026-10-20T10:00")):
        services.activity_record_create(
            actor=org.carol, activity=film, unit=org.unit_b, held_on=dt.date(2026, 9, 5)
        )
    rows = api_as(org.alice).get(f"{BASE}recurring-activities/missing?period=2026-09").json()
    units = {r["unit"] for r in rows if r["activity"] == film.pk}
    assert org.unit_a.pk in units and org.unit_b.pk not in units
    rows = api_as(org.bob).get(f"{BASE}recurring-activities/missing?period=2026-09").json()
    assert {r["unit"] for r in rows} <= {org.unit_a.pk, org.unit_a_child.pk}
    bad = api_as(org.bob).get(f"{BASE}recurring-activities/missing?period=2026-13&as_of=x")
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"period", "as_of"}
    assert ActivityRecord.objects.get().period == "2026-09"


def test_the_register_over_the_api(api_as, org, world):
    rows = api_as(org.alice).get(f"{BASE}institution-rules/register").json()
    by_unit = {r["unit"]: r for r in rows}
    assert by_unit[org.unit_a.pk]["present"] == ["time_limit"]
    assert len(by_unit[org.unit_a.pk]["missing"]) == 9
    assert {
        r["unit"] for r in api_as(org.carol).get(f"{BASE}institution-rules/register").json()
    } == {org.unit_b.pk}
    rule = world["institution-rules:a"]
    url = f"{BASE}institution-rules/{rule.pk}"
    assert api_as(org.carol).patch(url, {"next_review_on": "2027-03-01"}).status_code == 404
    response = api_as(org.bob).patch(url, {"next_review_on": "2027-03-01"})
    assert response.status_code == 200
    assert response.json()["next_review_on"] == "2027-03-01"


def test_commitment_review_over_the_api(api_as, org, world):
    commitment = world["commitments:a"]
    url = f"{BASE}commitments/{commitment.pk}/review"
    assert api_as(org.carol).post(url, {"fulfilment": "fulfilled"}).status_code == 404
    assert api_as(org.bob).post(url, {"fulfilment": "fulfilled"}).status_code == 403
    bad = api_as(org.alice).post(url, {"fulfilment": "pending"})
    assert bad.status_code == 400
    response = api_as(org.alice).post(url, {"fulfilment": "unfulfilled", "note": "未按期兑现"})
    assert response.status_code == 200
    assert response.json()["fulfilment"] == "unfulfilled"
    commitment.refresh_from_db()
    assert commitment.fulfilment == Commitment.Fulfilment.UNFULFILLED


def test_a_person_records_their_own_learning_and_commitment(api_as, org):
    client = api_as(org.dave)
    record = client.post(
        f"{BASE}learning-records",
        {
            "person": org.dave.person.pk,
            "date": "2026-03-01",
            "hours": "2",
            "kind": "self_study",
            "topic": "自学",
        },
    )
    assert record.status_code == 201, record.json()
    assert record.json()["unit"] == org.unit_a.pk
    other = client.post(
        f"{BASE}learning-records",
        {
            "person": org.bob.person.pk,
            "date": "2026-03-01",
            "hours": "2",
            "kind": "self_study",
            "topic": "自学",
        },
    )
    assert other.status_code == 400  # bob is outside dave's scope
    commitment = client.post(
        f"{BASE}commitments",
        {
            "person": org.dave.person.pk,
            "content": "热情服务",
            "committed_on": "2026-05-01",
            "audience": "leader",
        },
    )
    assert commitment.status_code == 201, commitment.json()


def test_the_schema_documents_the_endpoints(api_as, org):
    response = api_as(org.alice).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    text = response.content.decode()
    for path in (
        "/api/v1/checklist-assignments/{id}/answer",
        "/api/v1/commitments/{id}/review",
        "/api/v1/learning-records/group-session",
        "/api/v1/recurring-activities/missing",
        "/api/v1/institution-rules/register",
    ):
        assert path in text


def test_the_report_lists_are_documented_as_plain_lists(api_as, org):
    """schemathesis: these actions answer a JSON array, but the schema said a page of results
    (count/next/previous) with the viewset's filter, ordering and page parameters."""
    schema = api_as(org.alice).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path in (
        "/api/v1/checklist-assignments/completion",
        "/api/v1/learning-records/compliance",
        "/api/v1/recurring-activities/missing",
        "/api/v1/institution-rules/register",
    ):
        get = schema["paths"][path]["get"]
        body = get["responses"]["200"]["content"]["application/json"]["schema"]
        assert body["type"] == "array", path
        params = {p["name"] for p in get.get("parameters", [])}
        assert not params & {"page", "page_size", "ordering"}, (path, params)
    compliance = schema["paths"]["/api/v1/learning-records/compliance"]["get"]
    rows = compliance["responses"]["200"]["content"]["application/json"]["schema"]["items"]
    assert rows == {"$ref": "#/components/schemas/Compliance"}
    refs = {
        ref["$ref"].rsplit("/", 1)[1]
        for ref in schema["components"]["schemas"]["Compliance"]["oneOf"]
    }
    assert refs == {"PersonCompliance", "UnitCompliance"}  # ?by=unit sums per unit


def test_seeded_templates_stay_listed_in_order(api_as, org):
    codes = [t["code"] for t in api_as(org.bob).get(f"{BASE}checklist-templates").json()["results"]]
    assert codes[:2] == ["wucha-wukan", "liucha-liukan"]
    assert ChecklistTemplate.objects.count() == 6


def test_the_selfcheck_schema_is_warning_free_and_names_its_enums(db):
    """Generic property names (kind, result, status) are fixed components, so they never clash
    with other apps' enums (the GroupSessionRequest/LearningRecord "kind" collision)."""
    from django.urls import include, path
    from drf_spectacular.drainage import GENERATOR_STATS, reset_generator_stats
    from drf_spectacular.generators import SchemaGenerator

    reset_generator_stats()
    patterns = [path("api/v1/", include("xiaoneng.selfcheck.api_urls"))]
    schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)
    assert dict(GENERATOR_STATS._warn_cache) == {}
    assert dict(GENERATOR_STATS._error_cache) == {}
    components = schema["components"]["schemas"]
    assert components["LearningKindEnum"]["enum"] == ["self_study", "group", "lecture", "test"]
    kind_refs = [
        components[name]["properties"]["kind"]
        for name in ("LearningRecord", "LearningRecordRequest", "GroupSessionRequest")
    ]
    assert all("LearningKindEnum" in str(ref) for ref in kind_refs)
    assert components["ChecklistAnswerResultEnum"]["enum"] == ["ok", "problem"]


def test_completion_per_unit_and_overdue_lists_over_the_api(api_as, org, wucha):
    today = timezone.localdate()
    late = services.assignment_create(
        actor=org.alice, template=wucha, unit=org.unit_a, due_on=today - dt.timedelta(days=2)
    )
    done = services.assignment_create(
        actor=org.alice, template=wucha, unit=org.unit_b, due_on=today + dt.timedelta(days=2)
    )
    services.assignment_answer(
        actor=org.carol,
        assignment=done,
        answers=[{"item": i, "result": "ok"} for i in wucha.items.all()],
    )
    office = api_as(org.alice)
    rows = {r["unit"]: r for r in office.get(f"{BASE}checklist-assignments/completion").json()}
    assert rows[org.unit_a.pk]["overdue"] == 1 and rows[org.unit_a.pk]["rate"] == 0.0
    assert rows[org.unit_b.pk]["completed"] == 1 and rows[org.unit_b.pk]["rate"] == 100.0
    mine = api_as(org.bob).get(f"{BASE}checklist-assignments/completion").json()
    assert [r["unit"] for r in mine] == [org.unit_a.pk]
    overdue = office.get(f"{BASE}checklist-assignments?overdue=true").json()["results"]
    assert [r["id"] for r in overdue] == [late.pk]
    bad = office.get(f"{BASE}checklist-assignments/completion?template=x")
    assert bad.status_code == 400 and "template" in bad.json()["errors"]
