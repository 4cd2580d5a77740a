from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicetimesConfig(AppConfig):
    name = "xiaoneng.servicetimes"
    label = "servicetimes"
    verbose_name = _("Service time limits")

    def ready(self) -> None:
        from xiaoneng.openness.providers import register_standards_provider

        from . import tasks  # noqa: F401  (registers the import job task)
        from .disclosure import unit_standards

        # The unit's 院务公开 page lists the time limits that apply to it (issue #20).
        register_standards_provider("servicetimes", unit_standards)
