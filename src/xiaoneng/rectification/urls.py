"""Staff pages of the ledger (整改台账)."""

from django.urls import path

from . import views

app_name = "rectification"

urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("issues/new/", views.issue_new, name="issue-new"),
    path("issues/<int:pk>/", views.issue_detail, name="issue"),
    path("issues/<int:pk>/public/", views.issue_public, name="issue-public"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path(
        "items/<int:pk>/milestones/<int:milestone_pk>/done/",
        views.milestone_done,
        name="milestone-done",
    ),
    path("items/<int:pk>/<slug:segment>/", views.item_action, name="item-action"),
    path("spot-checks/", views.spot_checks, name="spot-checks"),
    path("spot-checks/<int:pk>/", views.spot_check_detail, name="spot-check"),
    path(
        "spot-checks/<int:pk>/results/<int:item_pk>/",
        views.spot_check_result,
        name="spot-check-result",
    ),
    path("import/", views.import_ledger, name="import"),
    path("export/", views.export_ledger, name="export"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/download/", views.job_download, name="job-download"),
]
