"""``GET /api/v1/stats`` (the sources the user may see; ``?keys=a,b`` or ``?keys=all`` adds
their tables in one response) and ``GET /api/v1/stats/<key>`` (one
source's table: columns, rows and the chart it is drawn as), scoped like every read.

Query parameters: ``start`` / ``end`` (YYYY-MM-DD) and ``unit`` (id, that unit and below; out of
scope → 404). Users without ``stats.view`` get 403; an unknown source is a 404.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from xiaoneng.core import statistics as registry

from . import params as filters

PARAMETERS = [
    OpenApiParameter("start", OpenApiTypes.DATE, description="First day of the period"),
    OpenApiParameter("end", OpenApiTypes.DATE, description="Last day of the period"),
    OpenApiParameter("unit", OpenApiTypes.INT, description="A unit id: that unit and below"),
]


class CanViewStats(permissions.IsAuthenticated):
    message = _("You do not have permission to do this.")

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and request.user.has_permission(
            registry.PERMISSION
        )


class StatsList(APIView):
    """The sources the user may see; with ``keys`` (comma-separated, or ``all``) each of those
    sources' tables too, in one response (what the dashboard page loads)."""

    permission_classes = [CanViewStats]

    @extend_schema(
        operation_id="stats_list",
        parameters=[
            *PARAMETERS,
            OpenApiParameter(
                "keys", OpenApiTypes.STR, description="Sources to include: key,key,… or all"
            ),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        sources = registry.sources_for(request.user)
        body: dict = {"sources": [describe(s) for s in sources]}
        as_of = registry.as_of()
        body["as_of"] = as_of.isoformat() if as_of else None
        wanted = (request.query_params.get("keys") or "").strip()
        if wanted:
            by_key = {s.key: s for s in sources}
            keys = list(by_key) if wanted == "all" else [k for k in wanted.split(",") if k]
            if any(k not in by_key for k in keys):
                raise Http404
            params = filters.parse(request.user, request.query_params, today=filters.today())
            with registry.batch():
                body["tables"] = {
                    k: registry.as_json(by_key[k], by_key[k].run(request.user, params), params)
                    for k in keys
                }
        return Response(body)


def describe(source: registry.Source) -> dict:
    return {
        "key": source.key,
        "title": str(source.title),
        "group": str(source.group),
        "chart": {
            "type": source.chart.type,
            "x": source.chart.x,
            "series": list(source.chart.series),
            "stack": source.chart.stack,
        },
    }


class StatsSource(APIView):
    permission_classes = [CanViewStats]

    @extend_schema(
        operation_id="stats_source", parameters=PARAMETERS, responses=OpenApiTypes.OBJECT
    )
    def get(self, request, key: str):
        source = registry.get(request.user, key)
        if source is None:
            raise Http404
        params = filters.parse(request.user, request.query_params, today=filters.today())
        return Response(registry.as_json(source, source.run(request.user, params), params))
