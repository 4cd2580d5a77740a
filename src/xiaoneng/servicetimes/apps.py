from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicetimesConfig(AppConfig):
    name = "xiaoneng.servicetimes"
    label = "servicetimes"
    verbose_name = _("Service time limits")

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (registers the import job task)
