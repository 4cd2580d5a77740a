"""Messages the complaint engine sends through the outbox: the seeded e-mail/SMS wording, the
SMS that tells a named complainant the answer is ready, and the sweep's escalations (inbox,
e-mail and SMS, queued in the step's own transaction, once per step)."""

from __future__ import annotations

import pytest

from xiaoneng.complaints import escalation, services
from xiaoneng.core import crypto
from xiaoneng.core.clock import frozen_now
from xiaoneng.core.models import DeliveryReceipt, Notification, NotificationTemplate
from xiaoneng.core.notify import deliver_due

from .test_escalation import leaders, signed_case  # noqa: F401
from .test_lifecycle import at, register

pytestmark = pytest.mark.django_db


def test_default_e_mail_and_sms_wording_is_seeded_for_the_events_to_act_on():
    seeded = set(NotificationTemplate.objects.values_list("event", "channel"))
    for event in ("dispatched", "sign_reminder", "ladder", "overdue_reminder", "express_report"):
        assert {(f"complaint.{event}", "email"), (f"complaint.{event}", "sms")} <= seeded
    assert ("complaint.replied", "sms") in seeded


def test_a_dispatch_reaches_the_unit_by_inbox_e_mail_and_sms(org, settings):
    settings.SITE_URL = "https://xn.example.gov.cn"
    org.bob.email = "bob@example.gov.cn"
    org.bob.save()
    org.bob.person.phone = "13900001111"
    org.bob.person.save()
    complaint = register(org)
    services.complaint_dispatch(complaint=complaint, actor=org.alice, unit=org.unit_a)
    rows = Notification.objects.filter(event="complaint.dispatched", recipient=org.bob)
    assert sorted(rows.values_list("channel", flat=True)) == ["email", "inbox", "sms"]
    email = rows.get(channel="email")
    assert complaint.number in email.subject
    assert f"https://xn.example.gov.cn/complaints/{complaint.pk}/" in email.body
    assert rows.get(channel="sms").address == "13900001111"


def test_a_named_complainant_gets_an_sms_when_the_answer_is_ready(org):
    complaint = register(org)
    services.complaint_dispatch(complaint=complaint, actor=org.alice, unit=org.unit_a)
    services.complaint_sign(complaint=complaint, actor=org.bob)
    services.complaint_reply(complaint=complaint, actor=org.bob, content="已整改。")
    row = Notification.objects.get(event="complaint.replied")
    assert row.channel == "sms" and row.recipient is None
    # The number is kept encrypted in the outbox, like in the case.
    assert row.address.startswith("enc:") and "0013" not in row.address
    assert crypto.decrypt(row.address[4:]) == "13800138000"  # normalised
    assert complaint.tracking_code in row.body and complaint.number in row.body

    deliver_due()
    receipt = DeliveryReceipt.objects.get(channel="sms")
    assert complaint.tracking_code in receipt.body
    # Told again in the same round (a retry): still one SMS.
    services._tell_complainant_replied(complaint)
    assert Notification.objects.filter(event="complaint.replied").count() == 1


def test_an_anonymous_complainant_gets_nothing(org):
    complaint = register(org, complainant={"anonymous": True})
    services.complaint_dispatch(complaint=complaint, actor=org.alice, unit=org.unit_a)
    services.complaint_sign(complaint=complaint, actor=org.bob)
    services.complaint_reply(complaint=complaint, actor=org.bob, content="已整改。")
    assert not Notification.objects.filter(event="complaint.replied").exists()


def test_sweep_escalations_go_through_the_outbox_once(org, leaders):  # noqa: F811
    leaders["deputy"].email = "deputy@example.gov.cn"
    leaders["deputy"].save()
    complaint = signed_case(org)
    when = at(2026, 11, 10, 12, 0)  # past 80 %: the leader in charge
    for _ in range(2):
        with frozen_now(when):
            escalation.sweep(when)
    rows = Notification.objects.filter(event="complaint.ladder", recipient=leaders["deputy"])
    assert sorted(rows.values_list("channel", flat=True)) == ["email", "inbox"]
    assert complaint.number in rows.get(channel="email").subject
