"""Fixed vocabularies of social supervision (API codes; labels are translated)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SupervisorKind(models.TextChoices):
    CONDUCT = "conduct", _("Social supervisor of conduct")  # 行风社会监督员
    EFFICIENCY = "efficiency", _("Efficiency supervisor")  # 效能监督员


class SupervisorStatus(models.TextChoices):
    ACTIVE = "active", _("Appointed")  # 在聘
    ENDED = "ended", _("Appointment ended")  # 已解聘


class ReportKind(models.TextChoices):
    OBSERVATION = "observation", _("Observation")  # 意见建议 / 监督情况
    CLUE = "clue", _("Problem clue")  # 问题线索


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("supervisor report", "Awaiting the office")  # 待处理
    COMPLAINT = "complaint", _("Handled as a complaint")  # 转投诉办理
    ISSUE = "issue", _("Entered in the rectification ledger")  # 列入整改台账
    NOTED = "noted", _("Noted by the office")  # 已阅知（不立案）
