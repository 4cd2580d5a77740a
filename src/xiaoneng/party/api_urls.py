"""/api/v1/ routes of 创先争优."""

from django.urls import path

from . import api

urlpatterns = [
    path("party-organisations", api.OrganisationList.as_view(), name="api-party-organisations"),
    path("party-members", api.MemberList.as_view(), name="api-party-members"),
    path("star-schemes", api.SchemeList.as_view(), name="api-star-schemes"),
    path("star-ratings", api.RatingList.as_view(), name="api-star-ratings"),
    path(
        "star-ratings/<int:pk>/<str:action>",
        api.RatingAction.as_view(),
        name="api-star-rating-action",
    ),
    path("party-nominations", api.NominationList.as_view(), name="api-party-nominations"),
    path(
        "party-nominations/<int:pk>/<str:action>",
        api.NominationDecide.as_view(),
        name="api-party-nomination-decide",
    ),
    path("contact-points", api.ContactList.as_view(), name="api-contact-points"),
    path(
        "contact-points/<int:pk>/visits",
        api.ContactVisits.as_view(),
        name="api-contact-point-visits",
    ),
]
