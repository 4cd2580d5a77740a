"""Staff pages of the complaint engine (投诉举报)."""

from django.urls import path

from . import views, views_duplicates

app_name = "complaints"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("unit/", views.unit_queue, name="unit"),
    path("mine/", views.mine, name="mine"),
    path("new/", views.new, name="new"),
    path("departments/", views.departments, name="departments"),
    path("duplicates/", views_duplicates.suggestions, name="duplicates"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/merge/", views_duplicates.merge, name="merge"),
    path(
        "<int:pk>/duplicates/<int:sid>/dismiss/",
        views_duplicates.dismiss,
        name="dismiss-duplicate",
    ),
    path("<int:pk>/identity/", views.identity, name="identity"),
    path("<int:pk>/express/", views.express, name="express"),
    path("<int:pk>/<slug:segment>/", views.action, name="action"),
]
