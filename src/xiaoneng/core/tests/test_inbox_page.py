"""The inbox page: unread filter, kind filter, text search, pages, mark all as read."""

import pytest
from django.urls import reverse

from xiaoneng.core.inbox import inbox_deliver
from xiaoneng.core.models import Message

pytestmark = pytest.mark.django_db


def deliver(user, n, *, kind="notice", title="通知"):
    for i in range(n):
        inbox_deliver(recipients=[user], title=f"{title}{i}", kind=kind)


def titles(response) -> list[str]:
    return [m.title for m in response.context["page"].object_list]


def test_it_marks_every_unread_message_of_the_user_read_and_no_one_elses(client, org):
    deliver(org.bob, 3)
    deliver(org.carol, 2)
    client.force_login(org.bob)
    response = client.post(reverse("inbox-read-all"))
    assert response.status_code == 302
    assert not Message.objects.filter(recipient=org.bob, read_at__isnull=True).exists()
    assert Message.objects.filter(recipient=org.carol, read_at__isnull=True).count() == 2


def test_the_unread_filter_and_the_kind_filter_narrow_the_list(client, org):
    deliver(org.bob, 2, kind="notice", title="甲")
    deliver(org.bob, 1, kind="complaint.sign_reminder", title="签收提醒")
    Message.objects.filter(recipient=org.bob, title="甲0").update(read_at="2026-01-01T00:00Z")
    client.force_login(org.bob)
    assert sorted(titles(client.get(reverse("inbox"), {"show": "unread"}))) == ["甲1", "签收提醒0"]
    assert titles(client.get(reverse("inbox"), {"kind": "complaint.sign_reminder"})) == [
        "签收提醒0"
    ]
    assert titles(client.get(reverse("inbox"), {"q": "签收"})) == ["签收提醒0"]
    html = client.get(reverse("inbox")).content.decode()
    assert "签收提醒" in html  # the kind is offered by its name, not its code
    assert ">complaint.sign_reminder<" not in html


def test_it_pages_a_long_inbox(client, org):
    deliver(org.bob, 45)
    client.force_login(org.bob)
    first = client.get(reverse("inbox"))
    assert len(titles(first)) == 20
    assert first.context["page"].paginator.num_pages == 3
    assert len(titles(client.get(reverse("inbox"), {"page": 3}))) == 5


def test_mark_all_read_is_offered_only_when_something_is_unread(client, org):
    client.force_login(org.bob)
    assert 'data-testid="mark-all-read"' not in client.get(reverse("inbox")).content.decode()
    deliver(org.bob, 1)
    assert 'data-testid="mark-all-read"' in client.get(reverse("inbox")).content.decode()
