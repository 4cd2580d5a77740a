"""/api/v1/ routes of the statistics."""

from django.urls import path

from . import api

urlpatterns = [
    path("stats", api.StatsList.as_view(), name="api-stats"),
    path("stats/<str:key>", api.StatsSource.as_view(), name="api-stats-source"),
]
