"""The in-app inbox: delivery with dedup, the unread count in the header, reading a message."""

import pytest
from django.urls import reverse

from xiaoneng.core.inbox import inbox_deliver, unread_count
from xiaoneng.core.models import Message

pytestmark = pytest.mark.django_db

UNREAD = 'data-testid="inbox-unread">'


def _home(client) -> str:
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_the_unread_count_on_the_home_page(client, org):
    client.force_login(org.dave)
    assert UNREAD not in _home(client)
    inbox_deliver(recipients=[org.dave], title="请签收投诉", link="/inbox/")
    inbox_deliver(recipients=[org.dave, org.bob], title="整改通知")
    assert f"{UNREAD}2<" in _home(client)
    assert unread_count(org.bob) == 1


def test_it_marks_a_message_read_and_follows_its_link(client, org):
    inbox_deliver(recipients=[org.dave], title="请签收投诉", link="/inbox/?from=test")
    message = Message.objects.get(recipient=org.dave)
    client.force_login(org.dave)

    response = client.post(reverse("inbox-read", args=[message.pk]))

    assert response.status_code == 302
    assert response["Location"] == "/inbox/?from=test"
    message.refresh_from_db()
    assert message.read_at is not None
    assert UNREAD not in _home(client)


def test_reading_again_keeps_the_first_read_time(client, org):
    inbox_deliver(recipients=[org.dave], title="通知")
    message = Message.objects.get(recipient=org.dave)
    client.force_login(org.dave)
    client.post(reverse("inbox-read", args=[message.pk]))
    message.refresh_from_db()
    first = message.read_at
    response = client.post(reverse("inbox-read", args=[message.pk]))
    assert response["Location"] == reverse("inbox")  # no link: back to the inbox
    message.refresh_from_db()
    assert message.read_at == first


def test_it_does_not_follow_a_link_to_another_site(client, org):
    inbox_deliver(recipients=[org.dave], title="通知", link="https://evil.example/")
    message = Message.objects.get(recipient=org.dave)
    client.force_login(org.dave)
    response = client.post(reverse("inbox-read", args=[message.pk]))
    assert response["Location"] == reverse("inbox")


def test_a_dedup_key_delivers_once_per_recipient(org):
    args = {"title": "欢迎", "dedup_key": "welcome:1"}
    assert inbox_deliver(recipients=[org.dave, org.bob], **args) == 2
    assert inbox_deliver(recipients=[org.dave, org.bob, org.carol], **args) == 1
    assert inbox_deliver(recipients=[org.dave], **args) == 0
    assert Message.objects.filter(dedup_key="welcome:1").count() == 3
    # Without a key every delivery is a new message; the same user listed twice gets one.
    assert inbox_deliver(recipients=[org.dave, org.dave], title="提醒") == 1
    assert inbox_deliver(recipients=[org.dave], title="提醒") == 1
    assert Message.objects.filter(recipient=org.dave, title="提醒").count() == 2


def test_a_user_cannot_read_another_users_message(client, org):
    inbox_deliver(recipients=[org.dave], title="仅本人可见", link="/")
    message = Message.objects.get(recipient=org.dave)
    for intruder in (org.bob, org.alice, org.nobody):
        client.force_login(intruder)
        assert client.post(reverse("inbox-read", args=[message.pk])).status_code == 404
        assert "仅本人可见" not in client.get(reverse("inbox")).content.decode()
    assert client.post(reverse("inbox-read", args=[999999])).status_code == 404
    message.refresh_from_db()
    assert message.read_at is None


def test_the_inbox_lists_the_users_messages(client, org):
    inbox_deliver(recipients=[org.dave], title="第一条")
    inbox_deliver(recipients=[org.bob], title="别人的")
    client.force_login(org.dave)
    page = client.get(reverse("inbox")).content.decode()
    assert "第一条" in page
    assert "别人的" not in page


def test_anonymous_users_are_sent_to_the_login_page(client, org):
    inbox_deliver(recipients=[org.dave], title="通知")
    message = Message.objects.get(recipient=org.dave)
    for response in (
        client.get(reverse("inbox")),
        client.post(reverse("inbox-read", args=[message.pk])),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    message.refresh_from_db()
    assert message.read_at is None


def test_marking_read_needs_a_post(client, org):
    inbox_deliver(recipients=[org.dave], title="通知")
    message = Message.objects.get(recipient=org.dave)
    client.force_login(org.dave)
    assert client.get(reverse("inbox-read", args=[message.pk])).status_code == 405
