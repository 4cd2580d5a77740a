"""The public site's pages: home, the complaint form (validation, captcha, uploads), the receipt,
tracking (with and without the phone digits), what the public never sees, rating and redo."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from PIL import Image

from xiaoneng.complaints import services as engine
from xiaoneng.complaints.models import ComplainantIdentity, Complaint, ComplaintEvent
from xiaoneng.complaints.vocab import Satisfaction, Status
from xiaoneng.core import audit
from xiaoneng.core.models import AuditRecord, Message
from xiaoneng.portal import captcha, selectors
from xiaoneng.portal.models import PublicFeedback, SupervisionChannel
from xiaoneng.selfcheck.models import Commitment

from .conftest import PDF, captcha_answer, form_data, jpeg_with_gps, replied

pytestmark = pytest.mark.django_db


def post_form(client, org, category, /, *, files=(), answer=None, **overrides):
    data = form_data(org, category, **overrides)
    data["captcha"] = captcha_answer(client) if answer is None else answer
    if files:
        data["attachments"] = list(files)
    return client.post(reverse("portal:submit"), data)


def only_complaint() -> Complaint:
    assert Complaint.objects.count() == 1
    return Complaint.objects.get()


# --- home -------------------------------------------------------------------------------------
def test_the_home_page_shows_the_seeded_channels_and_links_without_login(client, org):
    assert SupervisionChannel.objects.filter(kind="phone").exists()  # seeded by migration
    SupervisionChannel.objects.create(kind="phone", name="纪检监督电话", value="0371-1234567")
    SupervisionChannel.objects.create(kind="email", name="旧邮箱", value="old@x", is_active=False)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "0371-1234567" in html and 'href="tel:03711234567"' in html
    assert "old@x" not in html
    assert reverse("portal:submit") in html and reverse("portal:track") in html
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html
    assert "cdn" not in html.lower()


@pytest.mark.parametrize(
    ("language", "words"),
    [("zh-hans", ["曝光通报", "整改进展", "满意率公示"]),
     ("en", ["Exposure bulletins", "Rectification progress", "Satisfaction rates"])],
)  # fmt: skip
def test_the_public_nav_links_every_public_page(client, org, language, words):
    client.cookies["django_language"] = language
    html = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for testid, url in (("nav-bulletins", "/public/bulletins/"),
                        ("nav-progress", "/public/progress/"),
                        ("nav-evaluation", "/public/evaluation/")):  # fmt: skip
        assert f'href="{url}" data-testid="{testid}"' in html
        assert client.get(url).status_code == 200
    for word in words:
        assert f"<span>{word}</span>" in html


def test_public_commitments_name_the_person_only_with_consent(client, org):
    common = {"unit": org.unit_a, "committed_on": dt.date(2026, 3, 1), "audience": "website"}
    now = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    Commitment.objects.create(
        person=org.dave.person,
        person_consents=True,
        is_public=True,
        content="微笑服务",
        created_at=now,
        **common,
    )
    Commitment.objects.create(
        person=org.erin.person,
        person_consents=False,
        is_public=True,
        content="限时办结",
        created_at=now,
        **common,
    )
    Commitment.objects.create(is_public=False, content="内部承诺", created_at=now, **common)
    html = client.get(reverse("portal:home")).content.decode()
    assert "微笑服务" in html and "限时办结" in html and "内部承诺" not in html
    assert org.dave.person.name in html
    assert org.erin.person.name not in html


# --- the form ---------------------------------------------------------------------------------
def test_a_named_complaint_is_registered_through_the_engine(client, org, category):
    response = post_form(client, org, category, department=org.dept_a1.pk, consent_publish="on")
    assert response.status_code == 302 and response["Location"] == reverse("portal:submitted")
    complaint = only_complaint()
    assert complaint.channel == "web" and complaint.registered_by is None
    assert complaint.subject_unit == org.unit_a and complaint.subject_department == org.dept_a1
    assert complaint.title == "挂号窗口工作人员态度恶劣，拒绝解答问题。"
    assert not complaint.anonymous and complaint.consent_publish
    # The identity is encrypted by the engine: nothing readable in the table.
    identity = complaint.identity
    assert identity.phone_last4 == "8000"
    assert "13800138000" not in identity.phone_enc and "张三" not in identity.name_enc

    page = client.get(reverse("portal:submitted"))
    html = page.content.decode()
    assert complaint.number in html and complaint.tracking_code in html
    # The time limit in plain words, from the case's time rule (the default: 7 working days).
    assert complaint.sla_policy.resolve_value == 7
    with translation.override("zh-hans"):
        assert escape(selectors.time_limit_text(complaint)) in html


def test_an_anonymous_complaint_keeps_no_identity_and_warns(client, org, category):
    page = client.get(reverse("portal:submit"))
    assert 'data-testid="anonymous-warning"' in page.content.decode()
    response = post_form(client, org, category, anonymous="on", name="", phone="")
    assert response.status_code == 302
    complaint = only_complaint()
    assert complaint.anonymous
    assert not ComplainantIdentity.objects.filter(complaint=complaint).exists()


def test_anonymous_drops_a_name_and_phone_typed_before_ticking_it(client, org, category):
    post_form(client, org, category, anonymous="on")
    complaint = only_complaint()
    assert complaint.anonymous
    assert not ComplainantIdentity.objects.filter(complaint=complaint).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"phone": ""}, "phone"),
        ({"content": ""}, "content"),
        ({"category": "no-such"}, "category"),
        ({"unit": "999999"}, "unit"),
        ({"type": "praise"}, "type"),
    ],
)
def test_invalid_input_is_refused_with_the_field_named(client, org, category, overrides, field):
    response = post_form(client, org, category, **overrides)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Complaint.objects.count() == 0


def test_a_department_of_another_unit_is_refused(client, org, category):
    response = post_form(client, org, category, department=org.dept_b1.pk)
    assert "department" in response.context["form"].errors
    assert Complaint.objects.count() == 0


def test_an_inactive_unit_is_not_offered(client, org, category):
    org.unit_b.is_active = False
    org.unit_b.save()
    page = client.get(reverse("portal:submit"))
    assert org.unit_b.name not in page.content.decode()
    response = post_form(client, org, category, unit=org.unit_b.pk)
    assert "unit" in response.context["form"].errors


# --- captcha ----------------------------------------------------------------------------------
def test_a_wrong_captcha_is_refused(client, org, category):
    answer = captcha_answer(client)
    response = post_form(client, org, category, answer=str(int(answer) + 1))
    assert "captcha" in response.context["form"].errors
    assert Complaint.objects.count() == 0


def test_a_captcha_answer_works_once(client, org, category):
    answer = captcha_answer(client)
    assert post_form(client, org, category, answer=answer).status_code == 302
    again = post_form(client, org, category, answer=answer)
    assert "captcha" in again.context["form"].errors
    assert Complaint.objects.count() == 1


def test_without_a_picture_there_is_nothing_to_answer(client, org, category):
    response = post_form(client, org, category, answer="5")
    assert "captcha" in response.context["form"].errors


def test_a_captcha_expires(client, org, category):
    from xiaoneng.core.clock import frozen_now

    answer = captcha_answer(client)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=captcha.TTL_SECONDS + 5)
    with frozen_now(later):
        response = post_form(client, org, category, answer=answer)
    assert "captcha" in response.context["form"].errors


def test_the_answer_is_kept_hashed_in_the_session(client, org, category):
    answer = captcha_answer(client)
    stored = client.session[captcha.SESSION_KEY]
    assert answer not in stored.values() and len(stored["hash"]) == 64


def test_the_test_hook_refuses_outside_the_test_environment(settings):
    settings.TESTING = False
    with pytest.raises(RuntimeError):
        captcha.answer_for_tests("anything")


def test_the_picture_is_a_png():
    data = captcha.render("7 + 5 = ?")
    with Image.open(io.BytesIO(data)) as img:
        assert img.format == "PNG" and img.size == (captcha.WIDTH, captcha.HEIGHT)


# --- uploads ----------------------------------------------------------------------------------
def test_a_photo_loses_its_exif_location(client, org, category):
    photo = SimpleUploadedFile("photo.jpg", jpeg_with_gps(), content_type="image/jpeg")
    pdf = SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf")
    assert post_form(client, org, category, files=[photo, pdf]).status_code == 302
    complaint = only_complaint()
    stored = {f.content_type: f for f in complaint.attachments.all()}
    assert set(stored) == {"image/jpeg", "application/pdf"}
    saved = stored["image/jpeg"].file.read()
    assert b"CameraMaker" not in saved and b"Exif" not in saved
    with Image.open(io.BytesIO(saved)) as img:
        assert not img.getexif() and not img.getexif().get_ifd(0x8825)


def test_a_program_renamed_jpg_is_refused(client, org, category):
    exe = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 400, content_type="image/jpeg")
    response = post_form(client, org, category, files=[exe])
    errors = response.context["form"].errors["attachments"]
    assert any("photo.jpg" in e for e in errors)
    assert Complaint.objects.count() == 0


def test_six_files_are_refused(client, org, category):
    files = [
        SimpleUploadedFile(f"p{i}.jpg", jpeg_with_gps(), content_type="image/jpeg")
        for i in range(6)
    ]
    response = post_form(client, org, category, files=files)
    assert "attachments" in response.context["form"].errors
    assert Complaint.objects.count() == 0


def test_five_files_are_accepted(client, org, category):
    files = [
        SimpleUploadedFile(f"p{i}.jpg", jpeg_with_gps(), content_type="image/jpeg")
        for i in range(5)
    ]
    assert post_form(client, org, category, files=files).status_code == 302
    assert only_complaint().attachments.count() == 5


def test_a_file_over_20_mb_is_refused(client, org, category):
    big = SimpleUploadedFile(
        "video.mp4", PDF + b"\x00" * (20 * 1024 * 1024 + 1 - len(PDF)), content_type="video/mp4"
    )
    assert big.size == 20 * 1024 * 1024 + 1
    response = post_form(client, org, category, files=[big])
    assert any("video.mp4" in e for e in response.context["form"].errors["attachments"])
    assert Complaint.objects.count() == 0


def test_an_office_document_is_refused_on_the_public_site(client, org, category):
    docx = SimpleUploadedFile("a.pdf", b"PK\x03\x04" + b"\x00" * 30 + b"word/document.xml")
    response = post_form(client, org, category, files=[docx])
    assert "attachments" in response.context["form"].errors


def test_the_twenty_first_submission_in_a_minute_gets_429(client, org, category):
    from xiaoneng.core import ratelimit

    for _ in range(20):
        assert ratelimit.hit("public_submit", "127.0.0.1").allowed
    answer = captcha_answer(client)
    response = post_form(client, org, category, answer=answer)
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert 'data-testid="rate-limited"' in response.content.decode()
    assert Complaint.objects.count() == 0
    # What was typed is kept, and the captcha was not used up by the refused request.
    assert response.context["form"].initial["content"] == form_data(org, category)["content"]
    assert client.session[captcha.SESSION_KEY]


# --- tracking ---------------------------------------------------------------------------------
def register(org, category, **complainant) -> Complaint:
    return engine.complaint_register(
        actor=None,
        channel="web",
        type="complaint",
        category=category,
        subject_unit=org.unit_a,
        title="态度差",
        content="窗口态度差",
        complainant=complainant or {"anonymous": True},
    )


def track(client, code, digits=""):
    return client.post(reverse("portal:track"), {"code": code, "phone_last4": digits})


def test_an_anonymous_case_is_tracked_with_the_code_alone(client, org, category):
    complaint = register(org, category)
    response = track(client, complaint.tracking_code.lower())
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:case", args=[complaint.tracking_code])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page.context["case"].status == "received"
    assert complaint.number in page.content.decode()


def test_a_named_case_needs_the_last_four_digits(client, org, category):
    complaint = register(org, category, name="李四", phone="+86 139 0000 1234")
    no_digits = track(client, complaint.tracking_code)
    wrong = track(client, complaint.tracking_code, "4321")
    unknown = track(client, "ABCDEFGHJKMN", "1234")
    assert no_digits.status_code == wrong.status_code == unknown.status_code == 200
    # The same message whatever was wrong: the form does not tell which codes exist.
    messages = {tuple(r.context["form"].non_field_errors()) for r in (no_digits, wrong, unknown)}
    assert len(messages) == 1
    right = track(client, complaint.tracking_code, "1234")
    assert right.status_code == 302


def test_the_case_page_needs_a_lookup_first(client, org, category):
    complaint = register(org, category, name="李四", phone="13900001234")
    response = client.get(reverse("portal:case", args=[complaint.tracking_code]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:track"))


def test_tracking_is_rate_limited(client, org, category):
    complaint = register(org, category, name="李四", phone="13900001234")
    codes = [track(client, complaint.tracking_code, f"{i:04d}").status_code for i in range(30)]
    assert codes == [200] * 30
    blocked = track(client, complaint.tracking_code, "1234")  # even the right digits
    assert blocked.status_code == 429 and int(blocked["Retry-After"]) >= 1


def test_the_public_never_sees_internal_notes_staff_names_or_the_identity(client, org, category):
    complaint = register(org, category, name="王五", phone="13712345678")
    engine.complaint_accept(complaint=complaint, actor=org.alice, note="内部：此人多次投诉")
    engine.complaint_dispatch(
        complaint=complaint, actor=org.alice, unit=org.unit_a, note="内部批示：从严查处"
    )
    engine.complaint_sign(complaint=complaint, actor=org.bob)
    engine.complaint_reply(complaint=complaint, actor=org.bob, content="经核实，已整改。")
    assert ComplaintEvent.objects.filter(complaint=complaint, public=False).exists()
    track(client, complaint.tracking_code, "5678")
    page = client.get(reverse("portal:case", args=[complaint.tracking_code]))
    html = page.content.decode()
    assert page.context["case"].status == "answered"
    assert "经核实，已整改。" in html
    for secret in (
        "内部：此人多次投诉",
        "内部批示：从严查处",
        "王五",
        "13712345678",
        org.alice.username,
        org.bob.username,
        org.bob.person.name,
        org.alice.display_name,
    ):
        assert secret not in html, secret
    public_actions = [e.action for e in page.context["case"].timeline]
    assert "dispatch" not in public_actions and "sign" not in public_actions
    assert public_actions[0] == "register" and "reply" in public_actions


def test_a_case_not_accepted_shows_the_reason(client, org, category):
    complaint = register(org, category)
    engine.complaint_reject(complaint=complaint, actor=org.alice, reason="不属于本系统受理范围")
    track(client, complaint.tracking_code)
    page = client.get(reverse("portal:case", args=[complaint.tracking_code]))
    assert page.context["case"].status == "not_accepted"
    assert "不属于本系统受理范围" in page.content.decode()


# --- rating and redo --------------------------------------------------------------------------
def rate(client, complaint, satisfaction, redo=False, comment="", key=None):
    """Rate as the complainant: the rating key from the receipt goes with it (an anonymous case
    tracked by its code alone needs it)."""
    if key is None:
        key = engine.receipt_secrets(complaint)["rating_key"]
    data = {"satisfaction": satisfaction, "comment": comment, "rating_key": key}
    if redo:
        data["redo"] = "on"
    return client.post(reverse("portal:rate", args=[complaint.tracking_code]), data)


def test_the_rating_form_appears_only_once_answered(client, org, category):
    complaint = register(org, category)
    track(client, complaint.tracking_code)
    page = client.get(reverse("portal:case", args=[complaint.tracking_code]))
    assert page.context["rate_form"] is None
    response = rate(client, complaint, Satisfaction.SATISFIED)
    assert response.status_code == 302
    assert not PublicFeedback.objects.exists()


def test_a_verified_case_is_rated_once_and_that_is_its_return_visit(
    client, org, category, django_capture_on_commit_callbacks
):
    complaint = replied(register(org, category), org)
    engine.complaint_verify(complaint=complaint, actor=org.alice, result="true")
    track(client, complaint.tracking_code)
    assert client.get(reverse("portal:case", args=[complaint.tracking_code])).context["rate_form"]
    with django_capture_on_commit_callbacks(execute=True):
        assert rate(client, complaint, Satisfaction.BASICALLY_SATISFIED).status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.VISITED
    assert complaint.satisfaction == Satisfaction.BASICALLY_SATISFIED
    feedback = PublicFeedback.objects.get(complaint=complaint)
    assert feedback.applied_as == "return_visit"
    event = ComplaintEvent.objects.get(complaint=complaint, action="return_visit")
    assert event.actor.username == "public-site"
    assert AuditRecord.objects.filter(
        action="create", object_type=audit.object_type(PublicFeedback), object_id=str(feedback.pk)
    ).exists()
    # The office is told.
    assert Message.objects.filter(recipient=org.alice, kind="complaint.public_feedback").exists()

    # Once only.
    rate(client, complaint, Satisfaction.UNSATISFIED, redo=True)
    assert PublicFeedback.objects.count() == 1
    complaint.refresh_from_db()
    assert complaint.status == Status.VISITED
    page = client.get(reverse("portal:case", args=[complaint.tracking_code]))
    assert page.context["rate_form"] is None and 'data-testid="rated"' in page.content.decode()


def test_an_unsatisfied_verified_case_is_redone_with_a_fresh_clock(client, org, category):
    complaint = replied(register(org, category), org)
    engine.complaint_verify(complaint=complaint, actor=org.alice, result="partly_true")
    track(client, complaint.tracking_code)
    rate(client, complaint, Satisfaction.UNSATISFIED, redo=True, comment="问题没有解决")
    complaint.refresh_from_db()
    assert complaint.status == Status.HANDLING and complaint.redo_count == 1
    assert ComplaintEvent.objects.filter(complaint=complaint, action="redo").exists()
    page = client.get(reverse("portal:case", args=[complaint.tracking_code]))
    assert page.context["case"].status == "in_progress"


def test_a_closed_case_is_reopened_when_the_complainant_asks_for_a_redo(client, org, category):
    complaint = replied(register(org, category), org)
    engine.complaint_close(complaint=complaint, actor=org.alice)
    track(client, complaint.tracking_code)
    rate(client, complaint, Satisfaction.UNSATISFIED, redo=True, comment="答复敷衍")
    complaint.refresh_from_db()
    assert complaint.status == Status.HANDLING and complaint.redo_count == 1
    assert PublicFeedback.objects.get().applied_as == "reopen"
    reopen = ComplaintEvent.objects.get(complaint=complaint, action="reopen")
    assert "答复敷衍" in reopen.note


def test_unsatisfied_without_a_redo_request_only_records_the_rating(client, org, category):
    complaint = replied(register(org, category), org)
    engine.complaint_close(complaint=complaint, actor=org.alice)
    track(client, complaint.tracking_code)
    rate(client, complaint, Satisfaction.UNSATISFIED)
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    feedback = PublicFeedback.objects.get()
    assert not feedback.redo_requested and feedback.applied_as == ""


def test_a_replied_case_keeps_the_rating_for_the_office(
    client, org, category, django_capture_on_commit_callbacks
):
    complaint = replied(register(org, category), org)
    track(client, complaint.tracking_code)
    with django_capture_on_commit_callbacks(execute=True):
        rate(client, complaint, Satisfaction.SATISFIED)
    complaint.refresh_from_db()
    assert complaint.status == Status.REPLIED
    assert PublicFeedback.objects.get().applied_as == ""
    assert Message.objects.filter(kind="complaint.public_feedback", recipient=org.alice).exists()


def test_a_kept_rating_becomes_the_return_visit_when_the_office_verifies(client, org, category):
    complaint = replied(register(org, category), org)
    track(client, complaint.tracking_code)
    rate(client, complaint, Satisfaction.BASICALLY_SATISFIED, comment="还可以")
    engine.complaint_verify(complaint=complaint, actor=org.alice, result="true")
    complaint.refresh_from_db()
    assert complaint.status == Status.VISITED
    assert complaint.satisfaction == Satisfaction.BASICALLY_SATISFIED
    assert PublicFeedback.objects.get().applied_as == "return_visit"
    visit = ComplaintEvent.objects.get(complaint=complaint, action="return_visit")
    assert visit.actor.username == "public-site" and "还可以" in visit.note


def test_a_kept_redo_request_is_redone_when_the_office_verifies(client, org, category):
    complaint = replied(register(org, category), org)
    track(client, complaint.tracking_code)
    rate(client, complaint, Satisfaction.UNSATISFIED, redo=True, comment="没解决")
    engine.complaint_verify(complaint=complaint, actor=org.alice, result="partly_true")
    complaint.refresh_from_db()
    assert complaint.status == Status.HANDLING and complaint.redo_count == 1


def test_a_rating_of_an_earlier_round_is_not_applied_to_the_next(client, org, category):
    complaint = replied(register(org, category), org)
    engine.complaint_close(complaint=complaint, actor=org.alice)
    track(client, complaint.tracking_code)
    rate(client, complaint, Satisfaction.UNSATISFIED)  # kept, not a redo request
    engine.complaint_reopen(complaint=complaint, actor=org.alice, reason="复查")
    engine.complaint_reply(complaint=complaint, actor=org.bob, content="再次答复")
    engine.complaint_verify(complaint=complaint, actor=org.alice, result="true")
    complaint.refresh_from_db()
    assert complaint.status == Status.VERIFIED
    assert PublicFeedback.objects.get().applied_as == ""


def test_rating_needs_the_lookup_first(client, org, category):
    complaint = replied(register(org, category), org)
    response = rate(client, complaint, Satisfaction.SATISFIED)
    assert response.status_code == 302
    assert not PublicFeedback.objects.exists()


def test_the_system_actor_cannot_log_in(client, org, category):
    from xiaoneng.portal.services import system_actor

    actor = system_actor()
    assert actor.is_active and not actor.has_usable_password()
    assert set(actor.permission_codes()) == {"complaint.verify", "complaint.dispatch"}
    assert system_actor().pk == actor.pk
