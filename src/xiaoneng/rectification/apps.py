from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    name = "xiaoneng.rectification"
    label = "rectification"
    verbose_name = _("Rectification ledger")

    def ready(self) -> None:
        from xiaoneng.complaints.signals import complaint_verified

        from . import tasks  # noqa: F401  (registers the reminder sweep and the Excel jobs)
        from .receivers import on_complaint_verified

        complaint_verified.connect(
            on_complaint_verified, dispatch_uid="rectification-issue-from-complaint"
        )
