from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from . import audit, clock
from .forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "core/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        user.must_change_password = False
        user.password_changed_at = clock.now()
        user.save(update_fields=["must_change_password", "password_changed_at"])
        audit.record("password_change", user, actor=user)  # no values: never the password
        messages.success(self.request, _("Your password has been changed."))
        return response


@login_required
def home(request):
    return render(request, "core/home.html", {"breadcrumbs": []})
