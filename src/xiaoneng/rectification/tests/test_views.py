"""Staff pages: permission matrix (404 out of scope), the ledger with counts and filters, the
item actions with file uploads, spot checks, Excel jobs with progress, and the public page."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xiaoneng.core.models import Job
from xiaoneng.rectification import services
from xiaoneng.rectification.models import RectificationItem

from .helpers import PDF, closed_item, issue, item

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def pdf(name="evidence.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("nobody", 404), ("bob", 200), ("carol", 404), ("alice", 200)],
)
def test_item_and_issue_pages_permission_matrix(client, org, who, status):
    it = item(org)
    if who != "anonymous":
        login(client, getattr(org, who))
    for url in (reverse("rectification:item", args=[it.pk]),
                reverse("rectification:issue", args=[it.issue_id])):  # fmt: skip
        assert client.get(url).status_code == status


def test_the_ledger_shows_only_the_users_scope_with_counts(
    client, org, django_assert_max_num_queries
):
    a = item(org)
    closed = closed_item(org)
    b = item(org, issue(org, unit=org.unit_b))
    login(client, org.bob)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("rectification:ledger"))
    html = response.content.decode()
    assert response.status_code == 200
    assert a.number in html and closed.number in html and b.number not in html
    assert response.context["summary"]["total"] == 2
    assert response.context["summary"]["closed"] == 1
    assert response.context["summary"]["percent"] == 50
    login(client, org.alice)
    response = client.get(reverse("rectification:ledger"), {"by": "source", "status": "closed"})
    assert [r.number for r in response.context["page"]] == [closed.number]
    assert response.context["groups"][0]["closed"] == 1
    response = client.get(reverse("rectification:ledger"), {"view": "overdue"})
    assert response.context["summary"]["total"] == 0


def test_the_ledger_query_count_does_not_grow_with_rows(client, org, django_assert_max_num_queries):
    for _ in range(15):
        item(org)
    login(client, org.alice)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("rectification:ledger")).status_code == 200


def test_a_unit_admin_records_an_issue_with_evidence_and_adds_an_item(client, org):
    login(client, org.bob)
    response = client.post(
        reverse("rectification:issue-new"),
        {
            "title": "候诊区座椅破损",
            "description": "候诊区有三把座椅破损",
            "source": "self_inspection",
            "severity": "general",
            "unit": org.unit_a.pk,
            "files": [pdf()],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    the_issue = org.unit_a.ledger_issues.get()
    assert the_issue.files.count() == 1
    response = client.post(
        reverse("rectification:issue", args=[the_issue.pk]),
        {"type": "immediate", "measures": "更换座椅", "target": "座椅完好",
         "responsible_unit": org.unit_a.pk},
    )  # fmt: skip
    assert response.status_code == 302
    assert the_issue.items.get().measures == "更换座椅"
    response = client.post(reverse("rectification:issue-new"), {"title": ""})
    assert response.status_code == 400


def test_progress_close_out_and_verification_through_the_pages(client, org):
    it = item(org)
    url = lambda segment: reverse("rectification:item-action", args=[it.pk, segment])  # noqa: E731
    login(client, org.bob)
    response = client.post(
        url("progress"),
        {"progress-text": "已安排", "progress-percent": 60, "progress-files": [pdf()]},
    )
    assert response.status_code == 302
    response = client.post(url("request-close"), {"request-close-summary": "已整改"})
    assert response.status_code == 400  # no evidence
    assert "request-close" in [a["segment"] for a in response.context["actions"]]
    client.post(
        url("request-close"), {"request-close-summary": "已整改", "request-close-files": [pdf()]}
    )
    it.refresh_from_db()
    assert it.status == "close_requested"
    client.post(url("verify"), {"verify-decision": "accept"})  # refused: no rectification.verify
    it.refresh_from_db()
    assert it.status == "close_requested"
    login(client, org.alice)
    page = client.get(reverse("rectification:item", args=[it.pk]))
    assert [a["segment"] for a in page.context["actions"]] == ["verify", "public"]
    client.post(url("verify"), {"verify-decision": "reject", "verify-reason": "照片不清"})
    it.refresh_from_db()
    assert it.status == "in_progress" and it.reject_reason == "照片不清"
    page = client.get(reverse("rectification:item", args=[it.pk]))
    assert "照片不清" in page.content.decode()


def test_carol_cannot_post_actions_on_unit_a_items(client, org):
    it = item(org)
    login(client, org.carol)
    response = client.post(
        reverse("rectification:item-action", args=[it.pk, "progress"]),
        {"progress-text": "x", "progress-percent": 1},
    )
    assert response.status_code == 404
    assert RectificationItem.objects.get(pk=it.pk).status == "pending"


def test_spot_check_pages(client, org):
    for _ in range(3):
        closed_item(org)
    login(client, org.bob)
    assert client.get(reverse("rectification:spot-checks")).status_code == 403
    login(client, org.alice)
    response = client.post(reverse("rectification:spot-checks"), {"count": 2, "seed": 7})
    assert response.status_code == 302
    page = client.get(response["Location"])
    rows = page.context["rows"]
    assert len(rows) == 2
    target = rows[0].item
    response = client.post(
        reverse("rectification:spot-check-result", args=[page.context["check"].pk, target.pk]),
        {f"r{target.pk}-result": "inadequate", f"r{target.pk}-note": "仍有破损"},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.status == "reopened" and target.flagged


def test_import_page_runs_a_job_and_lists_row_errors(
    client, org, django_capture_on_commit_callbacks
):
    from .test_excel import row, workbook

    login(client, org.bob)
    data = workbook([row(责任单位="乙医院", 整改时限="2099-01-01")])
    upload = SimpleUploadedFile("ledger.xlsx", data)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("rectification:import"), {"file": upload})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.context["job"].status == Job.Status.FAILED
    assert "乙医院" in page.content.decode()
    partial = client.get(response["Location"], HTTP_HX_REQUEST="true")
    assert b'data-testid="job"' in partial.content and b"<html" not in partial.content
    response = client.post(reverse("rectification:import"), {"file": pdf()})
    assert response.status_code == 400


def test_export_page_produces_a_download(client, org, django_capture_on_commit_callbacks):
    item(org)
    login(client, org.bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("rectification:export"))
    job_url = response["Location"]
    job = client.get(job_url).context["job"]
    assert job.status == Job.Status.DONE
    download = client.get(reverse("rectification:job-download", args=[job.pk]))
    assert download.status_code == 200
    body = b"".join(download.streaming_content)
    from openpyxl import load_workbook

    assert load_workbook(io.BytesIO(body)).worksheets[0].max_row == 2
    login(client, org.carol)
    assert client.get(job_url).status_code == 404


def test_the_public_page_shows_published_items_without_personal_data(client, org):
    hidden = item(org, responsible_person=org.dave.person)
    shown = item(org, issue(org, title="门诊标识不清"), responsible_person=org.dave.person)
    services.item_set_public(item=shown, actor=org.alice, public=True)
    published_issue = issue(org, unit=org.unit_b, title="收费公示不全")
    via_issue = item(org, published_issue)
    services.issue_set_public(issue=published_issue, actor=org.alice, public=True)
    response = client.get(reverse("rectification_public:progress"))
    html = response.content.decode()
    assert response.status_code == 200
    assert shown.number in html and via_issue.number in html and hidden.number not in html
    assert "大卫" not in html and "门诊标识不清" in html
    response = client.get(reverse("rectification_public:progress"), {"unit": org.unit_b.pk})
    assert via_issue.number in response.content.decode()
    assert shown.number not in response.content.decode()
