"""/api/v1/ routes of self-inspection, commitments, learning, 五个一 and the register."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter(trailing_slash=False)
router.register("checklist-templates", api.TemplateViewSet, basename="api-checklist-template")
router.register("checklist-assignments", api.AssignmentViewSet, basename="api-checklist-assignment")
router.register("commitments", api.CommitmentViewSet, basename="api-commitment")
router.register(
    "learning-requirements", api.RequirementViewSet, basename="api-learning-requirement"
)
router.register("learning-records", api.LearningRecordViewSet, basename="api-learning-record")
router.register("recurring-activities", api.ActivityViewSet, basename="api-recurring-activity")
router.register("activity-records", api.ActivityRecordViewSet, basename="api-activity-record")
router.register("institution-rules", api.RuleViewSet, basename="api-institution-rule")

urlpatterns = router.urls
