"""The site's URLs plus views that fail on purpose (error-page tests)."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from xiaoneng.urls import urlpatterns as site_patterns


def boom(request):
    raise RuntimeError("a bug in a view")


def refused(request):
    raise PermissionDenied


def refused_with_reason(request):
    raise PermissionDenied("只有效能办可以这样做。")


def suspicious(request):
    raise SuspiciousOperation("tampered form")


urlpatterns = [
    path("test-errors/500/", boom),
    path("test-errors/403/", refused),
    path("test-errors/403-reason/", refused_with_reason),
    path("test-errors/400/", suspicious),
    *site_patterns,
]
