"""The ledger list answers in at most 10 queries (issue #18), the same number at page size 5
and 100, filtered by unit or not, and its page count is the summary's total."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xiaoneng.rectification import views
from xiaoneng.rectification.models import RectificationItem

from .helpers import closed_item, issue, item

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10


@pytest.mark.parametrize("unit_filter", [False, True])
def test_the_ledger_answers_in_few_queries_at_any_page_size(client, org, monkeypatch, unit_filter):
    for _ in range(6):
        item(org)
    closed_item(org)
    item(org, issue(org, unit=org.unit_b))
    client.force_login(org.alice)
    url = reverse("rectification:ledger") + (f"?unit={org.unit_a.pk}" if unit_filter else "")
    expected = RectificationItem.objects.filter(
        **({"responsible_unit": org.unit_a} if unit_filter else {})
    ).count()
    counts = {}
    for size in (5, 100):
        monkeypatch.setattr(views, "PAGE_SIZE", size)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        page = response.context["page"]
        assert len(page.object_list) == min(size, expected)
        assert page.paginator.count == response.context["summary"]["total"] == expected
        counts[size] = len(ctx.captured_queries)
    assert counts[5] == counts[100] <= MAX_QUERIES
