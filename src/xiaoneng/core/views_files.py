"""Downloading a stored file: only through here, never from /media/ (docs/SECURITY.md)."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from .files import download_response, readable_file_or_404


@login_required
@require_GET
def download(request, pk: int):
    """The file, if the user may see an object it belongs to (or uploaded it); else 404."""
    return download_response(readable_file_or_404(request.user, pk))
