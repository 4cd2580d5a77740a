"""/api/v1/ routes of the portal app: the public API (no authentication, rate-limited)."""

from django.urls import path

from . import api

urlpatterns = [
    path("public/complaints", api.PublicComplaintCreate.as_view(), name="public-complaint-create"),
    path(
        "public/complaints/<str:tracking_code>",
        api.PublicComplaintTrack.as_view(),
        name="public-complaint-track",
    ),
    path("public/units", api.PublicUnitList.as_view(), name="public-units"),
    path("public/departments", api.PublicDepartmentList.as_view(), name="public-departments"),
    path("public/categories", api.PublicCategoryList.as_view(), name="public-categories"),
]
