from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from . import auth, captcha, ratelimit
from .models import LoginLog


class LoginForm(AuthenticationForm):
    """Django's login form, saying why a login was refused; asks for a captcha after repeated
    failures for the user name (``core.auth``), so the real user always gets in."""

    captcha = forms.CharField(label=_("Verification code"), max_length=10, required=False)

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong user name or password."),
        "locked": _("This account has been locked by an administrator. Ask an administrator."),
        "throttled": _("Too many failed attempts. Please try again in %(seconds)s seconds."),
        "captcha": _(
            "Several wrong passwords were entered for this account. Type the characters shown in the picture."
        ),
        "captcha_wrong": _(
            "The verification code was wrong. Type the characters in the new picture."
        ),
        "demo_password": _(
            "The demo password is accepted only in demo mode. Ask an administrator to set a password."
        ),
        "inactive": _("This account is disabled."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.captcha_required = False
        self.throttled = False

    def _refuse(self, code: str, outcome: str, **params):
        username = (self.data.get("username") or "")[:150]
        auth.log_login(self.request, username=username, user=None, outcome=outcome)
        raise forms.ValidationError(self.error_messages[code], code=code, params=params or None)

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and self.cleaned_data.get("password"):
            decision = auth.ip_throttle(self.request)
            if not decision.allowed:
                self.throttled = True
                self._refuse("throttled", LoginLog.Outcome.THROTTLED, seconds=decision.retry_after)
            if auth.needs_captcha(username):
                self.captcha_required = True
                typed = self.cleaned_data.get("captcha")
                if not captcha.verify(self.request, typed):
                    ratelimit.hit(auth.LOGIN_IP_SCOPE, auth.ip_key(self.request))
                    code = "captcha_wrong" if typed else "captcha"
                    self._refuse(code, LoginLog.Outcome.CAPTCHA)
                self.request.login_captcha_passed = True
        try:
            return super().clean()
        except forms.ValidationError:
            outcome = getattr(self.request, "login_outcome", "")
            if outcome == LoginLog.Outcome.THROTTLED:
                self.throttled = True
                raise forms.ValidationError(
                    self.error_messages["throttled"],
                    code="throttled",
                    params={"seconds": getattr(self.request, "login_retry_after", 60)},
                )
            if outcome in {"locked", "demo_password", "inactive"}:
                raise forms.ValidationError(self.error_messages[outcome], code=outcome)
            raise
