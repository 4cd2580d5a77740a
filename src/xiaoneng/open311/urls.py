from django.urls import path, re_path

from . import views

app_name = "open311"

FMT = r"(?P<fmt>json|xml)"

urlpatterns = [
    path("keys/", views.key_list, name="keys"),
    path("keys/new", views.key_create, name="key-create"),
    path("keys/<int:pk>/revoke", views.key_revoke, name="key-revoke"),
    re_path(rf"^discovery\.{FMT}$", views.discovery, name="discovery"),
    re_path(rf"^services\.{FMT}$", views.service_list, name="services"),
    re_path(rf"^services/(?P<code>[^/]+?)\.{FMT}$", views.service_definition, name="service"),
    re_path(rf"^requests\.{FMT}$", views.requests_view, name="requests"),
    re_path(rf"^requests/(?P<number>[^/]+?)\.{FMT}$", views.request_detail, name="request"),
    re_path(rf"^tokens/(?P<token>[^/]+?)\.{FMT}$", views.token_detail, name="token"),
    re_path(r"^(?P<rest>.*)$", views.unknown, name="unknown"),
]
