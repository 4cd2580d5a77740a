"""Response headers every page and API answer carries (issue #21 item 12).

``Content-Security-Policy`` (``XIAONENG_CSP``): scripts only from the site's own static files
— no inline script and no event-handler attributes in templates (behaviour lives in
``static/js/xiaoneng.js``, driven by ``data-*`` attributes) — no plug-ins, no framing, forms
post only to the site. Inline *styles* stay allowed (progress bars, Bootstrap's data-URI
icons, htmx's indicator style); they cannot run code.
``XIAONENG_CSP_REPORT_ONLY=true`` sends it as ``Content-Security-Policy-Report-Only``.

HSTS, the https redirect, nosniff, the referrer and opener policies come from Django's
``SecurityMiddleware`` with the settings in ``settings.py`` (see README, production).
"""

from __future__ import annotations

from django.conf import settings

DEFAULT_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), payment=(), usb=()"


def csp() -> str:
    return getattr(settings, "XIAONENG_CSP", "") or DEFAULT_CSP


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        header = (
            "Content-Security-Policy-Report-Only"
            if getattr(settings, "XIAONENG_CSP_REPORT_ONLY", False)
            else "Content-Security-Policy"
        )
        if header not in response:  # a view may set a stricter one
            response[header] = csp()
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
