"""The evaluation pages as a user drives them: forms create through the services, QR sheets and
PNGs, the public answer and ballot pages (errors, thanks, refusals), exports, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from xiaoneng.core.clock import frozen_now
from xiaoneng.core.spreadsheet import read_xlsx
from xiaoneng.evaluations.models import EvaluationRound, Response, Survey
from xiaoneng.evaluations.services import ethics as ethics_services
from xiaoneng.evaluations.services import rounds as round_services

from .conftest import DURING, GROUPS, answers, at, batch
from .test_rounds import ranking_round

pytestmark = pytest.mark.django_db


def test_the_office_creates_a_survey_with_an_extra_question(org, client):
    client.force_login(org.alice)
    response = client.post(
        reverse("evaluations:survey-new"),
        {
            "title": "窗口服务满意度", "units": [org.unit_a.pk, org.unit_b.pk],
            "opens_at": "2026-11-01T08:00", "closes_at": "2026-11-30T18:00",
            "q1_kind": "single", "q1_text": "导诊服务", "q1_options": "好；一般;差",
        },
    )  # fmt: skip
    survey = Survey.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/surveys/{survey.pk}/")
    assert [(q.kind, q.options) for q in survey.questions.all()] == [
        ("satisfaction", []),
        ("single", ["好", "一般", "差"]),
    ]


def test_a_bad_survey_form_keeps_what_was_typed_and_names_the_errors(org, client):
    client.force_login(org.alice)
    response = client.post(
        reverse("evaluations:survey-new"),
        {"title": "窗口服务满意度", "units": [org.unit_a.pk], "opens_at": "2026-11-30T08:00",
         "closes_at": "2026-11-01T18:00", "q1_kind": "multiple", "q1_text": "哪些", "q1_options": "只有一个"},
    )  # fmt: skip
    text = response.content.decode()
    assert response.status_code == 200 and 'value="窗口服务满意度"' in text
    assert "截止时间必须晚于开始时间" in text or "The close date" in text
    assert not Survey.objects.exists()


def test_the_office_creates_a_round_of_department_heads(org, client):
    client.force_login(org.alice)
    response = client.post(
        reverse("evaluations:round-new"),
        {
            "title": "科室负责人评议", "series": "科室负责人", "period_label": "2026年第四季度",
            "starts_on": "2026-10-01", "ends_on": "2026-12-31", "subject_kind": "person",
            "people": [org.erin.person.pk], "apply_ranking": "on",
            "group1_name": "服务对象", "group1_weight": "40", "group2_name": "行风监督员",
            "group2_weight": "30", "group3_name": "同级互评", "group3_weight": "30",
        },
    )  # fmt: skip
    made = EvaluationRound.objects.get()
    assert response.status_code == 302
    subject = made.subjects.get()
    assert subject.person == org.erin.person and subject.post == "急诊科负责人"


def test_links_make_a_printable_qr_sheet_and_pngs(org, survey, client):
    client.force_login(org.bob)
    response = client.post(
        reverse("evaluations:survey-batch-new", args=[survey.pk]),
        {"unit": org.unit_a.pk, "department": org.dept_a1.pk, "channel": "token", "size": 3},
    )
    assert response.status_code == 302 and "/links/" in response["Location"]
    sheet = client.get(response["Location"])
    assert sheet.content.decode().count("<svg") == 3
    made = survey.batches.get()
    token = made.tokens.first().token
    png = client.get(reverse("evaluations:survey-qr-png", args=[survey.pk, made.pk, token]))
    assert png["Content-Type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_public_page_names_missing_answers_then_thanks_then_refuses(org, survey, client):
    link = batch(org, survey, org.unit_a, 1).tokens.get()
    url = reverse("evaluations_public:answer", args=[link.token])
    q = {x.kind: x for x in survey.questions.all()}
    with frozen_now(DURING):
        missing = client.post(url, {f"q{q['scale'].pk}": "3"})
        assert missing.status_code == 400 and "请回答此题" in missing.content.decode()
        data = {f"q{k}": v for k, v in answers(survey).items()}
        done = client.post(url, data)
        assert done.status_code == 200 and "匿名记录" in done.content.decode()
        again = client.post(url, data)
    assert again.status_code == 409 and "已使用" in again.content.decode()
    assert Response.objects.count() == 1


def test_the_public_page_refuses_after_the_close_date(org, survey, client):
    link = batch(org, survey, org.unit_a, 1).tokens.get()
    with frozen_now(at(2026, 12, 1, 9)):
        page = client.get(reverse("evaluations_public:answer", args=[link.token]))
    assert "已于2026-11-30 18:00截止" in page.content.decode()


def test_the_ballot_page_votes_once(org, client):
    made = round_services.round_create(
        actor=org.alice, title="评议", series="评议", subject_kind="unit", period_label="2026",
        starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 3, 31), groups=GROUPS,
        units=[org.unit_a, org.unit_b],
    )  # fmt: skip
    round_services.round_open(actor=org.alice, round=made)
    link = round_services.tokens_create(
        actor=org.alice, round=made, group=made.groups.first(), count=1
    )[0]
    url = reverse("evaluations_public:ballot", args=[link.token])
    subject = made.subjects.get(unit=org.unit_a)
    assert "甲医院" in client.get(url).content.decode()
    assert client.post(url, {f"s{subject.pk}": "satisfied"}).status_code == 200
    assert client.post(url, {f"s{subject.pk}": "satisfied"}).status_code == 409
    assert made.ballots.count() == 1


def test_ethics_export_and_print(org, client):
    with frozen_now(at(2026, 12, 1, 9)):
        file = ethics_services.file_create(actor=org.bob, person=org.dave.person, year=2026)
    ethics_services.file_grade(actor=org.bob, file=file, grade="good")
    client.force_login(org.bob)
    export = client.get(reverse("evaluations:ethics-export") + "?year=2026")
    rows = list(read_xlsx(export.content))
    assert rows[1][:4] == [2026, "甲医院", "急诊科", "大卫"] and rows[1][11] == "良好"
    printed = client.get(reverse("evaluations:ethics-print", args=[file.pk])).content.decode()
    assert "大卫" in printed and "良好" in printed
    client.force_login(org.carol)
    assert len(list(read_xlsx(client.get(reverse("evaluations:ethics-export")).content))) == 1


def test_list_pages_run_a_bounded_number_of_queries(org, client, django_assert_max_num_queries):
    ranking_round(org)
    with frozen_now(at(2026, 12, 1, 9)):
        ethics_services.files_open_for_unit(actor=org.alice, unit=org.unit_a, year=2026)
    client.force_login(org.alice)
    for name in (
        "evaluations:consequences",
        "evaluations:ethics",
        "evaluations:rounds",
        "evaluations:home",
    ):
        with django_assert_max_num_queries(20):
            assert client.get(reverse(name)).status_code == 200


def test_the_survey_page_filters_rates_by_period(org, survey, client):
    from .test_surveys import fixture_rates

    fixture_rates(org, survey)
    client.force_login(org.alice)
    url = reverse("evaluations:survey", args=[survey.pk])
    whole = client.get(url).content.decode()
    late = client.get(url + "?by=unit&start=2026-11-15").content.decode()
    assert "57.14%" in whole and "57.14%" not in late
    assert client.get(url + "?start=garbage").status_code == 200


def test_rates_and_links_export_to_excel(org, survey, client):
    from .test_surveys import fixture_rates

    fixture_rates(org, survey)
    client.force_login(org.carol)  # unit B sees its own row only
    rows = list(
        read_xlsx(client.get(reverse("evaluations:survey-export", args=[survey.pk])).content)
    )
    assert [r[0] for r in rows[1:]] == ["乙医院"] and rows[1][-1] == 33.33
    made = survey.batches.get(unit=org.unit_b)
    links = list(
        read_xlsx(
            client.get(
                reverse("evaluations:survey-links-export", args=[survey.pk, made.pk])
            ).content
        )
    )
    assert len(links) == 4 and "/public/evaluation/s/" in links[1][1]
