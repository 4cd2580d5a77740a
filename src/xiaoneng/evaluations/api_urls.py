"""/api/v1/ routes of the evaluations app."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import ethics, public, rounds, surveys

router = SimpleRouter(trailing_slash=False)
router.register("surveys", surveys.SurveyViewSet, basename="api-survey")
router.register("evaluation-rounds", rounds.EvaluationRoundViewSet, basename="api-evaluation-round")
router.register("ethics-files", ethics.EthicsFileViewSet, basename="api-ethics-file")

urlpatterns = [
    path(
        "public/surveys/<str:token>",
        public.PublicSurveyAnswer.as_view(),
        name="public-survey-answer",
    ),
    *router.urls,
]
