"""Issue 21 item 1: the tracking code alone never changes a case from the public side. Rating (and
the redo request that comes with it) needs a second complainant secret: the rating key printed
only on the receipt, or for a named case the last four digits of the phone."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xiaoneng.complaints import services as engine
from xiaoneng.complaints.models import Complaint
from xiaoneng.complaints.vocab import Satisfaction, Status
from xiaoneng.core.errors import ValidationFailed
from xiaoneng.portal import services
from xiaoneng.portal.models import PublicFeedback

from .conftest import captcha_answer, form_data, replied

pytestmark = pytest.mark.django_db


def anonymous_case(org, category) -> Complaint:
    return engine.complaint_register(
        actor=None,
        channel="web",
        type="complaint",
        category=category,
        subject_unit=org.unit_a,
        title="态度差",
        content="窗口态度差",
        complainant={"anonymous": True},
    )


def track(client, code, digits=""):
    return client.post(reverse("portal:track"), {"code": code, "phone_last4": digits})


def rate(client, complaint, **extra):
    data = {"satisfaction": Satisfaction.SATISFIED, "comment": "", **extra}
    return client.post(reverse("portal:rate", args=[complaint.tracking_code]), data)


def test_the_tracking_code_alone_cannot_rate_an_anonymous_case(client, org, category):
    """The probe's attack: whoever holds the code (say the unit that handled the case) rates it."""
    complaint = replied(anonymous_case(org, category), org)
    engine.complaint_verify(complaint=complaint, actor=org.alice, result="true")
    track(client, complaint.tracking_code)
    page = client.get(reverse("portal:case", args=[complaint.tracking_code]))
    assert 'data-testid="rating-key-field"' in page.content.decode()

    response = rate(client, complaint, redo="on", satisfaction=Satisfaction.UNSATISFIED)
    assert response.status_code == 400
    response = rate(client, complaint, rating_key="ABCDEFGH")
    assert response.status_code == 400
    assert "rating_key" in response.context["rate_form"].errors
    assert not PublicFeedback.objects.exists()
    complaint.refresh_from_db()
    assert complaint.status == Status.VERIFIED and complaint.satisfaction == ""


def test_the_complainant_rates_with_the_key_from_the_receipt(client, org, category):
    complaint = replied(anonymous_case(org, category), org)
    key = engine.receipt_secrets(complaint)["rating_key"]
    track(client, complaint.tracking_code)
    response = rate(client, complaint, rating_key=key.lower())
    assert response.status_code == 302
    assert PublicFeedback.objects.get(complaint=complaint).satisfaction == Satisfaction.SATISFIED


def test_the_receipt_page_shows_the_rating_key_and_the_submitter_need_not_type_it(
    client, org, category
):
    data = form_data(org, category, anonymous="on", name="", phone="")
    data["captcha"] = captcha_answer(client)
    assert client.post(reverse("portal:submit"), data).status_code == 302
    receipt = client.get(reverse("portal:submitted"))
    complaint = Complaint.objects.get()
    key = receipt.context["case"]["rating_key"]
    assert engine.rating_key_matches(complaint, key)
    assert f'data-testid="rating-key">{key}<' in receipt.content.decode()

    replied(complaint, org)
    page = client.get(reverse("portal:case", args=[complaint.tracking_code]))
    assert 'data-testid="rating-key-field"' not in page.content.decode()
    assert rate(client, complaint).status_code == 302
    assert PublicFeedback.objects.filter(complaint=complaint).exists()


def test_a_named_case_is_rated_after_tracking_with_the_phone_digits(client, org, category):
    complaint = engine.complaint_register(
        actor=None,
        channel="web",
        type="complaint",
        category=category,
        subject_unit=org.unit_a,
        title="态度差",
        content="窗口态度差",
        complainant={"name": "王五", "phone": "13712345678"},
    )
    replied(complaint, org)
    assert track(client, complaint.tracking_code, "5678").status_code == 302
    page = client.get(reverse("portal:case", args=[complaint.tracking_code]))
    assert 'data-testid="rating-key-field"' not in page.content.decode()
    assert rate(client, complaint).status_code == 302
    assert PublicFeedback.objects.filter(complaint=complaint).exists()


def test_the_service_itself_refuses_a_rating_without_a_second_secret(org, category):
    complaint = replied(anonymous_case(org, category), org)
    with pytest.raises(ValidationFailed):
        services.public_rate(complaint=complaint, satisfaction=Satisfaction.SATISFIED)
    with pytest.raises(ValidationFailed):
        services.public_rate(
            complaint=complaint,
            satisfaction=Satisfaction.SATISFIED,
            rating_key=complaint.tracking_code,
        )
    assert not PublicFeedback.objects.exists()


def test_the_public_api_receipt_carries_the_rating_key(api, org, category):
    response = api.post(
        "/api/v1/public/complaints",
        {
            "type": "complaint",
            "category": category.code,
            "unit": org.unit_a.pk,
            "content": "窗口态度差，拒绝解答。",
            "anonymous": True,
        },
        format="json",
    )
    assert response.status_code == 201
    complaint = Complaint.objects.get()
    assert engine.rating_key_matches(complaint, response.data["rating_key"])
    # Tracking never returns it.
    tracked = api.get(f"/api/v1/public/complaints/{complaint.tracking_code}")
    assert "rating_key" not in tracked.json()
