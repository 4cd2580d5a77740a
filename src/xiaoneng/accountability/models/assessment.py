"""The annual assessment (年度考核): a scheme of weighted indicators and veto rules per year,
computed per unit from the other apps, adjusted with reasons, locked and published."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.scopefields import ScopeFields

from ..vocab import Grade, SchemeStatus, ScoreRule

USER = settings.AUTH_USER_MODEL
POINTS = {"max_digits": 7, "decimal_places": 2}


class AssessmentScheme(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    status = models.CharField(
        _("status"), max_length=10, choices=SchemeStatus.choices, default=SchemeStatus.DRAFT
    )
    # Grade thresholds (total score at or above): data, not code.
    excellent_min = models.DecimalField(_("excellent from"), default=Decimal("90"), **POINTS)
    good_min = models.DecimalField(_("good from"), default=Decimal("80"), **POINTS)
    pass_min = models.DecimalField(_("pass from"), default=Decimal("60"), **POINTS)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(USER, models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.name

    def grade_for(self, score: Decimal) -> str:
        if score >= self.excellent_min:
            return Grade.EXCELLENT
        if score >= self.good_min:
            return Grade.GOOD
        if score >= self.pass_min:
            return Grade.PASS
        return Grade.FAIL


class Indicator(models.Model):
    """One weighted indicator; ``source`` names a registered calculation (``indicators.py``)."""

    scheme = models.ForeignKey(AssessmentScheme, models.CASCADE, related_name="indicators")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    source = models.CharField(_("data source"), max_length=40)
    rule = models.CharField(_("scoring rule"), max_length=10, choices=ScoreRule.choices)
    weight = models.DecimalField(_("points"), **POINTS)
    target = models.DecimalField(
        _("full points at (%)"), null=True, blank=True, default=Decimal("100"), **POINTS
    )
    floor = models.DecimalField(
        _("zero points at or below (%)"), null=True, blank=True, default=Decimal("0"), **POINTS
    )
    per_item = models.DecimalField(_("points off per occurrence"), default=Decimal("0"), **POINTS)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="indicator_code_once")
        ]

    def __str__(self) -> str:
        return self.name


class VetoRule(models.Model):
    """一票否决: a condition (registered in ``indicators.py``) that caps the grade."""

    scheme = models.ForeignKey(AssessmentScheme, models.CASCADE, related_name="vetoes")
    name = models.CharField(_("name"), max_length=100)
    condition = models.CharField(_("condition"), max_length=40)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    cap_grade = models.CharField(
        _("grade at most"), max_length=10, choices=Grade.choices, default=Grade.FAIL
    )

    class Meta:
        verbose_name = _("one-vote veto")
        verbose_name_plural = _("one-vote vetoes")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Assessment(models.Model):
    SCOPE = ScopeFields(unit="unit")

    scheme = models.ForeignKey(AssessmentScheme, models.CASCADE, related_name="assessments")
    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="+", verbose_name=_("unit"))
    computed_score = models.DecimalField(_("computed score"), default=Decimal("0"), **POINTS)
    adjustment = models.DecimalField(_("adjustments"), default=Decimal("0"), **POINTS)
    score = models.DecimalField(_("score"), default=Decimal("0"), **POINTS)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, blank=True)
    vetoes = models.JSONField(_("vetoes"), default=list, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["rank", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "unit"], name="assessment_unit_once")
        ]

    def __str__(self) -> str:
        return f"{self.scheme_id}/{self.unit_id} {self.score}"


class AssessmentLine(models.Model):
    """One indicator's figure for one unit, with the explanation shown to people."""

    assessment = models.ForeignKey(Assessment, models.CASCADE, related_name="lines")
    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="+")
    value = models.DecimalField(null=True, blank=True, max_digits=12, decimal_places=4)
    score = models.DecimalField(default=Decimal("0"), **POINTS)
    explanation = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["indicator__position", "indicator_id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="line_once")
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.indicator_id} {self.score}"


class Adjustment(models.Model):
    """A manual change of a unit's points (加减分) with its reason; kept across recomputes."""

    assessment = models.ForeignKey(Assessment, models.CASCADE, related_name="adjustments")
    indicator = models.ForeignKey(
        Indicator, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    delta = models.DecimalField(_("points (+/−)"), **POINTS)
    reason = models.CharField(_("reason"), max_length=500)
    actor = models.ForeignKey(USER, models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.delta}"
