"""Fixed vocabularies of inspections (API codes of issue #14; labels translated)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanKind(models.TextChoices):
    OPEN = "open", _("Open inspection")  # 明查
    UNANNOUNCED = "unannounced", _("Unannounced inspection")  # 暗访
    SPECIAL = "special", _("Special supervision")  # 专项督查
    LOOKBACK = "lookback", _("Look-back inspection")  # 回头看


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    DRAWN = "drawn", _("Drawn")
    CLOSED = "closed", _("Finished")


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RECORDED = "recorded", _("Recorded")
    PUBLISHED = "published", _("Published")


class AnswerResult(models.TextChoices):
    OK = "ok", _("No problem")
    PROBLEM = "problem", _("Problem found")


class FindingSeverity(models.TextChoices):
    GENERAL = "general", _("General")  # 一般
    SERIOUS = "serious", _("Fairly serious")  # 较重
    SEVERE = "severe", _("Severe")  # 严重


# The ledger's severity for each finding severity (rectification.vocab.Severity codes).
LEDGER_SEVERITY: dict[str, str] = {
    FindingSeverity.GENERAL: "general",
    FindingSeverity.SERIOUS: "serious",
    FindingSeverity.SEVERE: "major",
}


class LookbackResult(models.TextChoices):
    RECTIFIED = "rectified", _("Rectified")
    NOT_RECTIFIED = "not_rectified", _("Not rectified")


class OrderStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    REPLIED = "replied", _("Replied")
    RETURNED = "returned", _("Returned")
    CLOSED = "closed", _("Closed")


OPEN_ORDER_STATUSES = (OrderStatus.ISSUED, OrderStatus.RETURNED, OrderStatus.REPLIED)


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


class ResponseKind(models.TextChoices):
    SELF_CRITICISM = "self_criticism", _("Self-criticism")  # 检讨发言
    PLEDGE = "pledge", _("Rectification pledge")  # 整改表态


class Decision(models.TextChoices):
    ACCEPT = "accept", _("Accept")
    REJECT = "reject", _("Reject")
