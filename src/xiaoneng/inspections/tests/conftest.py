from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from xiaoneng.complaints.models import Category
from xiaoneng.core.files import store_upload
from xiaoneng.core.services import org as org_services
from xiaoneng.core.testing import make_user
from xiaoneng.inspections import services
from xiaoneng.inspections.vocab import PlanKind
from xiaoneng.selfcheck.models import ChecklistTemplate


def png_upload(name: str = "site.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def stored_png(user):
    return store_upload(upload=png_upload(), actor=user)


@dataclass
class Squad:
    ins_bureau: object  # user, inspector of the bureau
    ins_b: object  # user, inspector working in unit B
    ins_a: object  # user, inspector working in unit A (never inspects A)


@pytest.fixture
def squad(org) -> Squad:
    def inspector(username, name, unit):
        person = org_services.person_create(actor=None, check=False, name=name, unit=unit)
        return make_user(username, person, "inspector")

    return Squad(
        ins_bureau=inspector("ivan", "伊万", org.bureau),
        ins_b=inspector("judy", "朱迪", org.unit_b),
        ins_a=inspector("kim", "金", org.unit_a),
    )


@pytest.fixture
def template(db):
    return ChecklistTemplate.objects.filter(is_active=True).order_by("pk").first()


@pytest.fixture
def category(db):
    return Category.objects.filter(is_active=True).order_by("pk").first()


def make_plan(org, squad, *, kind=PlanKind.OPEN, template=None, **extra):
    values = {
        "actor": org.alice,
        "name": "医德医风明查",
        "kind": kind,
        "starts_on": __import__("datetime").date(2026, 3, 1),
        "ends_on": __import__("datetime").date(2026, 12, 31),
        "units": [org.unit_a, org.unit_b],
        "template": template,
        "team": [squad.ins_bureau.person],
        "inspector_pool": [p.person for p in (squad.ins_bureau, squad.ins_b, squad.ins_a)],
        "inspector_count": 1,
    } | extra
    return services.plan_create(**values)


@pytest.fixture
def plan_factory(org, squad, template):
    def build(**extra):
        extra.setdefault("template", template)
        return make_plan(org, squad, **extra)

    return build


@pytest.fixture
def visit_a(org, squad, plan_factory):
    """A visit of unit A by the bureau inspector (added by hand)."""
    plan = plan_factory()
    return services.visit_create(
        actor=org.alice,
        plan=plan,
        unit=org.unit_a,
        scheduled_on=plan.starts_on,
        team=[squad.ins_bureau.person],
    )


@pytest.fixture
def secret_visit_a(org, squad, plan_factory):
    plan = plan_factory(kind=PlanKind.UNANNOUNCED, name="窗口服务暗访")
    return services.visit_create(
        actor=org.alice,
        plan=plan,
        unit=org.unit_a,
        scheduled_on=plan.starts_on,
        team=[squad.ins_bureau.person],
    )
