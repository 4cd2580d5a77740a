from django.contrib.auth import views as auth_views
from django.urls import path

from . import views, views_files, views_inbox, views_notify

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("files/<int:pk>/", views_files.download, name="file"),
    path("inbox/", views_inbox.inbox, name="inbox"),
    path("inbox/<int:pk>/read", views_inbox.inbox_read, name="inbox-read"),
    path("inbox/read-all/", views_inbox.inbox_read_all, name="inbox-read-all"),
    path(
        "notifications/preferences/",
        views_notify.notification_preferences,
        name="notification-preferences",
    ),
]
