"""Campaign pages: permission matrix (anonymous, no role, own unit, other unit, office; out of
scope = 404), the create form, the submission page (submit, return with reason), the matrix
export, and the target table's Excel round trip with row-level validation."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from xiaoneng.campaigns import excel, services
from xiaoneng.campaigns.models import Campaign, Submission, Target
from xiaoneng.core import clock
from xiaoneng.core.testing import PASSWORD

from .conftest import at

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _sub(campaign, unit, name="实施方案"):
    return Submission.objects.get(requirement__campaign=campaign, unit=unit, requirement__name=name)


@pytest.fixture
def city(org):
    """The 创建文明城市 template with its target table, for units A and B."""
    from xiaoneng.campaigns.models import CampaignTemplate

    made = services.campaign_create_from_template(
        actor=org.alice,
        template=CampaignTemplate.objects.get(code="wenming-chengshi"),
        year=2026,
        units=[org.unit_a, org.unit_b],
    )
    services.campaign_start(actor=org.alice, campaign=made)
    return made


def test_anonymous_users_are_sent_to_the_login_page(client, campaign):
    for url in (
        reverse("campaigns:list"),
        reverse("campaigns:detail", args=[campaign.pk]),
        reverse("campaigns:targets", args=[campaign.pk]),
        reverse("campaigns:submission", args=[_sub(campaign, campaign.units.first()).pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url


def test_the_page_matrix(client, org, campaign):
    sub_a, sub_b = _sub(campaign, org.unit_a), _sub(campaign, org.unit_b)
    pages = {
        "detail": reverse("campaigns:detail", args=[campaign.pk]),
        "targets": reverse("campaigns:targets", args=[campaign.pk]),
        "export": reverse("campaigns:matrix_export", args=[campaign.pk]),
        "sub_a": reverse("campaigns:submission", args=[sub_a.pk]),
        "sub_b": reverse("campaigns:submission", args=[sub_b.pk]),
        "review": reverse("campaigns:review", args=[campaign.pk]),
        "new": reverse("campaigns:new"),
    }
    expected = {
        "nobody": {
            "detail": 404,
            "targets": 404,
            "export": 404,
            "sub_a": 404,
            "sub_b": 404,
            "review": 404,
            "new": 403,
        },
        "bob": {
            "detail": 200,
            "targets": 200,
            "export": 200,
            "sub_a": 200,
            "sub_b": 404,
            "review": 403,
            "new": 403,
        },
        "carol": {
            "detail": 200,
            "targets": 200,
            "export": 200,
            "sub_a": 404,
            "sub_b": 200,
            "review": 403,
            "new": 403,
        },
        "alice": {
            "detail": 200,
            "targets": 200,
            "export": 200,
            "sub_a": 200,
            "sub_b": 200,
            "review": 200,
            "new": 200,
        },
    }
    for username, codes in expected.items():
        login(client, getattr(org, username))
        assert client.get(reverse("campaigns:list")).status_code == 200
        got = {name: client.get(url).status_code for name, url in pages.items()}
        assert got == codes, username


def test_the_list_opens_for_every_signed_in_user_and_shows_the_current_phase(client, org, campaign):
    with clock.frozen_now(at(dt.date(2027, 1, 10))):
        for user in (org.nobody, org.dave, org.leader, org.bob, org.alice):
            login(client, user)
            response = client.get(reverse("campaigns:list"))
            assert response.status_code == 200
        assert "分析检查阶段" in response.content.decode()
        login(client, org.bob)
        page = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert 'data-testid="current-phase">分析检查阶段' in page
    assert (
        "甲医院" in page
        and "乙医院" not in page.split('data-testid="matrix"')[1].split("</table>")[0]
    )


def test_the_office_creates_a_campaign_from_the_form(client, org, zuofeng):
    login(client, org.alice)
    bad = client.post(reverse("campaigns:new"), {"template": zuofeng.pk, "year": ""})
    assert bad.status_code == 400
    response = client.post(
        reverse("campaigns:new"),
        {"template": zuofeng.pk, "year": 2026, "units": [org.unit_a.pk, org.unit_b.pk]},
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{campaign.pk}/")
    assert campaign.units.count() == 2 and campaign.phases.count() == 4
    client.post(reverse("campaigns:action", args=[campaign.pk, "start"]))
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.ACTIVE
    login(client, org.bob)
    assert client.post(reverse("campaigns:action", args=[campaign.pk, "close"])).status_code == 403


def test_a_unit_submits_and_the_office_returns_with_a_reason(client, org, campaign):
    sub = _sub(campaign, org.unit_a)
    url = reverse("campaigns:submission", args=[sub.pk])
    login(client, org.bob)
    assert client.post(url, {"form": "submit", "text": ""}).status_code == 400
    upload = SimpleUploadedFile(
        "实施方案.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    )
    response = client.post(url, {"form": "submit", "text": "方案", "upload": upload})
    assert response.status_code == 302
    sub.refresh_from_db()
    assert sub.status in (Submission.Status.SUBMITTED, Submission.Status.LATE)
    assert sub.files.count() == 1
    assert client.post(url, {"form": "accept"}).status_code == 403
    login(client, org.alice)
    assert client.post(url, {"form": "return", "reason": ""}).status_code == 400
    response = client.post(url, {"form": "return", "reason": "缺少领导小组名单"})
    assert response.status_code == 302
    login(client, org.bob)
    page = client.get(url).content.decode()
    assert 'data-testid="return-reason">缺少领导小组名单' in page


def test_urge_from_the_campaign_page(client, org, campaign):
    login(client, org.alice)
    with clock.frozen_now(at(dt.date(2027, 1, 4))):
        response = client.post(reverse("campaigns:action", args=[campaign.pk, "urge"]), follow=True)
    assert response.status_code == 200
    assert "3" in [m.message for m in response.context["messages"]][0]


def test_the_matrix_exports_to_excel(client, org, campaign):
    login(client, org.alice)
    with clock.frozen_now(at(dt.date(2027, 1, 1))):
        response = client.get(reverse("campaigns:matrix_export", args=[campaign.pk]))
    wb = load_workbook(io.BytesIO(response.content))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert rows[1][1].startswith("实施方案")
    assert [r[0] for r in rows[2:]] == ["甲医院", "甲医院分院", "乙医院"]
    assert len(set(r[1] for r in rows[2:])) == 1  # all overdue the day after


def test_the_target_table_reimports_unchanged(org, city):
    services.measurement_record(
        actor=org.alice, target=city.targets.get(number="4"), period="2026-06", value=93.2
    )
    before = list(Target.objects.filter(campaign=city).values().order_by("id"))
    data = excel.targets_workbook(city)
    result = excel.targets_import(actor=org.alice, campaign=city, data=data)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 7)
    assert list(Target.objects.filter(campaign=city).values().order_by("id")) == before
    rows = list(load_workbook(io.BytesIO(data)).worksheets[0].iter_rows(values_only=True))
    assert rows[1][:4] == ("序号", "项目", "项目内容", "测评标准")
    row4 = next(r for r in rows if r[0] == "4")
    assert (row4[3], row4[10], row4[11]) == ("≥95%", "93.2", "否")


def test_a_bad_target_file_is_rejected_whole_with_rows_and_columns(org, city):
    wb = load_workbook(io.BytesIO(excel.targets_workbook(city)))
    ws = wb.worksheets[0]
    ws.cell(row=3, column=4, value="≥99%")  # a valid change on row 3
    ws.cell(row=4, column=5, value="电话抽查")  # unknown method
    ws.cell(row=5, column=7, value="丙医院")  # not a unit of the campaign
    ws.cell(row=6, column=3).value = None  # content missing
    ws.append(["1", "", "重复", "≥1"])  # repeated number
    buffer = io.BytesIO()
    wb.save(buffer)
    result = excel.targets_import(actor=org.alice, campaign=city, data=buffer.getvalue())
    found = {(e.row, e.column) for e in result.errors}
    assert found == {(4, "测评方法"), (5, "责任单位"), (6, "项目内容"), (10, "序号")}
    assert city.targets.get(number="1").standard == "≤15分钟"  # nothing was written


def test_import_and_measure_from_the_target_page(client, org, city):
    url = reverse("campaigns:targets", args=[city.pk])
    target = city.targets.get(number="5")
    services.target_update(actor=org.alice, target=target, responsible_unit=org.unit_a)
    login(client, org.bob)
    response = client.post(
        url, {"form": "measure", "target": target.pk, "period": "2026-06", "value": "79.5"}
    )
    assert response.status_code == 302
    assert target.measurements.get().met is False
    upload = SimpleUploadedFile("t.xlsx", excel.targets_workbook(city))
    assert client.post(url, {"form": "import", "file": upload}).status_code == 403
    other = city.targets.get(number="6")
    assert (
        client.post(
            url, {"form": "measure", "target": other.pk, "period": "1", "value": "2"}
        ).status_code
        == 403
    )
    login(client, org.alice)
    upload = SimpleUploadedFile("t.xlsx", excel.targets_workbook(city))
    response = client.post(url, {"form": "import", "file": upload}, follow=True)
    assert response.status_code == 200
    bad = SimpleUploadedFile("t.xlsx", b"not a workbook")
    assert client.post(url, {"form": "import", "file": bad}).status_code == 400


def test_progress_is_reported_from_the_campaign_page(client, org, campaign):
    task = campaign.key_tasks.get(number=3)
    url = reverse("campaigns:task_progress", args=[task.pk])
    login(client, org.carol)
    response = client.post(url, {"unit": org.unit_b.pk, "status": "done", "note": "已落实核心制度"})
    assert response.status_code == 302
    assert task.progress.get(unit=org.unit_b).status == "done"
    client.post(url, {"unit": org.unit_a.pk, "status": "done"})
    assert task.progress.get(unit=org.unit_a).status == "not_started"
    login(client, org.nobody)
    assert client.post(url, {"unit": org.unit_b.pk, "status": "done"}).status_code == 404


def test_the_archive_button_shows_for_drafters_and_starts_the_archive_job(client, org, campaign):
    archives = reverse("documents:archives")  # linked by URL name: campaigns does not import it
    detail = reverse("campaigns:detail", args=[campaign.pk])
    page = login(client, org.bob).get(detail).content.decode()
    assert 'data-testid="archive"' not in page  # a unit admin may not build archives
    client.logout()
    page = login(client, org.alice).get(detail).content.decode()
    assert 'data-testid="archive"' in page
    assert f'action="{archives}"' in page
    assert f'name="campaign" value="{campaign.pk}"' in page
    response = client.post(archives, {"campaign": campaign.pk})
    assert response.status_code == 302 and response.url == archives
    from xiaoneng.core.models import Job

    assert Job.objects.filter(created_by=org.alice).exists()
