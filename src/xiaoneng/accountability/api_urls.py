"""/api/v1/ routes of accountability, the annual assessment and nominations."""

from django.urls import path

from . import api

urlpatterns = [
    path("accountability-cases", api.CaseListCreate.as_view(), name="api-accountability-cases"),
    path(
        "accountability-cases/from-source",
        api.CaseFromSource.as_view(),
        name="api-accountability-case-from-source",
    ),
    path("accountability-cases/<int:pk>", api.CaseDetail.as_view(), name="api-accountability-case"),
    path(
        "accountability-cases/<int:pk>/transitions",
        api.CaseTransition.as_view(),
        name="api-accountability-case-transition",
    ),
    path(
        "accountability-cases/<int:pk>/measures",
        api.CaseSubjects.as_view(),
        name="api-accountability-case-measures",
    ),
    path(
        "accountability-cases/<int:pk>/measures/<int:subject_pk>",
        api.CaseMeasure.as_view(),
        name="api-accountability-case-measure",
    ),
    path("accountability-measures", api.MeasureList.as_view(), name="api-accountability-measures"),
    path("assessment-schemes", api.SchemeListCreate.as_view(), name="api-assessment-schemes"),
    path("assessment-schemes/<int:pk>", api.SchemeDetail.as_view(), name="api-assessment-scheme"),
    path(
        "assessment-indicators/<int:pk>",
        api.IndicatorDetail.as_view(),
        name="api-assessment-indicator",
    ),
    path("assessments", api.AssessmentList.as_view(), name="api-assessments"),
    path("assessments/compute", api.AssessmentCompute.as_view(), name="api-assessments-compute"),
    path("assessments/lock", api.AssessmentLock.as_view(), name="api-assessments-lock"),
    path("assessments/unlock", api.AssessmentUnlock.as_view(), name="api-assessments-unlock"),
    path("assessments/publish", api.AssessmentPublish.as_view(), name="api-assessments-publish"),
    path("assessments/<int:pk>", api.AssessmentDetail.as_view(), name="api-assessment"),
    path(
        "assessments/<int:pk>/adjust", api.AssessmentAdjust.as_view(), name="api-assessment-adjust"
    ),
    path("award-nominations", api.NominationListCreate.as_view(), name="api-award-nominations"),
    path("award-nominations/<int:pk>", api.NominationDetail.as_view(), name="api-award-nomination"),
    path(
        "award-nominations/<int:pk>/check",
        api.NominationCheck.as_view(),
        name="api-award-nomination-check",
    ),
    path(
        "award-nominations/<int:pk>/confirm",
        api.NominationConfirm.as_view(),
        name="api-award-nomination-confirm",
    ),
    path(
        "award-nominations/<int:pk>/reject",
        api.NominationReject.as_view(),
        name="api-award-nomination-reject",
    ),
]
