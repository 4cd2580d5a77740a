"""The dashboards (统计分析): one page of charts from the registered statistics sources, each
with a table view and an .xlsx download. The page holds the filters; its script fetches every
source from ``GET /api/v1/stats/<key>`` with the same query and draws it with ECharts."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xiaoneng.core import statistics as registry
from xiaoneng.core.spreadsheet import write_xlsx

from . import params as filters

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require(user) -> None:
    if not user.has_permission(registry.PERMISSION):
        raise PermissionDenied


@login_required
@require_GET
def dashboard(request):
    user = request.user
    _require(user)
    form = filters.FilterForm(request.GET or None, user=user)
    params, error = filters.parse_or_default(user, request.GET, today=filters.today())
    if not request.GET:
        form = filters.FilterForm(initial={"start": params.start, "end": params.end}, user=user)
    query = {"start": params.start.isoformat(), "end": params.end.isoformat()}
    if params.unit is not None:
        query["unit"] = str(params.unit.pk)
    encoded = urlencode(query)
    groups: dict[str, list[dict]] = {}
    for source in registry.sources_for(user):
        groups.setdefault(str(source.group), []).append(
            {
                "key": source.key,
                "title": source.title,
                "chart": source.chart.type,
                "api": reverse("api-stats-source", args=[source.key]) + "?" + encoded,
                "xlsx": reverse("reports:download", args=[source.key]) + "?" + encoded,
            }
        )
    title = _("Statistics")
    keys = ",".join(s["key"] for sources in groups.values() for s in sources)
    return render(
        request,
        "reports/dashboard.html",
        {
            "title": title,
            "form": form,
            "error": error,
            "params": params,
            "groups": groups,
            "as_of": registry.as_of(),
            "batch_url": reverse("api-stats") + "?" + urlencode({**query, "keys": keys}),
            "breadcrumbs": [(title, None)],
        },
    )


@login_required
@require_GET
def download(request, key: str):
    """One source's table as .xlsx (the same figures as the chart and the JSON)."""
    user = request.user
    _require(user)
    source = registry.get(user, key)
    if source is None:
        raise Http404
    params, _error = filters.parse_or_default(user, request.GET, today=filters.today())
    table = source.run(user, params)
    header = [str(c.label) for c in table.columns]
    rows = ([_cell(row.get(c.key)) for c in table.columns] for row in table.rows)
    data, _count = write_xlsx(rows, header=header, sheet=str(source.title)[:31])
    response = HttpResponse(data, content_type=XLSX)
    name = f"{key}-{params.start:%Y%m%d}-{params.end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _cell(value):
    return "" if value is None else value
