"""Core API (API.md): tokens, /me, organisation reads and writes, errors, files and jobs."""

from datetime import datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from xiaoneng.core import audit
from xiaoneng.core.clock import frozen_now
from xiaoneng.core.models import ApiToken, AuditRecord, Department, Job, Person, Unit
from xiaoneng.core.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PROBLEM_KEYS = {"type", "title", "status", "detail"}


def issue(api, username="bob", password=PASSWORD):
    return api.post(reverse("api-token"), {"username": username, "password": password})


def bearer(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert set(body) >= PROBLEM_KEYS
    assert body["status"] == status and body["type"] == "about:blank"
    return body


# --- tokens --------------------------------------------------------------------------------------
def test_a_token_is_issued_for_good_credentials_and_works_as_bearer(api, org):
    response = issue(api)
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"token", "expires_at"}
    expires = datetime.fromisoformat(body["expires_at"])
    assert expires.utcoffset() == timedelta(hours=8)  # ISO 8601 with the offset
    assert expires > timezone.now() + timedelta(days=29)
    me = bearer(body["token"]).get(reverse("api-me"))
    assert me.status_code == 200 and me.json()["username"] == "bob"


def test_only_the_hash_of_a_token_is_stored(api, org):
    key = issue(api).json()["token"]
    token = ApiToken.objects.get(user=org.bob)
    assert key not in {token.key_hash, token.prefix} and token.key_hash != key
    assert key[3:11] == token.prefix


def test_bad_credentials_are_a_400_problem_naming_the_field(api, org):
    body = assert_problem(issue(api, password="Wrong-pass-1"), 400)
    assert "password" in body["errors"]
    assert not ApiToken.objects.exists()


def test_a_missing_field_is_listed(api, org):
    body = assert_problem(api.post(reverse("api-token"), {"username": "bob"}), 400)
    assert set(body["errors"]) == {"password"}


def test_a_revoked_token_stops_working(api, org):
    key = issue(api).json()["token"]
    client = bearer(key)
    assert client.post(reverse("api-token-revoke")).status_code == 204
    assert ApiToken.objects.get(user=org.bob).revoked_at is not None
    assert_problem(client.get(reverse("api-me")), 401)
    # Revoking twice is refused by the same rule: the token no longer authenticates.
    assert client.post(reverse("api-token-revoke")).status_code == 401


def test_revoking_one_token_leaves_the_others(api, org):
    first, second = issue(api).json()["token"], issue(api).json()["token"]
    bearer(first).post(reverse("api-token-revoke"))
    assert bearer(second).get(reverse("api-me")).status_code == 200


def test_a_session_cannot_revoke_a_token(api_as, org):
    assert_problem(api_as(org.bob).post(reverse("api-token-revoke")), 403)


def test_an_expired_token_is_refused(api, org, settings):
    key = issue(api).json()["token"]
    later = timezone.now() + timedelta(hours=settings.API_TOKEN_TTL_HOURS, minutes=1)
    with frozen_now(later):
        response = bearer(key).get(reverse("api-me"))
    body = assert_problem(response, 401)
    assert body["title"]


def test_a_garbage_token_is_401_with_a_bearer_challenge(org):
    response = bearer("xn_not-a-token").get(reverse("api-me"))
    assert_problem(response, 401)
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_disabled_users_token_is_refused(api, org):
    key = issue(api).json()["token"]
    org.bob.is_active = False
    org.bob.save()
    assert_problem(bearer(key).get(reverse("api-me")), 401)


# --- /me -----------------------------------------------------------------------------------------
def test_me_describes_the_caller(api_as, org):
    body = api_as(org.bob).get(reverse("api-me")).json()
    assert body["username"] == "bob"
    assert body["name"] == "鲍勃"
    assert body["unit"] == {"id": org.unit_a.pk, "name": "甲医院", "code": "UA"}
    assert body["roles"] == ["unit_admin"]
    assert "org.manage" in body["permissions"] and "audit.view" not in body["permissions"]
    assert body["data_scope"] == ["unit_and_below"]


def test_me_without_a_login_is_401(api, org):
    assert_problem(api.get(reverse("api-me")), 401)


