"""``GET /api/v1/stats`` (the sources the user may see) and ``GET /api/v1/stats/<key>`` (one
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

from . import params as filters
from . import registry

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
    permission_classes = [CanViewStats]

    @extend_schema(operation_id="stats_list", responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(
            {
                "sources": [
                    {
                        "key": s.key,
                        "title": str(s.title),
                        "group": str(s.group),
                        "chart": {
                            "type": s.chart.type,
                            "x": s.chart.x,
                            "series": list(s.chart.series),
                            "stack": s.chart.stack,
                        },
                    }
                    for s in registry.sources_for(request.user)
                ]
            }
        )


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
