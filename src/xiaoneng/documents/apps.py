from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "xiaoneng.documents"
    label = "documents"
    verbose_name = _("Official documents")

    def ready(self) -> None:
        from . import home, tasks  # noqa: F401  (work-home provider, archive job)
