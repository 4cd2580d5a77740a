"""Staff pages of the evaluations app, mounted at /evaluations/."""

from django.urls import path

from .views import ethics, home, rounds, surveys

app_name = "evaluations"

urlpatterns = [
    path("", home, name="home"),
    path("surveys/", surveys.survey_list, name="surveys"),
    path("surveys/new/", surveys.survey_new, name="survey-new"),
    path("surveys/<int:pk>/", surveys.survey_detail, name="survey"),
    path("surveys/<int:pk>/links/", surveys.batch_new, name="survey-batch-new"),
    path("surveys/<int:pk>/links/<int:batch>/", surveys.qr_sheet, name="survey-qr"),
    path(
        "surveys/<int:pk>/links/<int:batch>/export/",
        surveys.links_export,
        name="survey-links-export",
    ),
    path("surveys/<int:pk>/export/", surveys.rates_export, name="survey-export"),
    path(
        "surveys/<int:pk>/links/<int:batch>/<str:token>.png",
        surveys.qr_png,
        name="survey-qr-png",
    ),
    path("surveys/<int:pk>/<slug:action>/", surveys.survey_action, name="survey-action"),
    path("rounds/", rounds.round_list, name="rounds"),
    path("rounds/new/", rounds.round_new, name="round-new"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round"),
    path("rounds/<int:pk>/links/", rounds.round_links, name="round-links"),
    path("rounds/<int:pk>/<slug:action>/", rounds.round_action, name="round-action"),
    path("consequences/", rounds.consequence_list, name="consequences"),
    path("consequences/<int:pk>/", rounds.consequence_detail, name="consequence"),
    path("consequences/<int:pk>/decide/", rounds.consequence_decide, name="consequence-decide"),
    path("ethics/", ethics.ethics_list, name="ethics"),
    path("ethics/open/", ethics.ethics_open, name="ethics-open"),
    path("ethics/export/", ethics.ethics_export, name="ethics-export"),
    path("ethics/people/<int:person>/", ethics.ethics_history, name="ethics-history"),
    path("ethics/<int:pk>/", ethics.ethics_file, name="ethics-file"),
    path("ethics/<int:pk>/print/", ethics.ethics_print, name="ethics-print"),
    path("ethics/<int:pk>/evaluate/", ethics.ethics_evaluate, name="ethics-evaluate"),
    path("ethics/<int:pk>/grade/", ethics.ethics_grade, name="ethics-grade"),
]
