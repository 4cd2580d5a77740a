"""Staff pages of self-inspection (自查), commitments, learning, 五个一 and the register."""

from django.urls import path

from . import views

app_name = "selfcheck"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("assignments/", views.assignments, name="assignments"),
    path("assignments/<int:pk>/", views.assignment, name="assignment"),
    path("commitments/", views.commitments, name="commitments"),
    path("commitments/<int:pk>/review/", views.commitment_review, name="commitment_review"),
    path("learning/", views.learning, name="learning"),
    path("learning/compliance/", views.compliance, name="compliance"),
    path("activities/", views.activities, name="activities"),
    path("register/", views.register, name="register"),
    path("register/<int:pk>/review/", views.rule_review, name="rule_review"),
]
