"""/api/v1/ routes of official documents and campaign archives."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter(trailing_slash=False)
router.register("documents", api.DocumentViewSet, basename="api-document")
router.register("archives", api.ArchiveViewSet, basename="api-archive")

urlpatterns = router.urls
