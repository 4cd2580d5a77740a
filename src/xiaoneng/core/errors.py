"""The application's error hierarchy; one handler maps it to RFC 9457 problem details."""

from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    status = 400
    title = _("Request could not be processed")

    def __init__(self, detail: str = "", *, errors: dict | None = None):
        super().__init__(detail)
        self.detail = str(detail) if detail else str(self.title)
        self.errors = errors or {}


class ValidationFailed(ApplicationError):
    status = 400
    title = _("Invalid input")


class NotFound(ApplicationError):
    status = 404
    title = _("Not found")


class Forbidden(ApplicationError):
    status = 403
    title = _("Not allowed")


class Conflict(ApplicationError):
    """An illegal or lost-race state transition."""

    status = 409
    title = _("Conflict with the current state")
