"""公示: the public progress page — the items (or issues) the office published, by unit, with
status and dates, never any personal data (no responsible person, leader, people involved,
description or evidence)."""

from __future__ import annotations

from itertools import groupby

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from xiaoneng.core.models import Unit
from xiaoneng.core.params import page_params

from . import selectors

PAGE_SIZE = 100


@require_GET
def progress(request):
    qs = selectors.public_items()
    unit_id = page_params(request).id("unit")
    if unit_id:
        qs = qs.filter(responsible_unit_id=unit_id)
    summary = selectors.summary(qs)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    groups = [
        {"unit": name, "items": list(rows)}
        for name, rows in groupby(items, key=lambda i: i.responsible_unit.name)
    ]
    units = Unit.objects.filter(
        pk__in=selectors.public_items().values("responsible_unit_id")
    ).order_by("path")
    return render(
        request,
        "rectification/public/progress.html",
        {"groups": groups, "page": page, "summary": summary, "units": units, "unit_id": unit_id},
    )
