"""The public 院务公开 pages and the 领导接待日 roster, under /public/openness/ (no login)."""

from django.urls import path

from . import views

app_name = "openness_public"

urlpatterns = [
    path("", views.public_home, name="home"),
    path("reception/", views.public_roster, name="roster"),
    path("units/<str:code>/", views.public_unit, name="unit"),
]
