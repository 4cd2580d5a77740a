from django.urls import path

from . import views

app_name = "public_documents"
urlpatterns = [
    path("", views.public_list, name="list"),
    path("<int:pk>/pdf/", views.public_pdf, name="pdf"),
]
