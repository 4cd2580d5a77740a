"""/api/v1/ routes of the complaint engine."""

from django.urls import path

from . import api, api_duplicates

urlpatterns = [
    path("complaints", api.ComplaintListCreate.as_view(), name="api-complaints"),
    path("complaints/<int:pk>", api.ComplaintDetail.as_view(), name="api-complaint"),
    path(
        "complaints/<int:pk>/timeline",
        api.ComplaintTimeline.as_view(),
        name="api-complaint-timeline",
    ),
    path(
        "complaints/<int:pk>/complainant",
        api.ComplaintComplainant.as_view(),
        name="api-complaint-complainant",
    ),
    path(
        "complaints/<int:pk>/duplicates",
        api_duplicates.ComplaintDuplicates.as_view(),
        name="api-complaint-duplicates",
    ),
    path(
        "complaints/<int:pk>/duplicates/<int:sid>/dismiss",
        api_duplicates.SuggestionDismiss.as_view(),
        name="api-complaint-duplicate-dismiss",
    ),
    path(
        "complaints/<int:pk>/merge",
        api_duplicates.ComplaintMerge.as_view(),
        name="api-complaint-merge",
    ),
    *[
        path(f"complaints/<int:pk>/{segment}", view.as_view(), name=f"api-complaint-{segment}")
        for segment, view in api.ACTION_VIEWS.items()
    ],
    path("complaint-categories", api.CategoryList.as_view(), name="api-complaint-categories"),
]
