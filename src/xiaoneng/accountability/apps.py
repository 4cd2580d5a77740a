from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    name = "xiaoneng.accountability"
    label = "accountability"
    verbose_name = _("Accountability")

    def ready(self) -> None:
        from xiaoneng.evaluations.services.consequences import consequence_confirmed
        from xiaoneng.rectification.signals import spot_check_failed

        from . import bulletin, tasks  # noqa: F401  (tasks: registers the overdue sweep)
        from .receivers import on_consequence_confirmed, on_spot_check_failed

        spot_check_failed.connect(on_spot_check_failed, dispatch_uid="accountability-spot-check")
        consequence_confirmed.connect(
            on_consequence_confirmed, dispatch_uid="accountability-evaluation-consequence"
        )
        bulletin.register()  # decided cases as typical cases of exposure bulletins
