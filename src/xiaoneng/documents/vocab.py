from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DocumentKind(models.TextChoices):
    NOTICE = "notice", "通知"
    PLAN = "plan", "实施方案"
    BRIEFING = "briefing", "简报"
    CIRCULAR = "circular", "通报"
    ORDER = "order", "督办单"
    REMINDER = "reminder", "提醒函"
    ADMONITION = "admonition", "诫勉谈话记录"
    RECTIFICATION = "rectification", "整改报告"
    SUMMARY = "summary", "总结报告"
    EXPRESS = "express", "快报"


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    SIGNOFF = "signoff", _("Awaiting sign-off")
    ISSUED = "issued", pgettext_lazy("official document", "Issued")


ARCHIVE_KIND = "documents.archive"
