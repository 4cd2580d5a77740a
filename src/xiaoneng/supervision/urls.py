"""Pages of social supervision, mounted at /supervision/."""

from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.report_new, name="new"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("triage/", views.triage_list, name="triage_list"),
    path("triage/<int:pk>/", views.triage, name="triage"),
    path("roster/", views.roster, name="roster"),
    path("roster/<int:pk>/", views.supervisor_detail, name="supervisor"),
]
