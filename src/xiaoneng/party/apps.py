from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyConfig(AppConfig):
    name = "xiaoneng.party"
    label = "party"
    verbose_name = _("Party building (创先争优)")
