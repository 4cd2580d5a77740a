"""/api/v1/ routes of the service time limits."""

from django.urls import path

from . import api

urlpatterns = [
    path("service-standards", api.StandardList.as_view(), name="api-service-standards"),
    path("service-logs", api.LogList.as_view(), name="api-service-logs"),
    path("service-logs/<int:pk>", api.LogDetail.as_view(), name="api-service-log"),
    path("service-compliance", api.ComplianceList.as_view(), name="api-service-compliance"),
    path(
        "service-compliance/<int:pk>",
        api.ComplianceDetail.as_view(),
        name="api-service-compliance-detail",
    ),
]
