"""/api/v1/ routes of inspections and exposure bulletins."""

from rest_framework.routers import SimpleRouter

from .api import views

router = SimpleRouter(trailing_slash=False)
router.register("inspection-plans", views.PlanViewSet, basename="api-inspection-plan")
router.register("inspection-visits", views.VisitViewSet, basename="api-inspection-visit")
router.register("findings", views.FindingViewSet, basename="api-finding")
router.register("supervision-orders", views.OrderViewSet, basename="api-supervision-order")
router.register("bulletins", views.BulletinViewSet, basename="api-bulletin")

urlpatterns = router.urls
