from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import audit, captcha, clock, workhome
from .auth import needs_captcha
from .forms import LoginForm
from .models import Message


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


@login_required
def inbox(request):
    items = Message.objects.filter(recipient=request.user)
    unread = request.GET.get("unread") == "1"
    if unread:
        items = items.filter(read_at__isnull=True)
    return render(
        request,
        "core/inbox.html",
        {"items": items[:200], "unread": unread, "breadcrumbs": [(_("Inbox"), None)]},
    )


@login_required
@require_POST
def inbox_read(request, pk: int):
    """Mark one of the user's messages read and follow its link; another user's message is a 404."""
    message = get_object_or_404(Message, recipient=request.user, pk=pk)
    if message.read_at is None:
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=clock.now())
    link = message.link
    if link and url_has_allowed_host_and_scheme(
        link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(link)
    return redirect("inbox")
