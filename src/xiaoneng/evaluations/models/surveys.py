"""Satisfaction surveys (满意度测评): questionnaires, one-time token batches and open links,
anonymous responses. A response carries the unit and department of the batch it came through,
never the token or anything about the person who answered."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.scopefields import ScopeFields

from ..vocab import Channel, QuestionKind, Satisfaction, SurveyStatus

USER = settings.AUTH_USER_MODEL


class Survey(models.Model):
    """A questionnaire for one or more units, open between ``opens_at`` and ``closes_at``."""

    SCOPE = ScopeFields(unit="units", owner="created_by")

    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    units = models.ManyToManyField(
        "core.Unit", related_name="surveys", verbose_name=_("units surveyed")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    is_published = models.BooleanField(_("rates published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(USER, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        ordering = ["-opens_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    survey = models.ForeignKey(
        Survey, models.CASCADE, related_name="questions", verbose_name=_("survey")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("type"), max_length=20, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    options = models.JSONField(_("options"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "order", "id"]

    def __str__(self) -> str:
        return self.text

    def choices(self) -> list[tuple[str, str]]:
        """(value, label) pairs: the standard question's fixed answers, or the options."""
        if self.kind == QuestionKind.SATISFACTION:
            return [(c.value, str(c.label)) for c in Satisfaction]
        if self.kind == QuestionKind.SCALE:
            return [(str(i), str(i)) for i in range(1, 6)]
        return [(str(i), str(o)) for i, o in enumerate(self.options or [])]


class TokenBatch(models.Model):
    """N one-time links (or one open link) for a unit or one of its departments."""

    SCOPE = ScopeFields(unit="unit", department="department", owner="created_by")

    survey = models.ForeignKey(
        Survey, models.CASCADE, related_name="batches", verbose_name=_("survey")
    )
    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="+", verbose_name=_("unit"))
    department = models.ForeignKey(
        "core.Department",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    size = models.PositiveIntegerField(_("number of links"))
    label = models.CharField(_("label"), max_length=100, blank=True)
    created_by = models.ForeignKey(USER, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("link batch")
        verbose_name_plural = _("link batches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.survey} · {self.department or self.unit} · {self.size}"


class SurveyToken(models.Model):
    """One link. A one-time token answers once (``used_at``); the open link answers many times
    under a rate limit. The response never points back at its token."""

    batch = models.ForeignKey(TokenBatch, models.CASCADE, related_name="tokens")
    token = models.CharField(max_length=32, unique=True)
    reusable = models.BooleanField(default=False)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("survey link")
        verbose_name_plural = _("survey links")
        ordering = ["batch", "id"]

    def __str__(self) -> str:
        return self.token[:6] + "…"


class Response(models.Model):
    """One anonymous answer sheet: where it was collected and when, never by whom."""

    SCOPE = ScopeFields(unit="unit", department="department")

    survey = models.ForeignKey(
        Survey, models.CASCADE, related_name="responses", verbose_name=_("survey")
    )
    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="+", verbose_name=_("unit"))
    department = models.ForeignKey(
        "core.Department",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)
    # The standard question's answer, kept on the sheet so rates are one indexed GROUP BY;
    # blank = not answered (the sheet is then not a valid one, 有效答卷).
    satisfaction = models.CharField(
        _("satisfaction"), max_length=20, choices=Satisfaction.choices, blank=True
    )

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["survey", "unit"], name="response_survey_unit_idx")]

    def __str__(self) -> str:
        return f"{self.survey_id}#{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(Response, models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, models.CASCADE, related_name="answers")
    choices = models.JSONField(default=list, blank=True)
    scale = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"{self.response_id}/{self.question_id}"
