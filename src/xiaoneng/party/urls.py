"""Staff pages of 创先争优 (/party/)."""

from django.urls import path

from . import views

app_name = "party"

urlpatterns = [
    path("", views.home, name="home"),
    path("organisations/<int:pk>/", views.organisation, name="organisation"),
    path("ratings/", views.ratings, name="ratings"),
    path("ratings/<int:pk>/<str:action>/", views.rating_action, name="rating-action"),
    path("nominations/", views.nominations, name="nominations"),
    path("nominations/<int:pk>/<str:action>/", views.nomination_decide, name="nomination-decide"),
    path("contacts/", views.contacts, name="contacts"),
    path("contacts/<int:pk>/", views.contact, name="contact"),
]
