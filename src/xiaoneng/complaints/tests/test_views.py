"""Complaint staff pages: permission matrix, queues (filters, counts, sort, export, query counts),
registration form, case page actions, identity reveal (audited), express report."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from xiaoneng.complaints import services
from xiaoneng.complaints.models import Category, Complaint
from xiaoneng.core.models import AuditRecord

from .test_api import IDENTITY, dispatched, register

pytestmark = pytest.mark.django_db

LISTS = ["complaints:queue", "complaints:unit", "complaints:mine"]


@pytest.fixture
def category(db) -> Category:
    return Category.objects.get_or_create(
        code="attitude-test", defaults={"name": "服务态度差（测试）", "group": "服务"}
    )[0]


@pytest.fixture
def case_a(org, category) -> Complaint:
    return dispatched(org, category, org.unit_a)


@pytest.fixture
def case_b(org, category) -> Complaint:
    return dispatched(org, category, org.unit_b)


def numbers(response) -> set[str]:
    return {c.number for c in response.context["page"].object_list}


def case_urls(pk: int) -> list[tuple[str, str]]:
    return [
        ("get", reverse("complaints:detail", args=[pk])),
        ("get", reverse("complaints:detail", args=[pk]) + "?tab=history"),
        ("get", reverse("complaints:express", args=[pk])),
        ("post", reverse("complaints:identity", args=[pk])),
        ("post", reverse("complaints:action", args=[pk, "sign"])),
        ("post", reverse("complaints:action", args=[pk, "dispatch"])),
    ]


# --- permission matrix ---------------------------------------------------------------------------
def test_it_sends_anonymous_users_to_the_login_page(client, org, case_a):
    urls = [("get", reverse(n)) for n in [*LISTS, "complaints:new"]] + case_urls(case_a.pk)
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert reverse("login") in response["Location"]


def test_a_user_without_a_role_sees_empty_lists_and_404_on_cases(client, org, case_a):
    client.force_login(org.nobody)
    for name in LISTS:
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert numbers(response) == set()
    for method, url in case_urls(case_a.pk):
        assert getattr(client, method)(url, {"reason": "x"}).status_code == 404, url
    assert client.get(reverse("complaints:new")).status_code == 403


def test_a_unit_admin_gets_the_unit_queue_and_only_own_cases(client, org, case_a, case_b):
    client.force_login(org.bob)
    response = client.get(reverse("complaints:queue"))
    assert response.status_code == 200
    assert "complaints/unit_queue.html" in [t.name for t in response.templates]
    assert numbers(response) == {case_a.number}
    assert client.get(reverse("complaints:detail", args=[case_a.pk])).status_code == 200
    for method, url in case_urls(case_b.pk):
        assert getattr(client, method)(url, {"reason": "x"}).status_code == 404, url


def test_the_other_unit_admin_is_the_mirror_image(client, org, case_a, case_b):
    client.force_login(org.carol)
    assert numbers(client.get(reverse("complaints:unit"))) == {case_b.number}
    assert client.get(reverse("complaints:detail", args=[case_a.pk])).status_code == 404


def test_a_unit_admin_never_sees_the_identity(client, org, case_a):
    client.force_login(org.bob)
    response = client.get(reverse("complaints:detail", args=[case_a.pk]))
    text = response.content.decode()
    for secret in IDENTITY.values():
        assert secret not in text
    assert 'data-testid="protected"' in text
    assert 'data-testid="identity-form"' not in text
    response = client.post(reverse("complaints:identity", args=[case_a.pk]), {"reason": "看看"})
    assert response.status_code == 404


def test_the_office_reveals_the_identity_with_a_reason_and_it_is_audited(client, org, case_a):
    client.force_login(org.alice)
    page = client.get(reverse("complaints:detail", args=[case_a.pk])).content.decode()
    assert 'data-testid="identity-form"' in page and IDENTITY["phone"] not in page
    audited = AuditRecord.objects.filter(action="view_sensitive")
    before = audited.count()
    url = reverse("complaints:identity", args=[case_a.pk])
    missing_reason = client.post(url, {"reason": ""})
    assert missing_reason.status_code == 400 and audited.count() == before
    response = client.post(url, {"reason": "回访需要联系投诉人"})
    assert response.status_code == 200
    assert IDENTITY["phone"] in response.content.decode()
    assert audited.count() == before + 1
    partial = client.post(url, {"reason": "再次回访"}, HTTP_HX_REQUEST="true")
    assert IDENTITY["name"] in partial.content.decode()
    assert "<html" not in partial.content.decode()
    assert audited.count() == before + 2
    history = client.get(reverse("complaints:detail", args=[case_a.pk]) + "?tab=history")
    assert 'data-action="view_sensitive"' in history.content.decode()


# --- office queue ----------------------------------------------------------------------------------
def test_the_office_queue_lists_all_with_counts_filters_and_sorting(client, org, category):
    a = dispatched(org, category, org.unit_a, channel="web")
    b = dispatched(org, category, org.unit_b)
    c = register(org, category)
    client.force_login(org.alice)
    response = client.get(reverse("complaints:queue"))
    assert numbers(response) == {a.number, b.number, c.number}
    counts = {x["status"]: x["count"] for x in response.context["counts"]}
    assert counts["dispatched"] == 2 and counts["registered"] == 1
    text = response.content.decode()
    assert 'data-testid="status-counts"' in text and 'data-testid="deadline"' in text
    assert numbers(client.get(reverse("complaints:queue"), {"status": "registered"})) == {c.number}
    assert numbers(client.get(reverse("complaints:queue"), {"unit": org.unit_b.pk})) == {b.number}
    assert numbers(client.get(reverse("complaints:queue"), {"channel": "web"})) == {a.number}
    assert numbers(client.get(reverse("complaints:queue"), {"number": b.number})) == {b.number}
    ordered = client.get(reverse("complaints:queue"), {"sort": "number"}).context["page"]
    assert [x.number for x in ordered] == sorted([a.number, b.number, c.number])


def test_the_export_protects_the_complainant_unless_allowed(client, org, case_a):
    client.force_login(org.bob)
    response = client.get(reverse("complaints:mine"), {"export": "xlsx"})
    assert response.status_code == 200
    # bob did not register it and does not handle it: his "mine" is empty; use the office's queue.
    client.force_login(org.alice)
    before = AuditRecord.objects.filter(action="view_sensitive").count()
    response = client.get(reverse("complaints:queue"), {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == case_a.number
    assert IDENTITY["name"] in rows[1][-1]
    assert AuditRecord.objects.filter(action="view_sensitive").count() == before + 1


def test_the_export_for_a_user_without_complainant_view_shows_the_notice(client, org, category):
    case = register(org, category, actor=org.bob, subject_unit=org.unit_a)
    client.force_login(org.bob)
    response = client.get(reverse("complaints:mine"), {"export": "xlsx"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == case.number
    assert IDENTITY["name"] not in str(rows) and IDENTITY["phone"] not in str(rows)
    assert rows[1][-1] not in ("", None)


def test_my_cases_are_the_ones_i_registered_or_handle(client, org, category):
    mine = register(org, category, actor=org.bob)
    register(org, category)
    client.force_login(org.bob)
    assert numbers(client.get(reverse("complaints:mine"))) == {mine.number}


def test_the_unit_queue_has_the_four_tabs(client, org, case_a):
    client.force_login(org.bob)
    response = client.get(reverse("complaints:unit"))
    tabs = {t["key"]: t["count"] for t in response.context["tabs"]}
    assert list(tabs) == ["to_sign", "handling", "due_soon", "overdue"]
    assert tabs["to_sign"] == 1
    assert numbers(response) == {case_a.number}
    assert numbers(client.get(reverse("complaints:unit"), {"tab": "handling"})) == set()


def test_the_tab_counts_are_the_sizes_of_the_buckets(org, category, case_a):
    from datetime import timedelta

    from xiaoneng.complaints import selectors
    from xiaoneng.core.clock import frozen_now

    signed = dispatched(org, category, org.unit_a)
    services.complaint_sign(complaint=signed, actor=org.bob)
    for when in (signed.resolve_by - timedelta(days=1), signed.resolve_by + timedelta(days=1)):
        with frozen_now(when):
            counts = selectors.unit_queue_counts(org.bob)
            expected = {k: selectors.unit_queue(org.bob, k).count() for k in counts}
        assert counts == expected
        assert counts["to_sign"] == 1 and counts["handling"] == 1
    assert counts["overdue"] == 2  # both running cases, a day after the deadline


@pytest.mark.parametrize(
    ("user", "name"),
    [("alice", "complaints:queue"), ("alice", "complaints:mine"), ("bob", "complaints:unit")],
)
def test_list_query_counts_do_not_grow_with_rows(
    client, org, category, django_assert_max_num_queries, user, name
):
    client.force_login(getattr(org, user))
    for _ in range(5):
        dispatched(org, category, org.unit_a)
    with CaptureQueriesContext(connection) as five:
        assert client.get(reverse(name)).status_code == 200
    for _ in range(25):
        dispatched(org, category, org.unit_a)
    with django_assert_max_num_queries(len(five.captured_queries)):
        response = client.get(reverse(name))
    assert len(response.context["page"].object_list) == 20


# --- registration form ---------------------------------------------------------------------------
def form_data(org, category, **over) -> dict:
    data = {
        "channel": "phone",
        "type": "complaint",
        "category": category.code,
        "unit": org.unit_a.pk,
        "department": org.dept_a1.pk,
        "subject_person_name": "王医生",
        "title": "候诊时间过长",
        "content": "排队三个小时未就诊。",
        "importance": "normal",
        "matter": "medical",
        "complainant_name": "赵六",
        "complainant_phone": "13700137000",
    }
    data.update(over)
    return data


def test_the_registration_form_creates_a_case(client, org, category):
    client.force_login(org.alice)
    assert client.get(reverse("complaints:new")).status_code == 200
    response = client.post(reverse("complaints:new"), form_data(org, category))
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:detail", args=[complaint.pk])
    assert complaint.subject_department == org.dept_a1 and complaint.matter == "medical"


def test_the_registration_receipt_is_shown_once_to_identity_readers_only(client, org, category):
    """Issue 21 item 1: the office hands the complainant the secrets; a unit's own desk never
    sees them (the named complainant gets the tracking code by SMS)."""
    client.force_login(org.alice)
    page = client.post(reverse("complaints:new"), form_data(org, category), follow=True)
    complaint = Complaint.objects.get()
    html = page.content.decode()
    assert complaint.tracking_code in html
    assert services.receipt_secrets(complaint)["rating_key"] in html
    again = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert complaint.tracking_code not in again

    client.force_login(org.bob)
    page = client.post(reverse("complaints:new"), form_data(org, category), follow=True)
    mine = Complaint.objects.exclude(pk=complaint.pk).get()
    assert page.status_code == 200 and mine.tracking_code not in page.content.decode()


def test_the_registration_form_keeps_values_and_names_every_error(client, org, category):
    client.force_login(org.alice)
    data = form_data(
        org,
        category,
        channel="fax",
        unit="999999",
        content="",
        received_at="2099-01-01T10:00",
        complainant_name="",
        complainant_phone="",
        complainant_id_number="123",
        title="保留这个标题",
    )
    response = client.post(reverse("complaints:new"), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    for field in (
        "channel",
        "unit",
        "content",
        "received_at",
        "complainant_name",
        "complainant_id_number",
    ):
        assert field in errors, (field, errors)
    text = response.content.decode()
    assert "保留这个标题" in text and 'data-testid="form-errors"' in text
    assert not Complaint.objects.exists()


def test_the_department_options_follow_the_unit(client, org):
    client.force_login(org.alice)
    text = client.get(reverse("complaints:departments"), {"unit": org.unit_a.pk}).content.decode()
    assert "急诊科" in text and "内科" in text
    text = client.get(
        reverse("complaints:departments"), {"dispatch-unit": org.unit_b.pk}
    ).content.decode()
    assert "内科" not in text


# --- case page and actions -----------------------------------------------------------------------
def test_the_case_page_shows_the_header_and_the_right_actions(client, org, case_a):
    client.force_login(org.bob)
    response = client.get(reverse("complaints:detail", args=[case_a.pk]))
    segments = [a["segment"] for a in response.context["actions"]]
    assert "sign" in segments and "send-back" in segments
    assert "close" not in segments and "dispatch" not in segments
    text = response.content.decode()
    assert case_a.number in text and 'data-status="dispatched"' in text
    client.force_login(org.alice)
    segments = [
        a["segment"]
        for a in client.get(reverse("complaints:detail", args=[case_a.pk])).context["actions"]
    ]
    assert "sign" not in segments


def test_actions_through_the_page_and_a_conflict_message(client, org, case_a):
    client.force_login(org.bob)
    url = reverse("complaints:action", args=[case_a.pk, "sign"])
    response = client.post(url)
    assert response.status_code == 302
    case_a.refresh_from_db()
    assert case_a.status == "signed"
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert case_a.number in response.content.decode()
    assert any(m.level_tag == "error" for m in response.context["messages"])


def test_an_invalid_action_form_is_shown_again_with_errors(client, org, case_a):
    client.force_login(org.bob)
    response = client.post(reverse("complaints:action", args=[case_a.pk, "send-back"]), {})
    assert response.status_code == 400
    bound = next(a for a in response.context["actions"] if a["segment"] == "send-back")
    assert bound["open"] and "reason" in bound["form"].errors


def test_the_office_dispatches_from_the_page(client, org, category):
    case = register(org, category)
    client.force_login(org.alice)
    response = client.post(
        reverse("complaints:action", args=[case.pk, "dispatch"]),
        {"dispatch-unit": org.unit_b.pk, "dispatch-department": org.dept_b1.pk},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (
        case.status == "dispatched" and case.unit == org.unit_b and case.department == org.dept_b1
    )


def test_the_express_report_is_for_important_cases(client, org, category):
    important = dispatched(org, category, org.unit_a, importance="important")
    normal = dispatched(org, category, org.unit_a)
    client.force_login(org.bob)
    response = client.get(reverse("complaints:express", args=[important.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert important.number in text and IDENTITY["name"] not in text
    assert client.get(reverse("complaints:express", args=[normal.pk])).status_code == 404


def test_the_history_tab_lists_audit_records(client, org, case_a):
    services.complaint_sign(complaint=case_a, actor=org.bob)
    client.force_login(org.alice)
    response = client.get(reverse("complaints:detail", args=[case_a.pk]), {"tab": "history"})
    assert response.status_code == 200
    assert len(response.context["history"]) >= 1
    assert 'data-testid="history-row"' in response.content.decode()
