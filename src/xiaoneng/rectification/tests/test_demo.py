"""The demo ledger: loaded with the demo county, items in every state, once."""

import pytest

from xiaoneng.core import clock
from xiaoneng.core.demo import load_demo_county
from xiaoneng.rectification import demo
from xiaoneng.rectification.models import Issue, RectificationItem


@pytest.mark.django_db
def test_it_loads_the_demo_ledger_once():
    assert load_demo_county() is True
    statuses = set(RectificationItem.objects.values_list("status", flat=True))
    assert {"pending", "in_progress", "close_requested", "closed"} <= statuses
    assert RectificationItem.objects.filter(is_public=True).exists()
    assert Issue.objects.filter(source="complaint", complaint__isnull=False).exists()
    count = Issue.objects.count()
    assert demo.load_demo(now=clock.now()) == 0
    assert Issue.objects.count() == count
