from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfcheckConfig(AppConfig):
    name = "xiaoneng.selfcheck"
    label = "selfcheck"
    verbose_name = _("Self-inspection, commitments, learning and institutions")

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (registers the daily sweep)
