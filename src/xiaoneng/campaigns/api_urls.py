"""/api/v1/ routes of the campaigns app."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter(trailing_slash=False)
router.register("campaign-templates", api.CampaignTemplateViewSet, basename="api-campaign-template")
router.register("campaigns", api.CampaignViewSet, basename="api-campaign")
router.register("campaign-phases", api.CampaignPhaseViewSet, basename="api-campaign-phase")
router.register("leading-groups", api.CampaignGroupViewSet, basename="api-campaign-group")
router.register(
    "leading-group-members", api.CampaignGroupMemberViewSet, basename="api-campaign-group-member"
)
router.register("requirements", api.CampaignRequirementViewSet, basename="api-campaign-requirement")
router.register("submissions", api.CampaignSubmissionViewSet, basename="api-campaign-submission")
router.register("key-tasks", api.CampaignKeyTaskViewSet, basename="api-campaign-key-task")
router.register("targets", api.CampaignTargetViewSet, basename="api-campaign-target")
router.register(
    "target-measurements", api.CampaignMeasurementViewSet, basename="api-campaign-measurement"
)

urlpatterns = router.urls
