import uuid

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .context import RequestContext, request_context


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Gives every request an id (echoed as X-Request-ID) and exposes actor and IP to services."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex
        request.request_id = request_id
        ctx = RequestContext(request_id=request_id, ip=client_ip(request))
        with request_context(ctx):
            request._xiaoneng_ctx = ctx
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


def _password_change_problem() -> JsonResponse:
    detail = _("Change your password before using the platform.")
    body = {"type": "about:blank", "title": _("Not allowed"), "status": 403, "detail": detail}
    return JsonResponse(
        body,
        status=403,
        content_type="application/problem+json",
        json_dumps_params={"ensure_ascii": False},
    )


class PasswordChangeRequiredMiddleware:
    """Accounts created by an admin must change their password before anything else.

    Pages redirect to the password form; API calls made with the browser session get a
    403 problem (bearer tokens are refused for such accounts by the token authentication).
    """

    allowed_prefixes = ("/static/", "/i18n/")
    api_prefix = "/api/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse("password_change"), reverse("logout")}
            if request.path not in allowed and not request.path.startswith(self.allowed_prefixes):
                if request.path.startswith(self.api_prefix):
                    return _password_change_problem()
                return redirect("password_change")
        return self.get_response(request)
