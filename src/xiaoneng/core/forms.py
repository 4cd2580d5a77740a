from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Django's login form, saying why a login was refused (locked, demo password…)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong user name or password."),
        "locked": _(
            "Too many failed attempts: this account is locked for %(minutes)d minutes. Try again later or ask an administrator."
        ),
        "demo_password": _(
            "The demo password is accepted only in demo mode. Ask an administrator to set a password."
        ),
        "inactive": _("This account is disabled."),
    }

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            from django.conf import settings

            outcome = getattr(self.request, "login_outcome", "")
            if outcome == "locked":
                raise forms.ValidationError(
                    self.error_messages["locked"],
                    code="locked",
                    params={"minutes": settings.LOGIN_LOCK_MINUTES},
                )
            if outcome in {"demo_password", "inactive"}:
                raise forms.ValidationError(self.error_messages[outcome], code=outcome)
            raise
