"""Staff pages of 领导接待日 and 院务公开 (/openness/)."""

from django.urls import path

from . import views

app_name = "openness"

urlpatterns = [
    path("reception/", views.reception_list, name="receptions"),
    path("reception/<int:pk>/", views.reception_detail, name="reception"),
    path("reception/<int:pk>/withdraw/", views.reception_withdraw, name="reception-withdraw"),
    path("disclosures/", views.disclosure_list, name="disclosures"),
    path("disclosures/open/<int:unit_pk>/", views.disclosure_open, name="disclosure-open"),
    path("disclosures/<int:pk>/", views.disclosure_detail, name="disclosure"),
    path("disclosures/<int:pk>/<str:action>/", views.disclosure_action, name="disclosure-action"),
    path("items/<int:pk>/delete/", views.item_delete, name="item-delete"),
]
