from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "xiaoneng.portal"
    label = "portal"
    verbose_name = _("Public site")

    def ready(self) -> None:
        from xiaoneng.complaints.signals import complaint_verified

        from .receivers import on_complaint_verified

        complaint_verified.connect(on_complaint_verified, dispatch_uid="portal-pending-rating")
