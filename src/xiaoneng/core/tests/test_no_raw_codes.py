"""No page shows a raw code or a "---------" choice: timelines, histories and lists of the demo county (every app), as
the office, a hospital and a member of staff see them, contain no ASCII snake_case word and no
untranslated status value. The complaint timeline carries every event of the escalation ladder."""

from __future__ import annotations

import html
import re

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.urls import reverse

from xiaoneng.campaigns.models import Campaign, Submission
from xiaoneng.complaints.models import Complaint, ComplaintEvent, EscalationStep
from xiaoneng.core import clock
from xiaoneng.core.demo import load_demo_county
from xiaoneng.core.models import AuditRecord, Department, Person, Unit, User
from xiaoneng.core.vocabulary import ACTION_LABELS
from xiaoneng.rectification.models import Issue, RectificationItem
from xiaoneng.selfcheck.models import ChecklistAssignment
from xiaoneng.supervision.models import Report as SupervisorReport
from xiaoneng.supervision.models import Supervisor

SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
WORD = re.compile(r"\b[a-z]{3,}\b")
HIDDEN = re.compile(r"<(script|style|code)\b.*?</\1>", re.S | re.I)
TAG = re.compile(r"<[^>]+>")
URLISH = re.compile(r"\S+@\S+|https?://\S+|/[\w/.-]+")


def visible_text(page: str) -> str:
    text = TAG.sub(" ", HIDDEN.sub(" ", page))
    return URLISH.sub(" ", html.unescape(text))


def status_codes() -> set[str]:
    """Every stored choice value of the project's models that is a lowercase word."""
    codes: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("xiaoneng."):
            continue
        for field in model._meta.get_fields():
            for value, _label in getattr(field, "flatchoices", None) or []:
                if isinstance(value, str) and WORD.fullmatch(value):
                    codes.add(value)
    return codes | {c for c in ACTION_LABELS if WORD.fullmatch(c)}


@pytest.fixture(scope="module")
def county(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        assert load_demo_county() is True
        complaint = Complaint.objects.exclude(unit=None).order_by("id").first()
        now = clock.now()
        for kind, _label in EscalationStep.Kind.choices:  # the whole ladder on one timeline
            EscalationStep.objects.create(
                complaint=complaint, kind=kind, key=f"test-{kind}", at=now, reason="测试"
            )
            ComplaintEvent.objects.create(
                complaint=complaint,
                at=now,
                actor_name="系统",
                action=kind,
                from_status=complaint.status,
                to_status=complaint.status,
                note="测试",
            )
        yield complaint
        transaction.set_rollback(True)


def pages(complaint) -> list[str]:
    first = lambda model, **kw: model.objects.filter(**kw).order_by("id").first()  # noqa: E731
    item = first(RectificationItem)
    campaign = first(Campaign)
    assignment = first(ChecklistAssignment)
    submission = first(Submission)
    return [
        reverse("home"),
        reverse("inbox"),
        reverse("notification-preferences"),
        reverse("complaints:queue"),
        reverse("complaints:unit"),
        reverse("complaints:mine"),
        reverse("complaints:duplicates"),
        reverse("complaints:new"),
        reverse("complaints:detail", args=[complaint.pk]),
        reverse("complaints:detail", args=[complaint.pk]) + "?tab=history",
        *[
            reverse("complaints:detail", args=[pk])
            for pk in Complaint.objects.order_by("-id").values_list("pk", flat=True)[:5]
        ],
        reverse("rectification:ledger"),
        reverse("rectification:ledger") + "?by=source",
        reverse("rectification:issue", args=[first(Issue).pk]),
        reverse("rectification:item", args=[item.pk]),
        reverse("rectification:item", args=[item.pk]) + "?tab=history",
        reverse("rectification:spot-checks"),
        reverse("campaigns:list"),
        reverse("campaigns:new"),
        reverse("campaigns:detail", args=[campaign.pk]),
        reverse("campaigns:review", args=[campaign.pk]),
        reverse("campaigns:targets", args=[campaign.pk]),
        reverse("campaigns:submission", args=[submission.pk]),
        reverse("campaigns:new_blank"),
        reverse("campaigns:edit", args=[campaign.pk]),
        reverse("campaigns:setup", args=[campaign.pk]),
        reverse("supervision:mine"),
        reverse("supervision:new"),
        reverse("supervision:roster"),
        reverse("supervision:triage_list"),
        *[
            reverse("supervision:report", args=[pk])
            for pk in SupervisorReport.objects.values_list("pk", flat=True)
        ],
        reverse("supervision:triage", args=[first(SupervisorReport).pk]),
        reverse("supervision:supervisor", args=[first(Supervisor).pk]),
        reverse("selfcheck:mine"),
        reverse("selfcheck:assignments"),
        reverse("selfcheck:assignment", args=[assignment.pk]),
        reverse("selfcheck:commitments"),
        reverse("selfcheck:learning"),
        reverse("selfcheck:compliance"),
        reverse("selfcheck:activities"),
        reverse("selfcheck:register"),
        reverse("org:units"),
        reverse("org:unit", args=[first(Unit).pk]),
        reverse("org:departments"),
        reverse("org:department", args=[first(Department).pk]),
        reverse("org:people"),
        reverse("org:person", args=[first(Person).pk]),
        reverse("org:calendar"),
        reverse("org:audit"),
        # the history of every kind of object, with its before/after values
        *[
            reverse("org:audit") + f"?object_type={kind}"
            for kind in AuditRecord.objects.order_by("object_type")
            .values_list("object_type", flat=True)
            .distinct()
        ],
    ]


@pytest.mark.parametrize("username", ["admin", "hosp1", "staff1", "supervisor1"])
def test_no_page_shows_a_raw_code(county, db, username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    codes = status_codes()
    found: dict[str, set[str]] = {}
    for url in pages(county):
        response = client.get(url)
        if response.status_code != 200:
            continue  # out of this user's scope (404) or not theirs (403)
        page = response.content.decode()
        text = visible_text(page)
        bad = set(SNAKE.findall(text)) | (set(WORD.findall(text)) & codes)
        if ">---------<" in page:
            bad.add("---------")  # an empty choice must say what it means (全部 / 请选择…)
        if bad:
            found[url] = bad
    assert found == {}, "\n".join(f"{u}: {sorted(b)}" for u, b in found.items())


def test_the_complaint_timeline_names_every_rung_of_the_ladder(county, db):
    client = Client()
    client.force_login(User.objects.get(username="office"))
    page = client.get(reverse("complaints:detail", args=[county.pk])).content.decode()
    for kind, label in EscalationStep.Kind.choices:
        assert f'data-action="{kind}"' in page
        assert str(label) in page
