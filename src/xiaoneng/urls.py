from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

# Django tries patterns in order and records every miss: the busiest public endpoints first.
api_v1 = [
    path("", include("xiaoneng.portal.api_urls")),
    path("", include("xiaoneng.core.api.urls")),
    path("", include("xiaoneng.selfcheck.api_urls")),
    path("", include("xiaoneng.complaints.api_urls")),
    path("", include("xiaoneng.rectification.api_urls")),
    path("", include("xiaoneng.campaigns.api_urls")),
    path("", include("xiaoneng.accountability.api_urls")),
    path("", include("xiaoneng.reports.api_urls")),
    path("", include("xiaoneng.inspections.api_urls")),
    path("", include("xiaoneng.evaluations.api_urls")),
    path("", include("xiaoneng.supervision.api_urls")),
    path("", include("xiaoneng.openness.api_urls")),
    path("", include("xiaoneng.party.api_urls")),
    path("", include("xiaoneng.documents.api_urls")),
    path("", include("xiaoneng.servicetimes.api_urls")),
]

urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("", include("xiaoneng.core.urls")),
    path("system/", include("xiaoneng.core.org_urls")),
    path("selfcheck/", include("xiaoneng.selfcheck.urls")),
    path("complaints/", include("xiaoneng.complaints.urls")),
    path("rectification/", include("xiaoneng.rectification.urls")),
    path("campaigns/", include("xiaoneng.campaigns.urls")),
    path("accountability/", include("xiaoneng.accountability.urls")),
    path("dashboard/", include("xiaoneng.reports.urls")),
    path("inspections/", include("xiaoneng.inspections.urls")),
    path("public/bulletins/", include("xiaoneng.inspections.public_urls")),
    path("evaluations/", include("xiaoneng.evaluations.urls")),
    path("supervision/", include("xiaoneng.supervision.urls")),
    path("documents/", include("xiaoneng.documents.urls")),
    path("public/documents/", include("xiaoneng.documents.public_urls")),
    path("servicetimes/", include("xiaoneng.servicetimes.urls")),
    path("public/progress/", include("xiaoneng.rectification.public_urls")),
    path("public/evaluation/", include("xiaoneng.evaluations.public_urls")),
    path("openness/", include("xiaoneng.openness.urls")),
    path("public/openness/", include("xiaoneng.openness.public_urls")),
    path("party/", include("xiaoneng.party.urls")),
    path("public/", include("xiaoneng.portal.urls")),
    path("open311/v2/", include("xiaoneng.open311.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its script as a file: the CSP allows no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
# Uploaded files are never served from MEDIA_URL, not even in DEBUG: only through the
# authorising download views (core.views_files, GET /api/v1/files/{id}; docs/SECURITY.md).
# Unexpected errors under /api/ answer RFC 9457 problem+json like every other API error.
handler500 = "xiaoneng.core.api.errors.server_error"
