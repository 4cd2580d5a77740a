"""Fixed vocabularies of the service time limits (限时服务)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarKind(models.TextChoices):
    NATURAL = "natural", _("Natural time")
    WORKING = "working", _("Working time")


class MissingEnd(models.TextChoices):
    NONCOMPLIANT = "noncompliant", _("Counts as non-compliant")
    EXCLUDED = "excluded", _("Excluded")


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")


IMPORT_KIND = "servicetimes.import"
# Naive timestamps in a log are local time of the province (stated on the import page).
LOCAL_ZONE = "Asia/Shanghai"
MANAGE = "servicetime.manage"
