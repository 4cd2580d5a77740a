"""Login-log and audit-log pages; audit and login records cannot be changed or deleted anywhere."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from xiaoneng.core import audit
from xiaoneng.core.clock import frozen_now
from xiaoneng.core.models import AuditRecord, LoginLog
from xiaoneng.core.models.audit import AppendOnlyError
from xiaoneng.core.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db

PAGES = {"org:loginlog": "loginlog.view", "org:audit": "audit.view"}
CST = timezone.get_fixed_timezone(8 * 60)


@pytest.fixture
def sysadmin(org):
    return make_user("sam", None, "sysadmin")


@pytest.fixture
def superuser(db):
    return make_user("root", None, is_superuser=True, is_staff=True)


def listed(response) -> list:
    return list(response.context["page"].object_list)


def log_entry(username, outcome, at, user=None, ip="10.0.0.1"):
    with frozen_now(at):
        return LoginLog.objects.create(
            at=at,
            user=user,
            username=username,
            ip=ip,
            user_agent="pytest",
            success=outcome in {"success", "logout"},
            outcome=outcome,
        )


# --- who may see the pages -----------------------------------------------------------------------
@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_sent_to_login(client, org, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", PAGES)
def test_the_office_and_the_system_admin_see_the_pages(client, org, sysadmin, name):
    for user in (org.alice, sysadmin):
        client.force_login(user)
        response = client.get(reverse(name))
        assert response.status_code == 200, user
        assert 'data-testid="filters"' in response.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_users_without_the_permission_get_403(client, org, name):
    """Like the other permission-gated system pages (import, unit edit): 403, not 404."""
    for user in (org.bob, org.carol, org.dave, org.erin, org.leader, org.nobody):
        client.force_login(user)
        assert client.get(reverse(name)).status_code == 403, user.username


@pytest.mark.parametrize("name", PAGES)
def test_the_pages_only_read(client, org, name):
    client.force_login(org.alice)
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)(reverse(name)).status_code == 405, method


def test_the_navigation_shows_the_log_pages_only_with_the_permission(client, org):
    client.force_login(org.alice)
    html = client.get(reverse("org:units")).content.decode()
    assert reverse("org:loginlog") in html and reverse("org:audit") in html
    client.force_login(org.bob)
    html = client.get(reverse("org:units")).content.decode()
    assert reverse("org:loginlog") not in html and reverse("org:audit") not in html


# --- login log -----------------------------------------------------------------------------------
@pytest.fixture
def logins(org):
    day = datetime(2026, 3, 10, 9, 0, tzinfo=CST)
    return [
        log_entry("bob", "success", day, org.bob),
        log_entry("bob", "bad_password", day + timedelta(days=1), org.bob),
        log_entry("bob", "locked", day + timedelta(days=2), org.bob),
        log_entry("carol", "success", day + timedelta(days=2), org.carol, ip="10.0.0.9"),
        log_entry("ghost", "bad_password", day + timedelta(days=3)),
        log_entry("carol", "logout", day + timedelta(days=3), org.carol),
    ]


def test_the_login_log_lists_every_attempt_newest_first(client, org, logins):
    client.force_login(org.alice)
    response = client.get(reverse("org:loginlog"))
    assert listed(response) == sorted(logins, key=lambda r: (r.at, r.id), reverse=True)
    html = response.content.decode()
    assert "10.0.0.9" in html and "pytest" in html
    assert "账号已锁定" in html or "Account locked" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "carol"}, [3, 5]),
        ({"q": "BOB"}, [0, 1, 2]),
        ({"outcome": "success"}, [0, 3]),
        ({"outcome": "failed"}, [1, 2, 4]),  # logouts are not failures
        ({"outcome": "locked"}, [2]),
        ({"date_from": "2026-03-12"}, [2, 3, 4, 5]),
        ({"date_to": "2026-03-11"}, [0, 1]),
        ({"date_from": "2026-03-11", "date_to": "2026-03-12", "q": "bob"}, [1, 2]),
    ],
)
def test_the_login_log_filters(client, org, logins, params, expected):
    client.force_login(org.alice)
    response = client.get(reverse("org:loginlog"), params)
    assert sorted(r.pk for r in listed(response)) == sorted(logins[i].pk for i in expected)


def test_a_reversed_date_range_is_an_error_not_a_crash(client, org, logins):
    client.force_login(org.alice)
    response = client.get(
        reverse("org:loginlog"), {"date_from": "2026-03-12", "date_to": "2026-03-10"}
    )
    assert response.status_code == 200
    assert listed(response) == []
    assert 'data-testid="filter-errors"' in response.content.decode()


def test_the_login_log_is_paginated(client, org):
    start = datetime(2026, 3, 1, 8, tzinfo=CST)
    for i in range(25):
        log_entry("bob", "success", start + timedelta(minutes=i), org.bob)
    client.force_login(org.alice)
    first = client.get(reverse("org:loginlog"))
    second = client.get(reverse("org:loginlog"), {"page": 2})
    assert len(listed(first)) == 20 and len(listed(second)) == 5
    assert first.context["page"].paginator.count == 25


def test_the_login_log_page_shows_real_logins(client, org):
    client.post(
        reverse("login"),
        {"username": "bob", "password": PASSWORD},
        REMOTE_ADDR="192.168.3.4",
        HTTP_USER_AGENT="Firefox/140",
    )
    client.force_login(org.alice)
    html = client.get(reverse("org:loginlog")).content.decode()
    assert "192.168.3.4" in html and "Firefox/140" in html


def test_the_login_log_exports_to_excel(client, org, logins):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(org.alice)
    response = client.get(reverse("org:loginlog"), {"q": "carol", "export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3  # header + carol's two records
    assert {r[1] for r in rows[1:]} == {"carol"}


@pytest.mark.parametrize("name", PAGES)
def test_the_query_count_does_not_grow_with_rows(client, org, name):
    client.force_login(org.alice)
    start = datetime(2026, 3, 1, 8, tzinfo=CST)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(name)).status_code == 200
        return len(ctx.captured_queries)

    log_entry("bob", "bad_password", start, org.bob)
    few = queries()
    for i in range(30):
        log_entry("bob", "bad_password", start + timedelta(minutes=i + 1), org.bob)
        audit.record("update", org.unit_a, before={"phone": str(i)}, after={"phone": "x"})
    assert queries() <= few  # one query per linked model on the page at most, never per row


# --- audit log -----------------------------------------------------------------------------------
@pytest.fixture
def records(org):
    """Three audited writes on different days, by different actors."""
    day = datetime(2026, 4, 1, 10, tzinfo=CST)
    made = []
    with frozen_now(day):
        made.append(
            audit.record(
                "update", org.unit_a, before={"phone": "1"}, after={"phone": "2"}, actor=org.alice
            )
        )
    with frozen_now(day + timedelta(days=1)):
        made.append(audit.record("create", org.dept_b1, after={"name": "急诊科"}, actor=org.carol))
    with frozen_now(day + timedelta(days=2)):
        made.append(audit.record("view_sensitive", org.unit_b, actor=org.alice, reason="核查"))
    return made


def only(response, records) -> list[int]:
    """Which of ``records`` the page lists (the fixture organisation has its own records too)."""
    ids = {r.pk for r in listed(response)}
    return [i for i, r in enumerate(records) if r.pk in ids]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "alice"}, [0, 2]),
        ({"q": "carol"}, [1]),
        ({"action": "update", "date_from": "2026-04-01"}, [0]),
        ({"object_type": "core.department", "date_from": "2026-04-01"}, [1]),
        ({"object_type": "core.unit", "date_from": "2026-04-01"}, [0, 2]),
        ({"date_from": "2026-04-02", "date_to": "2026-04-02"}, [1]),
        ({"date_from": "2026-04-03"}, [2]),
    ],
)
def test_the_audit_log_filters(client, org, records, params, expected):
    client.force_login(org.alice)
    response = client.get(reverse("org:audit"), params)
    assert response.status_code == 200
    assert only(response, records) == expected


def test_the_audit_log_filters_by_object_id(client, org, records):
    client.force_login(org.alice)
    response = client.get(
        reverse("org:audit"), {"object_type": "core.unit", "object_id": str(org.unit_a.pk)}
    )
    listed_records = listed(response)
    assert listed_records and all(
        r.object_type == "core.unit" and r.object_id == str(org.unit_a.pk) for r in listed_records
    )
    assert records[0] in listed_records and records[2] not in listed_records


def test_the_audit_log_offers_the_actions_and_object_types_it_holds(client, org, records):
    client.force_login(org.alice)
    form = client.get(reverse("org:audit")).context["filters"]
    actions = [value for value, _ in form.fields["action"].choices]
    types = [value for value, _ in form.fields["object_type"].choices]
    assert {"update", "create", "view_sensitive"} <= set(actions)
    assert {"core.unit", "core.department", "core.person"} <= set(types)


def test_editing_a_unit_shows_actor_values_request_id_and_ip(client, org):
    client.force_login(org.alice)
    form = client.get(reverse("org:unit-edit", args=[org.unit_a.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data |= {"phone": "0571-12345678", "is_active": "on", "principal": org.unit_a.principal_id}
    response = client.post(
        reverse("org:unit-edit", args=[org.unit_a.pk]),
        data,
        REMOTE_ADDR="172.16.0.5",
        HTTP_X_REQUEST_ID="req-edit-42",
    )
    assert response.status_code == 302
    page = client.get(reverse("org:audit"), {"object_type": "core.unit", "action": "update"})
    row = page.context["rows"][0]
    record = row["record"]
    assert record.actor == org.alice and record.request_id == "req-edit-42"
    assert record.ip == "172.16.0.5"
    assert {"field": "联系电话", "before": "—", "after": "0571-12345678"} in row["changes"]
    assert row["url"] == reverse("org:unit", args=[org.unit_a.pk]) + "?tab=history"
    html = page.content.decode()
    assert "req-edit-42" in html and "172.16.0.5" in html and "0571-12345678" in html
    # … and the unit's own history tab shows the same change, before and after.
    history = client.get(row["url"]).context["history"]
    change = next(c for c in history[0]["changes"] if c["after"] == "0571-12345678")
    assert change["before"] == "—"


def test_the_audit_log_is_paginated(client, org):
    for i in range(10):
        audit.record("update", org.unit_a, before={"phone": str(i)}, after={"phone": "x"})
    client.force_login(org.alice)
    total = AuditRecord.objects.count()
    response = client.get(reverse("org:audit"))
    assert response.context["page"].paginator.count == total
    assert len(listed(response)) == min(total, 20)
    assert total > 20
    assert len(listed(client.get(reverse("org:audit"), {"page": 2}))) == min(total - 20, 20)


def test_the_audit_log_exports_to_excel(client, org, records):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(org.alice)
    response = client.get(reverse("org:audit"), {"q": "carol", "export": "xlsx"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[2] for r in rows[1:]] == ["新增"]  # the action as the page names it


# --- append-only: no edit or delete anywhere -----------------------------------------------------
def test_records_cannot_be_changed_or_deleted_through_the_orm(org, records):
    record = records[0]
    record.action = "tampered"
    with pytest.raises(AppendOnlyError):
        record.save()
    with pytest.raises(AppendOnlyError):
        record.delete()
    entry = log_entry("bob", "success", timezone.now(), org.bob)
    entry.outcome = "bad_password"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditRecord.objects.get(pk=record.pk).action == "update"
    assert LoginLog.objects.get(pk=entry.pk).outcome == "success"


@pytest.mark.parametrize("model", [AuditRecord, LoginLog])
def test_the_admin_only_shows_the_logs_even_to_a_superuser(client, org, superuser, model):
    record = model.objects.order_by("id").first() or log_entry("bob", "success", timezone.now())
    before = model.objects.count()
    client.force_login(superuser)
    info = f"admin:core_{model._meta.model_name}"
    assert client.get(reverse(f"{info}_changelist")).status_code == 200
    view = client.get(reverse(f"{info}_change", args=[record.pk]))
    assert view.status_code == 200
    assert view.context["has_change_permission"] is False
    assert view.context["has_delete_permission"] is False
    assert 'name="_save"' not in view.content.decode()
    assert client.post(reverse(f"{info}_change", args=[record.pk]), {}).status_code == 403
    assert client.get(reverse(f"{info}_add")).status_code == 403
    assert (
        client.post(reverse(f"{info}_delete", args=[record.pk]), {"post": "yes"}).status_code == 403
    )
    client.post(
        reverse(f"{info}_changelist"),
        {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"},
    )
    assert model.objects.count() == before
    assert model.objects.filter(pk=record.pk).exists()


def _api_views():
    def walk(patterns):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns)
            elif isinstance(p, URLPattern):
                yield p

    for p in walk(get_resolver().url_patterns):
        cls = getattr(p.callback, "cls", None) or getattr(p.callback, "view_class", None)
        if cls is not None and getattr(cls, "__module__", "").startswith("xiaoneng."):
            yield p, cls


def _models_of(cls) -> set:
    models = set()
    queryset = getattr(cls, "queryset", None)
    if queryset is not None:
        models.add(queryset.model)
    serializer = getattr(cls, "serializer_class", None)
    meta = getattr(serializer, "Meta", None)
    if meta is not None and getattr(meta, "model", None) is not None:
        models.add(meta.model)
    return models


def test_no_api_route_exposes_the_logs(org):
    views = list(_api_views())
    assert views  # the walk finds the API
    for pattern, cls in views:
        assert not _models_of(cls) & {AuditRecord, LoginLog}, (pattern, cls)


@pytest.mark.parametrize(
    "path", ["/api/v1/audit", "/api/v1/audit-records", "/api/v1/login-log", "/api/v1/loginlog"]
)
def test_log_like_api_paths_do_not_exist(api_as, org, records, path):
    client = api_as(org.alice)
    for method in ("get", "delete", "patch", "put"):
        assert getattr(client, method)(path).status_code == 404
        assert getattr(client, method)(f"{path}/{records[0].pk}").status_code == 404
    assert AuditRecord.objects.filter(pk=records[0].pk).exists()
