"""Staff pages of accountability, the annual assessment and nominations."""

from django.urls import path

from . import views

app_name = "accountability"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("from/<slug:source>/<int:pk>/", views.case_from_source, name="from-source"),
    path("mine/", views.my_decisions, name="my-decisions"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/subjects/", views.subject_add, name="subject-add"),
    path("cases/<int:pk>/subjects/<int:subject_pk>/", views.subject_update, name="subject-update"),
    path("cases/<int:pk>/<slug:action>/", views.case_action, name="case-action"),
    path("assessment/", views.schemes, name="schemes"),
    path("assessment/<int:pk>/", views.scheme_detail, name="scheme"),
    path("assessment/<int:pk>/<slug:action>/", views.scheme_action, name="scheme-action"),
    path("assessment/units/<int:pk>/", views.assessment_detail, name="assessment"),
    path("nominations/", views.nominations, name="nominations"),
    path("nominations/<int:pk>/", views.nomination_detail, name="nomination"),
    path("nominations/<int:pk>/<slug:action>/", views.nomination_action, name="nomination-action"),
]
