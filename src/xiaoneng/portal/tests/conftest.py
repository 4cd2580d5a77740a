"""Fixtures of the public site's tests: a clean rate-limit cache, uploads in a temp directory,
the captcha answer through the test hook, and helpers to move a case through the engine."""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from PIL import Image

from xiaoneng.complaints import services as engine
from xiaoneng.complaints.models import Category
from xiaoneng.portal import captcha

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def category(db) -> Category:
    return Category.objects.get_or_create(code="other", defaults={"name": "其他"})[0]


def jpeg_with_gps(colour: str = "red") -> bytes:
    img = Image.new("RGB", (32, 24), colour)
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    exif[0x8825] = {1: "N", 2: (30.0, 15.0, 0.0), 3: "E", 4: (114.0, 17.0, 0.0)}
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def captcha_answer(client) -> str:
    """Load the captcha picture like a browser and read its answer through the test hook."""
    response = client.get(reverse("portal:captcha"))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    return captcha.answer_for_tests(client.session.session_key)


def form_data(org, category, /, **overrides) -> dict:
    data = {
        "type": "complaint",
        "category": category.code,
        "unit": org.unit_a.pk,
        "department": "",
        "title": "",
        "content": "挂号窗口工作人员态度恶劣，拒绝解答问题。",
        "name": "张三",
        "phone": "13800138000",
        "consent_publish": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def replied(complaint, org, reply="已核实，已对当事人批评教育并整改。"):
    """Office accepts and dispatches to unit A; bob signs and replies."""
    if complaint.status == "registered":
        engine.complaint_accept(complaint=complaint, actor=org.alice)
    engine.complaint_dispatch(complaint=complaint, actor=org.alice, unit=org.unit_a)
    engine.complaint_sign(complaint=complaint, actor=org.bob)
    engine.complaint_reply(complaint=complaint, actor=org.bob, content=reply)
    complaint.refresh_from_db()
    return complaint
