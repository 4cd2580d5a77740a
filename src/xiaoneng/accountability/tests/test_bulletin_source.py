"""Accountability cases as typical cases of an exposure bulletin (issue #14): the composer
lists decided cases (through the inspections source registry, no import cycle), the
published bulletin shows the case, and personal names only where the approver ticked them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from xiaoneng.accountability.services import cases
from xiaoneng.accountability.vocab import SubjectRole
from xiaoneng.core.models import Role
from xiaoneng.core.testing import make_user
from xiaoneng.inspections import bulletin_sources, services

from .helpers import failed_spot_check, measure

pytestmark = pytest.mark.django_db


@pytest.fixture
def approver(org):
    user = make_user("approver", None)
    user.roles.set(Role.objects.filter(code="leader"))
    return user


def _decided_case(org, title: str):
    case = failed_spot_check(org)
    case.title = title
    case.summary = f"{title}：虚假整改"
    case.save(update_fields=["title", "summary"])
    for step in ("review", "file", "investigate"):
        cases.transition(case, step, actor=org.alice)
    for subject in case.subjects.all():
        code = "circulated_criticism" if subject.role == SubjectRole.DIRECT else "reminder_talk"
        cases.subject_update(
            subject=subject, actor=org.alice, finding="未落实", measure=measure(code)
        )
    cases.transition(case, "propose", actor=org.alice, note="通报批评")
    return cases.transition(case, "approve", actor=org.leader, note="同意")


def test_accountability_registers_a_bulletin_source():
    source = bulletin_sources.get("accountability")
    assert source is not None and source.key == "accountability"


def test_the_composer_lists_decided_cases_only(org, client):
    decided = _decided_case(org, "甲院虚假整改案")
    open_case = failed_spot_check(org)
    client.force_login(org.alice)
    html = client.get(reverse("inspections:bulletin-new")).content.decode()
    assert 'data-testid="candidate-accountability"' in html
    assert decided.number in html
    assert open_case.number not in html  # only a decision may be exposed


def test_a_bulletin_with_an_accountability_case_names_only_with_the_tick(org, client, approver):
    named = _decided_case(org, "甲院虚假整改案")
    unnamed = _decided_case(org, "甲院应付整改案")
    client.force_login(org.alice)
    response = client.post(reverse("inspections:bulletin-new"), {
        "title": "第二期曝光", "period_start": "2026-01-01", "period_end": "2026-12-31",
        "source-accountability": [named.pk, unnamed.pk]})  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    bulletin = services.bulletins.Bulletin.objects.get(title="第二期曝光")
    entries = {e.title: e for e in bulletin.entries.all()}
    assert entries["甲院虚假整改案"].source == named  # linked to the case it came from
    assert org.dave.person.name in entries["甲院虚假整改案"].names
    services.bulletin_submit(actor=org.alice, bulletin=bulletin)
    services.bulletin_approve(actor=approver, bulletin=bulletin,
                              names_for=[entries["甲院虚假整改案"].pk])  # fmt: skip
    services.bulletin_publish(actor=org.alice, bulletin=bulletin)
    page = Client().get(reverse("inspections_public:bulletin", args=[bulletin.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "甲院虚假整改案" in html and "甲院应付整改案" in html
    assert named.number in html  # the handling names the case and its measures
    assert html.count(org.dave.person.name) == 1  # in the ticked case only
    staff = client.get(reverse("inspections:bulletin", args=[bulletin.pk])).content.decode()
    assert "甲院应付整改案" in staff


def test_the_api_composes_from_cases_the_user_may_see(org, api_as):
    case = _decided_case(org, "甲院虚假整改案")
    body = {"title": "通报", "period_start": "2026-01-01", "period_end": "2026-12-31"}
    created = api_as(org.alice).post(
        "/api/v1/bulletins", body | {"sources": {"accountability": [case.pk]}}, format="json"
    )
    assert created.status_code == 201, created.json()
    entry = created.json()["entries"][0]
    assert entry["source"] == "accountability.case" and entry["source_id"] == case.pk
    unknown = api_as(org.alice).post(
        "/api/v1/bulletins", body | {"sources": {"accountability": [case.pk + 999]}}, format="json"
    )
    assert unknown.status_code == 400
