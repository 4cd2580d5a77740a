"""/api/v1/ routes of social supervision."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter(trailing_slash=False)
router.register("supervisors", api.SupervisorViewSet, basename="api-supervisor")
router.register("supervisor-reports", api.SupervisorReportViewSet, basename="api-supervisor-report")

urlpatterns = router.urls
