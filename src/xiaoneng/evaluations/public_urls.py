"""Public pages of the evaluations app (no login), mounted at /public/evaluation/."""

from django.urls import path

from .views import public

app_name = "evaluations_public"

urlpatterns = [
    path("", public.published_rates, name="rates"),
    path("s/<str:token>/", public.answer, name="answer"),
    path("b/<str:token>/", public.ballot, name="ballot"),
]
