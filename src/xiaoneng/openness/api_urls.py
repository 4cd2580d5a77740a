"""/api/v1/ routes of 领导接待日 and 院务公开."""

from django.urls import path

from . import api

urlpatterns = [
    path("reception-days", api.ReceptionList.as_view(), name="api-reception-days"),
    path("reception-days/<int:pk>", api.ReceptionDetail.as_view(), name="api-reception-day"),
    path(
        "reception-days/<int:pk>/visits",
        api.ReceptionVisits.as_view(),
        name="api-reception-day-visits",
    ),
    path("disclosures", api.DisclosureList.as_view(), name="api-disclosures"),
    path("disclosures/<int:pk>", api.DisclosureDetail.as_view(), name="api-disclosure"),
    path("disclosures/<int:pk>/items", api.DisclosureItems.as_view(), name="api-disclosure-items"),
    path(
        "disclosures/<int:pk>/<str:action>",
        api.DisclosureAction.as_view(),
        name="api-disclosure-action",
    ),
]
