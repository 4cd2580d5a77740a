"""E-mail through Django's e-mail backends, templates edited by admins, per-user preferences
(page and effect), and `outbox_deliver` for callers that hold finished text."""

from __future__ import annotations

import pytest
from django.core import mail

from xiaoneng.core.models import (
    AuditRecord,
    DeliveryReceipt,
    Message,
    Notification,
    NotificationChannel,
    NotificationPreference,
    NotificationTemplate,
)
from xiaoneng.core.notify import deliver_due, notify, outbox_deliver
from xiaoneng.core.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def email_template(db):
    # Replaces the seeded default wording with one the assertions below spell out.
    return NotificationTemplate.objects.update_or_create(
        event="complaint.dispatched",
        channel=NotificationChannel.EMAIL,
        defaults={
            "subject": "[效能] {{ title }}",
            "body": "{{ user.username }}：{{ body }}\n{{ link }}",
        },
    )[0]


def test_email_goes_through_the_django_backend_once(org, settings, email_template):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    org.bob.email = "bob@example.org"
    org.bob.save()
    outbox_deliver(
        [org.bob],
        title="派单 TS2026000001 {{ not a template",
        body="请签收",
        link="/complaints/1/",
        kind="complaint.dispatched",
        dedup_key="complaint:1:dispatched:0",
    )
    row = Notification.objects.get(channel="email")
    assert deliver_due(now=row.next_attempt_at)["sent"] == 2
    [message] = mail.outbox
    assert message.to == ["bob@example.org"]
    assert message.subject == "[效能] 派单 TS2026000001 {{ not a template"
    assert message.body == "bob：请签收\n/complaints/1/"
    assert message.extra_headers["Message-ID"].endswith("@xiaoneng>")
    inbox = Message.objects.get(recipient=org.bob)
    assert inbox.title == "派单 TS2026000001 {{ not a template"  # finished text, not a template
    # A re-delivery of the same row (worker died before marking it sent) sends no second mail.
    Notification.objects.filter(pk=row.pk).update(status="pending")
    deliver_due(now=row.next_attempt_at)
    assert len(mail.outbox) == 1
    assert DeliveryReceipt.objects.filter(dedup_key=row.dedup_key).count() == 1


def test_outbox_deliver_without_a_key_is_one_event_per_call(org):
    outbox_deliver(lambda: [org.bob, org.carol], title="a", kind="complaint.sent_back")
    outbox_deliver([org.bob], title="b", kind="complaint.sent_back")
    assert Notification.objects.count() == 3
    outbox_deliver([org.bob], title="c", kind="x", dedup_key="k")
    outbox_deliver([org.bob], title="c", kind="x", dedup_key="k")
    assert Notification.objects.count() == 4


def test_a_broken_template_text_is_sent_as_it_is(org):
    notify(event="x", dedup_key="broken", recipients=[org.bob], subject="{% if %} 提醒")
    assert Notification.objects.get().subject == "{% if %} 提醒"


# --- the preferences page --------------------------------------------------------------------------
def test_preferences_page_needs_login(client, org):
    response = client.get("/notifications/preferences/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_user_turns_channels_off_per_event_and_it_takes_effect(client, org, email_template):
    NotificationTemplate.objects.update_or_create(
        event="complaint.dispatched",
        channel="sms",
        defaults={"subject": "【效能】", "body": "{{ title }}"},
    )
    org.dave.email = "dave@example.org"
    org.dave.save()
    org.dave.person.phone = "13900001111"
    org.dave.person.save()
    client.force_login(org.dave)
    page = client.get("/notifications/preferences/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'value="complaint.dispatched|sms" checked' in text
    assert "***1111" in text and "13900001111" not in text

    # keep e-mail for dispatches, drop SMS for dispatches; other events stay on
    keep = [
        value
        for (event, channel) in _all(page)
        if (value := f"{event}|{channel}") != "complaint.dispatched|sms"
    ]
    response = client.post("/notifications/preferences/", {"on": keep})
    assert response.status_code == 302
    assert list(
        NotificationPreference.objects.filter(user=org.dave).values_list(
            "event", "channel", "enabled"
        )
    ) == [("complaint.dispatched", "sms", False)]
    assert AuditRecord.objects.filter(action="notification_preferences").exists()
    assert 'value="complaint.dispatched|sms" aria' in client.get(
        "/notifications/preferences/"
    ).content.decode().replace(" checked", "")

    outbox_deliver([org.dave], title="派单", kind="complaint.dispatched", dedup_key="d1")
    assert sorted(Notification.objects.values_list("channel", flat=True)) == ["email", "inbox"]

    # another user's choices are untouched
    other = make_user("olga", None)
    assert not NotificationPreference.objects.filter(user=other).exists()


def _all(page):
    return [
        tuple(cell["value"].split("|")) for row in page.context["rows"] for cell in row["cells"]
    ]


def test_admins_edit_templates_in_the_django_admin(client, org):
    admin = make_user("root", None, is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        "/admin/core/notificationtemplate/add/",
        {
            "event": "complaint.sent_back",  # no SMS wording is seeded for it
            "channel": "sms",
            "subject": "【效能】",
            "body": "{{ title }}，请尽快办理。",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content
    template = NotificationTemplate.objects.get(event="complaint.sent_back", channel="sms")
    assert AuditRecord.objects.filter(
        action="create", object_type="core.notificationtemplate", object_id=str(template.pk)
    ).exists()
    again = client.post(
        "/admin/core/notificationtemplate/add/",
        {"event": "complaint.sent_back", "channel": "sms", "subject": "s", "body": "b"},
    )
    assert again.status_code == 200 and "该事件和渠道的模板已存在" in again.content.decode()
    broken = client.post(
        "/admin/core/notificationtemplate/add/",
        {"event": "x", "channel": "email", "subject": "{% if %}", "body": "b", "is_active": "on"},
    )
    assert broken.status_code == 200 and "模板语法错误" in broken.content.decode()
    assert client.get("/admin/core/notification/").status_code == 200
    assert client.get("/admin/core/deliveryreceipt/").status_code == 200
