from django.urls import path

from . import views

app_name = "servicetimes"

urlpatterns = [
    path("", views.home, name="home"),
    path("results/<int:pk>/", views.result, name="result"),
    path("standards/", views.standards, name="standards"),
    path("standards/<int:pk>/", views.standard, name="standard"),
    path("standards/override/", views.override, name="override"),
    path("recompute/", views.recompute, name="recompute"),
    path("sources/", views.sources, name="sources"),
    path("sources/new/", views.source, name="source-new"),
    path("sources/<int:pk>/", views.source, name="source"),
    path("imports/", views.imports, name="imports"),
    path("imports/map/", views.map_columns, name="map"),
    path("imports/<int:pk>/", views.import_detail, name="import"),
    path("proposals/", views.proposals, name="proposals"),
    path("proposals/<int:pk>/confirm/", views.proposal_confirm, name="proposal-confirm"),
    path("proposals/<int:pk>/dismiss/", views.proposal_dismiss, name="proposal-dismiss"),
]
