from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Open311Config(AppConfig):
    name = "xiaoneng.open311"
    label = "open311"
    verbose_name = _("Open311 GeoReport v2")
