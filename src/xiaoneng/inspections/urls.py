"""Staff pages of inspections (明查暗访) and exposure bulletins, under /inspections/."""

from django.urls import path

from .views import bulletins, orders, plans, visits

app_name = "inspections"

urlpatterns = [
    path("", visits.visit_list, name="list"),
    path("plans/", plans.plan_list, name="plans"),
    path("plans/new/", plans.plan_new, name="plan-new"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan"),
    path("plans/<int:pk>/draw/", plans.plan_draw, name="plan-draw"),
    path("visits/<int:pk>/", visits.visit_detail, name="visit"),
    path("visits/<int:pk>/record/", visits.visit_record, name="visit-record"),
    path("visits/<int:pk>/findings/", visits.finding_new, name="visit-finding"),
    path("visits/<int:pk>/publish/", visits.visit_publish, name="visit-publish"),
    path("visits/<int:pk>/lookback/", visits.lookback, name="visit-lookback"),
    path("findings/<int:pk>/", visits.finding_detail, name="finding"),
    path("evidence/<int:pk>/", visits.evidence_file, name="evidence"),
    path("orders/", orders.order_list, name="orders"),
    path("orders/<int:pk>/", orders.order_detail, name="order"),
    path("orders/<int:pk>/reply/", orders.order_reply, name="order-reply"),
    path("orders/<int:pk>/verify/", orders.order_verify, name="order-verify"),
    path("bulletins/", bulletins.bulletin_list, name="bulletins"),
    path("bulletins/new/", bulletins.bulletin_new, name="bulletin-new"),
    path("bulletins/<int:pk>/", bulletins.bulletin_detail, name="bulletin"),
    path("bulletins/<int:pk>/<slug:action>/", bulletins.bulletin_action, name="bulletin-action"),
]
