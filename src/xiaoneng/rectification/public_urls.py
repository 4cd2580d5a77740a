"""Public progress (公示) pages, served under /public/progress/."""

from django.urls import path

from . import public_views

app_name = "rectification_public"

urlpatterns = [path("", public_views.progress, name="progress")]
