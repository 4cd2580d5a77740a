"""The public site, mounted at /public/ (no login)."""

from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("submit/", views.submit, name="submit"),
    path("submit/done/", views.submitted, name="submitted"),
    path("captcha.png", views.captcha_image, name="captcha"),
    path("track/", views.track, name="track"),
    path("track/<str:code>/", views.case, name="case"),
    path("track/<str:code>/rate/", views.rate, name="rate"),
]
