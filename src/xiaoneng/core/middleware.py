import contextlib
import ipaddress
import uuid
from functools import lru_cache

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .context import RequestContext, request_context

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def trusted_proxies() -> tuple[Network, ...]:
    """``XIAONENG_TRUSTED_PROXIES``: addresses or networks of the reverse proxies (nginx)."""
    return _networks(tuple(getattr(settings, "XIAONENG_TRUSTED_PROXIES", ()) or ()))


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def is_trusted_proxy(address: str | None) -> bool:
    parsed = _address(address or "")
    return parsed is not None and any(parsed in net for net in trusted_proxies())


def client_ip(request) -> str | None:
    """The address of the client, for rate limits, the login log and audit records.

    ``REMOTE_ADDR`` unless it is one of ``XIAONENG_TRUSTED_PROXIES``: then the
    ``X-Forwarded-For`` chain is read from the right, skipping trusted proxies, and the first
    address not among them is the client. A client cannot choose its bucket by sending the
    header itself: the part it wrote is left of what the proxies appended and never reached.
    """
    cached = getattr(request, "_xiaoneng_client_ip", False)
    if cached is not False:
        return cached
    remote = request.META.get("REMOTE_ADDR") or None
    found = remote
    if remote and is_trusted_proxy(remote):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        for hop in reversed([h for h in forwarded.split(",") if h.strip()]):
            parsed = _address(hop)
            if parsed is None:
                break  # garbage: keep the last proxy we trust
            found = str(parsed)
            if not any(parsed in net for net in trusted_proxies()):
                break
    with contextlib.suppress(AttributeError):
        request._xiaoneng_client_ip = found
    return found


class TrustedProxyMiddleware:
    """First in the chain: ``X-Forwarded-*`` headers count only when a trusted proxy sent
    them, so ``SECURE_PROXY_SSL_HEADER`` (https behind nginx) cannot be spoofed by a client."""

    headers = ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_HOST")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_trusted_proxy(request.META.get("REMOTE_ADDR")):
            for name in self.headers:
                request.META.pop(name, None)
        return self.get_response(request)


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
