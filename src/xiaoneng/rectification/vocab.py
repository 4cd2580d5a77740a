"""Fixed vocabularies of the rectification ledger (API codes from issue #5; labels translated)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class IssueSource(models.TextChoices):
    SELF_INSPECTION = "self_inspection", _("Self-inspection")
    COMPLAINT = "complaint", _("Complaint")
    INSPECTION = "inspection", _("Inspection")
    EVALUATION = "evaluation", _("Evaluation")
    SERVICE_TIME = "service_time", _("Service-time violation")
    ASSIGNED = "assigned", _("Assigned by superiors")
    SUPERVISOR = "supervisor", _("Social supervision")
    OTHER = "other", _("Other")


class Severity(models.TextChoices):
    GENERAL = "general", _("General")
    SERIOUS = "serious", _("Serious")
    MAJOR = "major", _("Major")
    TYPICAL = "typical", _("Typical")


class ItemType(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediate rectification")
    STAGED = "staged", _("Staged rectification")
    LONG_TERM = "long_term", _("Long-term rectification")


class ItemStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("rectification item status", "Pending")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSE_REQUESTED = "close_requested", _("Close-out requested")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


OPEN_STATUSES = (
    ItemStatus.PENDING,
    ItemStatus.IN_PROGRESS,
    ItemStatus.CLOSE_REQUESTED,
    ItemStatus.REOPENED,
)


class Light(models.TextChoices):
    GREEN = "green", _("On track")
    YELLOW = "yellow", _("Due soon")
    RED = "red", _("Overdue")


class SpotResult(models.TextChoices):
    DONE = "done", _("Rectified")
    INADEQUATE = "inadequate", _("Not adequately rectified")
    FALSE = "false", _("False rectification")


FAILED_RESULTS = (SpotResult.INADEQUATE, SpotResult.FALSE)


class DeadlineUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("Working days")
    NATURAL_DAYS = "natural_days", _("Natural days")
    MONTHS = "months", _("Months")


class Decision(models.TextChoices):
    ACCEPT = "accept", _("Accept")
    REJECT = "reject", _("Reject")
