"""Staff pages of the statistics (统计分析)."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<str:key>.xlsx", views.download, name="download"),
]
