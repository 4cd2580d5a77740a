from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "xiaoneng.inspections"
    label = "inspections"
    verbose_name = _("Inspections and exposure")

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (registers the overdue and cadence sweeps)
