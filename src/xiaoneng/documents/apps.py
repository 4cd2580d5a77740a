from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "xiaoneng.documents"
    label = "documents"
    verbose_name = _("Official documents")

    def ready(self) -> None:
        from xiaoneng.core.vocabulary import register_value_words

        from . import home, sources, tasks  # noqa: F401  (work-home provider, archive job)

        # Document.source holds a key of the source registry: the audit log shows its label.
        register_value_words({key: s.label for key, s in sources.SOURCES.items()})
