"""曝光台: published exposure bulletins on the public site (no login). Only the cases the
approver approved; personal names only where the approver ticked them."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import selectors


@require_GET
def bulletin_list(request):
    page = Paginator(selectors.public_bulletins(), 20).get_page(request.GET.get("page"))
    return render(request, "inspections/public/bulletins.html", {"page": page})


@require_GET
def bulletin_detail(request, pk: int):
    bulletin = selectors.public_bulletins().filter(pk=pk).first()
    if bulletin is None:
        raise Http404
    return render(
        request,
        "inspections/public/bulletin.html",
        {
            "bulletin": bulletin,
            "entries": selectors.public_entries(bulletin),
            "responses": bulletin.responses.select_related("unit"),
        },
    )