# --- organisation reads --------------------------------------------------------------------------
def test_lists_are_scoped(api_as, org):
    bob = api_as(org.bob)
    assert ids(bob.get(reverse("api-units"))) == {org.unit_a.pk, org.unit_a_child.pk}
    assert ids(bob.get(reverse("api-departments"))) == {org.dept_a1.pk, org.dept_a2.pk}
    people = ids(bob.get(reverse("api-people")))
    assert people == set(Person.objects.filter(unit=org.unit_a).values_list("pk", flat=True))
    carol = api_as(org.carol)
    assert ids(carol.get(reverse("api-units"))) == {org.unit_b.pk}
    assert ids(carol.get(reverse("api-departments"))) == {org.dept_b1.pk}
    alice = api_as(org.alice)
    assert ids(alice.get(reverse("api-units"), {"page_size": 500})) == set(
        Unit.objects.values_list("pk", flat=True)
    )


def test_a_user_without_a_role_sees_nothing(api_as, org):
    client = api_as(org.nobody)
    for name in ("api-units", "api-departments", "api-people"):
        assert client.get(reverse(name)).json()["count"] == 0


def test_lists_have_the_documented_envelope_and_paging(api_as, org):
    response = api_as(org.alice).get(reverse("api-people"), {"page_size": 2, "ordering": "id"})
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert len(body["results"]) == 2 and body["count"] == Person.objects.count()
    assert body["next"] and body["previous"] is None
    assert [r["id"] for r in body["results"]] == sorted(r["id"] for r in body["results"])


def test_lists_filter_by_field_name(api_as, org):
    body = api_as(org.alice).get(reverse("api-departments"), {"unit": org.unit_b.pk}).json()
    assert [r["id"] for r in body["results"]] == [org.dept_b1.pk]


def test_details_outside_the_scope_are_404(api_as, org):
    bob = api_as(org.bob)
    carol_person = org.carol.person
    assert_problem(bob.get(reverse("api-person", args=[carol_person.pk])), 404)
    assert_problem(bob.get(reverse("api-department", args=[org.dept_b1.pk])), 404)
    assert_problem(bob.get(reverse("api-unit", args=[org.unit_b.pk])), 404)
    # … exactly like an id that does not exist.
    missing = bob.get(reverse("api-person", args=[999999]))
    assert missing.json() == bob.get(reverse("api-person", args=[carol_person.pk])).json()


def test_details_inside_the_scope_are_200(api_as, org):
    bob = api_as(org.bob)
    assert bob.get(reverse("api-person", args=[org.dave.person.pk])).json()["name"] == "大卫"
    assert bob.get(reverse("api-department", args=[org.dept_a1.pk])).status_code == 200
    assert bob.get(reverse("api-unit", args=[org.unit_a_child.pk])).status_code == 200


# --- organisation writes -------------------------------------------------------------------------
def test_a_unit_admin_edits_their_unit_and_it_is_audited(api_as, org):
    response = api_as(org.bob).patch(
        reverse("api-unit", args=[org.unit_a.pk]), {"phone": "0571-8888"}
    )
    assert response.status_code == 200 and response.json()["phone"] == "0571-8888"
    record = audit.history(org.unit_a).first()
    assert record.action == "update" and record.actor == org.bob
    assert record.before == {"phone": ""} and record.after == {"phone": "0571-8888"}


def test_a_unit_admin_creates_a_department_and_a_person_in_their_unit(api_as, org):
    bob = api_as(org.bob)
    dept = bob.post(
        reverse("api-departments"), {"unit": org.unit_a.pk, "name": "儿科", "kind": "clinical"}
    )
    assert dept.status_code == 201
    person = bob.post(
        reverse("api-people"),
        {"unit": org.unit_a.pk, "name": "新人", "departments": [dept.json()["id"]]},
    )
    assert person.status_code == 201
    assert Person.objects.get(pk=person.json()["id"]).departments.get().name == "儿科"
    assert AuditRecord.objects.filter(object_type="core.person", action="create").exists()


def test_a_unit_admin_cannot_write_into_another_unit(api_as, org):
    bob = api_as(org.bob)
    body = assert_problem(
        bob.post(
            reverse("api-departments"), {"unit": org.unit_b.pk, "name": "x", "kind": "clinical"}
        ),
        400,
    )
    assert "unit" in body["errors"]
    assert_problem(bob.patch(reverse("api-department", args=[org.dept_b1.pk]), {"name": "x"}), 404)
    body = assert_problem(
        bob.post(
            reverse("api-people"),
            {"unit": org.unit_a.pk, "name": "新人", "departments": [org.dept_b1.pk]},
        ),
        400,
    )
    assert "departments" in body["errors"]
    # Another unit's person cannot be made head of one's own department either.
    body = assert_problem(
        bob.patch(reverse("api-department", args=[org.dept_a1.pk]), {"head": org.carol.person.pk}),
        400,
    )
    assert "head" in body["errors"]
    assert not Department.objects.filter(name="x").exists()


