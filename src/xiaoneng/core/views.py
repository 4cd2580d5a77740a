from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from . import audit, captcha, clock, workhome
from .auth import needs_captcha
from .forms import LoginForm


class LoginView(auth_views.LoginView):
    """The login form; after repeated failures for the typed user name it shows a captcha."""

    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        username = (form.data.get("username") or "")[:150] if form.is_bound else ""
        if form.is_bound and (form.captcha_required or needs_captcha(username)):
            context["captcha_image"] = captcha.new_challenge(self.request)
        return context

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.throttled:
            response.status_code = 429
        return response


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
    """The work home: what waits for this user, from every app's providers (core.workhome)."""
    items = workhome.collect(request.user)
    return render(
        request,
        "core/home.html",
        {
            "todo_cards": [i for i in items if i.count],
            "all_clear": [i for i in items if not i.count],
            "urgent": [i for i in items if i.rows],
            "now": clock.now(),
            "breadcrumbs": [],
        },
    )
