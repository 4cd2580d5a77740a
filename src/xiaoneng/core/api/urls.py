from django.urls import path

from . import files, views

urlpatterns = [
    path("auth/token", views.TokenView.as_view(), name="api-token"),
    path("auth/token/revoke", views.TokenRevokeView.as_view(), name="api-token-revoke"),
    path("auth/token/revoke-all", views.TokenRevokeAllView.as_view(), name="api-token-revoke-all"),
    path("me", views.MeView.as_view(), name="api-me"),
    path("units", views.UnitList.as_view(), name="api-units"),
    path("units/<int:pk>", views.UnitDetail.as_view(), name="api-unit"),
    path("departments", views.DepartmentList.as_view(), name="api-departments"),
    path("departments/<int:pk>", views.DepartmentDetail.as_view(), name="api-department"),
    path("people", views.PersonList.as_view(), name="api-people"),
    path("people/<int:pk>", views.PersonDetail.as_view(), name="api-person"),
    path("files", files.FileUpload.as_view(), name="api-files"),
    path("files/<int:pk>", files.FileDownload.as_view(), name="api-file"),
    path("jobs/<int:pk>", files.JobDetail.as_view(), name="api-job"),
]
