"""The work home (``/``): each role's real waiting work with exact counts, links to the list
that shows exactly those, and a query count that does not grow with the data."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from xiaoneng.complaints.models import Complaint, ExtensionRequest
from xiaoneng.core import clock, workhome
from xiaoneng.core.models import Message

from .fixtures import NOW, case

pytestmark = pytest.mark.django_db


def waiting(user) -> dict[str, int]:
    with clock.frozen_now(NOW):
        return {i.key: i.count for i in workhome.collect(user)}


def add_work(org, n: int) -> None:
    """n cases at every stage for unit A, n notices for everyone, n ledger items due."""
    from xiaoneng.rectification.tests import helpers

    soon, late = NOW + timedelta(hours=20), NOW - timedelta(days=2)
    for _ in range(n):
        case(org, org.unit_a, NOW - timedelta(days=3), "registered")
        case(org, org.unit_a, NOW - timedelta(days=3), "accepted", resolve_by=soon)
        case(org, org.unit_a, NOW - timedelta(days=3), "dispatched", resolve_by=late)
        case(
            org,
            org.unit_a,
            NOW - timedelta(days=3),
            "handling",
            resolve_by=NOW + timedelta(days=30),
        )
        replied = case(
            org, org.unit_a, NOW - timedelta(days=9), "replied", resolve_by=late, replied_at=late
        )
        ExtensionRequest.objects.create(
            complaint=replied, requested_at=late, days=3, reason="等待鉴定"
        )
        for user in (org.alice, org.bob, org.dave, org.leader):
            Message.objects.create(recipient=user, created_at=NOW, title="通知")
        with clock.frozen_now(NOW - timedelta(days=60)):
            helpers.item(org)


def test_each_role_sees_its_own_waiting_work(org):
    add_work(org, 2)
    alice = waiting(org.alice)
    assert {
        k: alice[k]
        for k in (
            "complaints.to_accept",
            "complaints.to_dispatch",
            "complaints.to_verify",
            "complaints.extension_pending",
        )
    } == {
        "complaints.to_accept": 2,
        "complaints.to_dispatch": 2,
        "complaints.to_verify": 2,
        "complaints.extension_pending": 2,
    }
    assert alice["complaints.overdue"] == 2 and alice["complaints.due_soon"] == 2
    assert alice["rectification.overdue"] == 2 and alice["core.unread"] == 2
    bob = waiting(org.bob)
    assert (bob["complaints.to_sign"], bob["complaints.handling"], bob["complaints.overdue"]) == (
        2,
        2,
        2,
    )
    assert "complaints.to_accept" not in bob and "complaints.to_verify" not in bob
    carol = waiting(org.carol)
    assert carol["complaints.to_sign"] == 0 and carol["rectification.overdue"] == 0
    leader = waiting(org.leader)  # read-only, county-wide: deadlines, no action items
    assert leader["complaints.overdue"] == 2 and "complaints.to_accept" not in leader
    assert "complaints.to_sign" not in leader and "rectification.overdue" not in leader
    dave = waiting(org.dave)
    assert dave == {"selfcheck.checklists": 0, "selfcheck.checklists_overdue": 0, "core.unread": 2}


def test_each_card_links_to_the_list_showing_exactly_those(org):
    add_work(org, 2)
    client = Client()
    client.force_login(org.alice)
    with clock.frozen_now(NOW):
        items = {i.key: i for i in workhome.collect(org.alice)}
        for key in (
            "complaints.to_verify",
            "complaints.extension_pending",
            "complaints.overdue",
            "complaints.due_soon",
        ):
            page = client.get(items[key].url)
            assert page.status_code == 200
            shown = re.findall(r'href="/complaints/(\d+)/"', page.content.decode())
            assert len(set(shown)) == items[key].count, key
        ledger = client.get(items["rectification.overdue"].url).content.decode()
        assert len(set(re.findall(r'href="/rectification/items/(\d+)/"', ledger))) == 2
    client.force_login(org.bob)
    with clock.frozen_now(NOW):
        item = {i.key: i for i in workhome.collect(org.bob)}["complaints.to_sign"]
        page = client.get(item.url).content.decode()
    assert len(set(re.findall(r'href="/complaints/(\d+)/"', page))) == 2


def test_the_home_page_shows_the_counts(org):
    add_work(org, 1)
    client = Client()
    client.force_login(org.bob)
    with clock.frozen_now(NOW):
        html = client.get("/").content.decode()
    assert 'data-key="complaints.to_sign"' in html
    card = html.split('data-key="complaints.to_sign"')[1]
    assert re.search(r'data-testid="todo-count">1<', card)
    # The earliest deadlines under the cards: unit A's running cases, the overdue one first.
    urgent = re.findall(r'data-testid="urgent-row"><a [^>]*href="/complaints/(\d+)/"', html)
    running = Complaint.objects.filter(
        unit=org.unit_a, status__in=["dispatched", "signed", "handling"]
    ).order_by("resolve_by", "id")
    assert [int(pk) for pk in urgent] == [c.pk for c in running]


@pytest.mark.parametrize("who", ["alice", "bob", "dave", "leader"])
def test_the_home_query_count_does_not_grow_with_the_data(org, who):
    user = getattr(org, who)

    def queries() -> int:
        client = Client()
        client.force_login(user)
        with clock.frozen_now(NOW), CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        return len(ctx.captured_queries)

    add_work(org, 1)
    queries()  # warm the per-process caches (calendar, rules)
    one = queries()
    add_work(org, 6)
    assert Complaint.objects.count() == 35
    assert queries() == one


def test_a_leader_gets_the_offices_filterable_list_without_action_tabs(org):
    add_work(org, 1)
    client = Client()
    client.force_login(org.leader)
    with clock.frozen_now(NOW):
        html = client.get("/complaints/", {"overdue": "true"}).content.decode()
    assert 'data-testid="filters"' in html and 'data-testid="status-counts"' in html
    assert 'data-testid="complaint-nav"' not in html and 'data-testid="duplicates-link"' not in html
    assert 'data-testid="register"' not in html
    assert len(set(re.findall(r'href="/complaints/(\d+)/"', html))) == 1  # the overdue one
    client.force_login(org.alice)
    assert 'data-testid="complaint-nav"' in client.get("/complaints/").content.decode()
    client.force_login(org.dave)  # staff: own records only, still the unit queue
    assert "unit_queue" in client.get("/complaints/").templates[0].name
