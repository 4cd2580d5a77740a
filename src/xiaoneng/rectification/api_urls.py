"""/api/v1/ routes of the rectification app."""

from django.urls import path

from . import api

urlpatterns = [
    path("issues", api.IssueListCreate.as_view(), name="api-issues"),
    path("issues/<int:pk>", api.IssueDetail.as_view(), name="api-issue"),
    path("issues/<int:pk>/public", api.IssuePublic.as_view(), name="api-issue-public"),
    path("rectification-items", api.ItemListCreate.as_view(), name="api-rectification-items"),
    path(
        "rectification-items/export",
        api.ItemExport.as_view(),
        name="api-rectification-items-export",
    ),
    path(
        "rectification-items/import",
        api.ItemImport.as_view(),
        name="api-rectification-items-import",
    ),
    path("rectification-items/<int:pk>", api.ItemDetail.as_view(), name="api-rectification-item"),
    path(
        "rectification-items/<int:pk>/timeline",
        api.ItemTimeline.as_view(),
        name="api-rectification-item-timeline",
    ),
    *[
        path(
            f"rectification-items/<int:pk>/{segment}",
            view.as_view(),
            name=f"api-rectification-item-{segment}",
        )
        for segment, view in api.ACTION_VIEWS.items()
    ],
    path("spot-checks", api.SpotCheckListCreate.as_view(), name="api-spot-checks"),
    path("spot-checks/<int:pk>", api.SpotCheckDetail.as_view(), name="api-spot-check"),
    path(
        "spot-checks/<int:pk>/results",
        api.SpotCheckResults.as_view(),
        name="api-spot-check-results",
    ),
]
