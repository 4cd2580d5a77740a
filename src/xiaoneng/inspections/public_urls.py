"""The public exposure bulletins (曝光台), served under /public/bulletins/ without login."""

from django.urls import path

from .views import public

app_name = "inspections_public"

urlpatterns = [
    path("", public.bulletin_list, name="bulletins"),
    path("<int:pk>/", public.bulletin_detail, name="bulletin"),
]
