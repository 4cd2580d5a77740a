"""Choices of 领导接待日 and 院务公开 (no logic)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DisclosureStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", pgettext_lazy("disclosure status", "Approved and published")
    RETURNED = "returned", _("Returned")


class Section(models.TextChoices):
    """The four parts of a unit's 院务公开 page (seed 004 “亮标准”; issue 20)."""

    STANDARD = "standard", _("Service standards and time limits")
    PRICE = "price", _("Prices of common items")
    PROCEDURE = "procedure", _("Procedures")
    COMMITMENT = "commitment", _("Service commitments")
