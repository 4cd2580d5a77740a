"""The one way an HTML view turns a service's ``ApplicationError`` into what the user sees.

::

    with service_call(request, form=form) as call:
        made = services.assignments_create(actor=request.user, **form.cleaned_data)
    if call.ok:
        messages.success(request, ...)
        return redirect(...)

- ``ValidationFailed`` → the messages on the form's fields (``core.formkit.add_service_errors``),
  or one error message when there is no form;
- ``Conflict`` (the state changed, an illegal transition) → an error message;
- ``Forbidden`` → 403 (``PermissionDenied``), or an error message with ``forbidden="message"``
  (a page the user may see, offering an action the service refuses to them);
- ``NotFound`` → 404.

``show=False`` catches the same errors and shows nothing: the view renders the refusal itself
from ``call.error`` (public pages with a message page of their own and its status code).

``@service_errors`` does the same for a whole view that has no form (a POST action): the
messages are shown on the page it redirects to. API views need neither: the DRF exception
handler (``core.api``) turns the same errors into problem+json.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from types import TracebackType

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from .errors import ApplicationError, Conflict, Forbidden, NotFound, ValidationFailed
from .formkit import add_service_errors


def message_of(exc: ApplicationError) -> str:
    """The detail and the field messages, once each (the detail left out when it is only the
    generic title and the fields say more)."""
    field_messages = [str(m) for msgs in exc.errors.values() for m in msgs]
    if field_messages and exc.detail == str(exc.title):
        parts = field_messages
    else:
        parts = [exc.detail, *field_messages]
    return " ".join(dict.fromkeys(parts))


def _show(
    request: HttpRequest,
    exc: ApplicationError,
    form: forms.BaseForm | None,
    forbidden: str = "403",
) -> None:
    if isinstance(exc, Forbidden) and forbidden != "message":
        raise PermissionDenied(exc.detail) from exc
    if isinstance(exc, NotFound):
        raise Http404(exc.detail) from exc
    if isinstance(exc, ValidationFailed) and form is not None:
        add_service_errors(form, exc)
    else:  # Conflict, a validation failure without a form to show it on, a refusal as a message
        messages.error(request, message_of(exc))


class service_call:
    """Context manager: see the module docstring. ``ok`` is False after an error."""

    def __init__(
        self,
        request: HttpRequest,
        *,
        form: forms.BaseForm | None = None,
        forbidden: str = "403",
        show: bool = True,
    ) -> None:
        self.request = request
        self.show = show
        self.form = form
        self.forbidden = forbidden
        self.ok = True
        self.error: ApplicationError | None = None

    def __enter__(self) -> service_call:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool:
        if not isinstance(exc, ApplicationError):
            return False
        self.ok = False
        self.error = exc
        if self.show:
            _show(self.request, exc, self.form, self.forbidden)
        return True


def service_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Decorator for a view without a form: errors become 403 / 404, or a message on the page
    the user came from (the Referer on this site, else the same URL)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except (ValidationFailed, Conflict, Forbidden, NotFound) as exc:
            _show(request, exc, None)
            back = request.headers.get("Referer", "")
            if not back or not back.startswith(request.build_absolute_uri("/")):
                back = request.get_full_path()
            return redirect(back)

    return wrapper
