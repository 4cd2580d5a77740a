from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "xiaoneng.core"
    label = "core"
    verbose_name = _("System")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        from . import tasks  # noqa: F401  (registers periodic jobs)
        from .auth import log_logout

        user_logged_out.connect(log_logout, dispatch_uid="xiaoneng.core.log_logout")