@pytest.mark.parametrize("who", ["dave", "erin", "leader", "nobody"])
def test_users_without_org_manage_may_not_write(api_as, org, who):
    client = api_as(getattr(org, who))
    before = AuditRecord.objects.count()
    assert_problem(client.patch(reverse("api-unit", args=[org.unit_a.pk]), {"phone": "1"}), 403)
    assert_problem(
        client.post(
            reverse("api-departments"), {"unit": org.unit_a.pk, "name": "x", "kind": "clinical"}
        ),
        403,
    )
    assert_problem(client.post(reverse("api-people"), {"unit": org.unit_a.pk, "name": "x"}), 403)
    assert AuditRecord.objects.count() == before


def test_the_office_writes_anywhere(api_as, org):
    response = api_as(org.alice).patch(
        reverse("api-department", args=[org.dept_b1.pk]), {"phone": "123"}
    )
    assert response.status_code == 200


def test_validation_errors_list_every_bad_field(api_as, org):
    body = assert_problem(
        api_as(org.alice).post(reverse("api-departments"), {"kind": "nonsense"}), 400
    )
    assert {"unit", "name", "kind"} <= set(body["errors"])
    assert all(isinstance(m, list) and m for m in body["errors"].values())


def test_delete_is_not_offered(api_as, org):
    assert_problem(api_as(org.alice).delete(reverse("api-unit", args=[org.unit_a.pk])), 405)


# --- files ---------------------------------------------------------------------------------------
def test_an_upload_returns_its_id_name_size_and_type(api_as, org):
    upload = SimpleUploadedFile("扫描件.pdf", PDF, content_type="application/pdf")
    response = api_as(org.bob).post(reverse("api-files"), {"file": upload}, format="multipart")
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "name", "size", "content_type", "url"}
    assert body["name"] == "扫描件.pdf" and body["size"] == len(PDF)
    assert body["content_type"] == "application/pdf"


def test_a_disguised_executable_is_refused(api_as, org):
    upload = SimpleUploadedFile(
        "photo.jpg", b"MZ\x90\x00" + b"\x00" * 200, content_type="image/jpeg"
    )
    response = api_as(org.bob).post(reverse("api-files"), {"file": upload}, format="multipart")
    body = assert_problem(response, 400)
    assert "file" in body["errors"]


def test_an_upload_without_a_file_is_400(api_as, org):
    body = assert_problem(api_as(org.bob).post(reverse("api-files"), {}, format="multipart"), 400)
    assert "file" in body["errors"]


def test_anonymous_uploads_are_refused(api, org):
    upload = SimpleUploadedFile("a.pdf", PDF)
    assert_problem(api.post(reverse("api-files"), {"file": upload}, format="multipart"), 401)


# --- jobs ----------------------------------------------------------------------------------------
@pytest.fixture
def job(org):
    return Job.objects.create(
        kind="import",
        status=Job.Status.DONE,
        total=10,
        done=10,
        errors=[{"row": 3, "column": "名称", "message": "必填"}],
        created_by=org.bob,
        created_at=timezone.now(),
    )


def test_a_job_is_visible_to_its_creator(api_as, org, job):
    body = api_as(org.bob).get(reverse("api-job", args=[job.pk])).json()
    assert body["id"] == job.pk and body["status"] == "done" and body["percent"] == 100
    assert body["errors"] == [{"row": 3, "column": "名称", "message": "必填"}]


@pytest.mark.parametrize("who", ["carol", "alice", "dave"])
def test_a_job_is_404_for_anyone_else(api_as, org, job, who):
    assert_problem(api_as(getattr(org, who)).get(reverse("api-job", args=[job.pk])), 404)


def test_a_superuser_sees_any_job_and_a_missing_job_is_404(api_as, org, job):
    root = make_user("root", None, is_superuser=True)
    assert api_as(root).get(reverse("api-job", args=[job.pk])).status_code == 200
    assert_problem(api_as(org.bob).get(reverse("api-job", args=[job.pk + 1000])), 404)
