"""System management pages (系统管理): organisation, calendar, logs."""

from django.urls import path

from . import views_org, views_security

app_name = "org"

urlpatterns = [
    path("units/", views_org.unit_list, name="units"),
    path("units/<int:pk>/", views_org.unit_detail, name="unit"),
    path("units/<int:pk>/edit/", views_org.unit_edit, name="unit-edit"),
    path("departments/", views_org.department_list, name="departments"),
    path("departments/<int:pk>/", views_org.department_detail, name="department"),
    path("people/", views_org.person_list, name="people"),
    path("people/<int:pk>/", views_org.person_detail, name="person"),
    path("import/", views_org.org_import, name="import"),
    path("calendar/", views_org.calendar_view, name="calendar"),
    path("login-log/", views_security.login_log, name="loginlog"),
    path("audit/", views_security.audit_log, name="audit"),
]
