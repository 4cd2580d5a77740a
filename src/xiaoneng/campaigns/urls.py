"""Staff pages of campaigns."""

from django.urls import path

from . import views, views_setup

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_new, name="new"),
    path("new/blank/", views_setup.campaign_new_blank, name="new_blank"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/edit/", views_setup.campaign_edit, name="edit"),
    path("<int:pk>/setup/", views_setup.setup, name="setup"),
    path("<int:pk>/group/", views_setup.unit_group, name="unit_group"),
    path("<int:pk>/matrix.xlsx", views.matrix_export, name="matrix_export"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/targets/", views.targets, name="targets"),
    path("<int:pk>/targets.xlsx", views.targets_export, name="targets_export"),
    path("<int:pk>/<slug:action>/", views.campaign_action, name="action"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission"),
    path("key-tasks/<int:pk>/progress/", views.task_progress, name="task_progress"),
]
