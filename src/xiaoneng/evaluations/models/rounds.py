"""Democratic evaluation (民主评议): rounds, evaluator groups with weights, anonymous ballots by
one-time tokens, per-subject results, and the consequences the rules propose (seed 001: the
ladder for 差 results; seed 000: praise for the top, 诫勉谈话 + 限期整改 for the bottom three)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.scopefields import ScopeFields

from ..vocab import (
    ConsequenceSource,
    ConsequenceStatus,
    Measure,
    RankingEnd,
    RoundStatus,
    Satisfaction,
    SubjectKind,
)

USER = settings.AUTH_USER_MODEL


# --- rules (data an administrator edits; seeded by a migration) ----------------------------------
class RatingPoints(models.Model):
    """How many points one ballot mark gives (满意 100, 基本满意 70, 不满意 0)."""

    rating = models.CharField(_("rating"), max_length=20, choices=Satisfaction.choices, unique=True)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("points of a ballot rating")
        verbose_name_plural = _("points of ballot ratings")
        ordering = ["-points"]

    def __str__(self) -> str:
        return f"{self.get_rating_display()}: {self.points}"


class GradeBand(models.Model):
    """A result grade from the weighted score (好 ≥ 85 … 差 < 60); ``is_poor`` marks 差档次."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    label = models.CharField(_("grade"), max_length=20)
    min_score = models.DecimalField(_("minimum score"), max_digits=5, decimal_places=2)
    is_poor = models.BooleanField(_("poor grade"), default=False)

    class Meta:
        verbose_name = _("evaluation grade")
        verbose_name_plural = _("evaluation grades")
        ordering = ["-min_score"]

    def __str__(self) -> str:
        return f"{self.label} ≥ {self.min_score}"


class LadderStep(models.Model):
    """The consequence ladder: from ``consecutive`` poor results in a row, propose ``measure``."""

    consecutive = models.PositiveSmallIntegerField(_("consecutive poor results"), unique=True)
    measure = models.CharField(_("measure"), max_length=30, choices=Measure.choices)

    class Meta:
        verbose_name = _("consequence ladder step")
        verbose_name_plural = _("consequence ladder")
        ordering = ["consecutive"]

    def __str__(self) -> str:
        return f"{self.consecutive} → {self.get_measure_display()}"


class RankingRule(models.Model):
    """What the top or bottom ``count`` subjects of a ranking get; ``rectify_days`` > 0 also
    opens a ledger issue with that many natural days to rectify (限期整改)."""

    end = models.CharField(_("end of the ranking"), max_length=10, choices=RankingEnd.choices)
    count = models.PositiveSmallIntegerField(_("how many"))
    measure = models.CharField(_("measure"), max_length=30, choices=Measure.choices)
    to_principal = models.BooleanField(_("addressed to the principal leader"), default=False)
    rectify_days = models.PositiveSmallIntegerField(_("days to rectify"), default=0)

    class Meta:
        verbose_name = _("ranking rule")
        verbose_name_plural = _("ranking rules")
        ordering = ["end", "id"]

    def __str__(self) -> str:
        return f"{self.get_end_display()} {self.count}: {self.get_measure_display()}"


# --- rounds -----------------------------------------------------------------------------------
class EvaluationRound(models.Model):
    SCOPE = ScopeFields(unit="subjects__unit", person="subjects__person", owner="created_by")

    title = models.CharField(_("title"), max_length=200)
    series = models.CharField(
        _("series"),
        max_length=100,
        help_text=_("Rounds of one series count consecutive poor results together."),
    )
    subject_kind = models.CharField(_("subjects"), max_length=10, choices=SubjectKind.choices)
    period_label = models.CharField(_("period"), max_length=50)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    apply_ranking = models.BooleanField(_("apply the ranking rules"), default=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        USER, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("closed by")
    )
    created_by = models.ForeignKey(USER, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["-ends_on", "-id"]

    def __str__(self) -> str:
        return self.title


class EvaluatorGroup(models.Model):
    """服务对象 40 %, 监督员 30 %, 同级 30 %: a group's average counts with its weight."""

    round = models.ForeignKey(
        EvaluationRound, models.CASCADE, related_name="groups", verbose_name=_("round")
    )
    name = models.CharField(_("evaluator group"), max_length=50)
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("evaluator group")
        verbose_name_plural = _("evaluator groups")
        ordering = ["round", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="evaluator_group_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.weight}%"


class Subject(models.Model):
    """A unit, or a post held by a person, being evaluated; the result is filled at close."""

    SCOPE = ScopeFields(unit="unit", person="person")

    round = models.ForeignKey(
        EvaluationRound, models.CASCADE, related_name="subjects", verbose_name=_("round")
    )
    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="+", verbose_name=_("unit"))
    person = models.ForeignKey(
        "core.Person",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    post = models.CharField(_("post"), max_length=100, blank=True)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=20, blank=True)
    grade_label = models.CharField(_("grade"), max_length=20, blank=True)
    is_poor = models.BooleanField(_("poor result"), default=False)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    ballots = models.PositiveIntegerField(_("ballots"), default=0)

    class Meta:
        verbose_name = _("evaluation subject")
        verbose_name_plural = _("evaluation subjects")
        ordering = ["round", "rank", "id"]

    def __str__(self) -> str:
        if self.person_id:
            return f"{self.person.name}（{self.post or self.unit.name}）"
        return self.unit.name


class BallotToken(models.Model):
    """A one-time voting link for one evaluator of a group; the ballot never points back."""

    round = models.ForeignKey(EvaluationRound, models.CASCADE, related_name="tokens")
    group = models.ForeignKey(EvaluatorGroup, models.CASCADE, related_name="tokens")
    token = models.CharField(max_length=32, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ballot link")
        verbose_name_plural = _("ballot links")
        ordering = ["group", "id"]

    def __str__(self) -> str:
        return self.token[:6] + "…"


class Ballot(models.Model):
    SCOPE = ScopeFields(unit="marks__subject__unit")

    round = models.ForeignKey(EvaluationRound, models.CASCADE, related_name="ballots")
    group = models.ForeignKey(EvaluatorGroup, models.PROTECT, related_name="ballots")
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["round", "id"]

    def __str__(self) -> str:
        return f"{self.round_id}#{self.pk}"


class Mark(models.Model):
    ballot = models.ForeignKey(Ballot, models.CASCADE, related_name="marks")
    subject = models.ForeignKey(Subject, models.CASCADE, related_name="marks")
    rating = models.CharField(_("rating"), max_length=20, choices=Satisfaction.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "subject"], name="mark_once_per_subject")
        ]

    def __str__(self) -> str:
        return f"{self.subject_id}: {self.rating}"


class Consequence(models.Model):
    """A measure the rules propose for a subject; the office confirms or dismisses it.

    A confirmed consequence is the record other modules build on (the accountability module turns
    it into a case: ``selectors.confirmed_consequences``); a bottom-three rectification also
    opens a ledger issue with its deadline (``issue``)."""

    SCOPE = ScopeFields(unit="unit", person="person")

    round = models.ForeignKey(
        EvaluationRound, models.CASCADE, related_name="consequences", verbose_name=_("round")
    )
    subject = models.ForeignKey(
        Subject, models.CASCADE, related_name="consequences", verbose_name=_("subject")
    )
    source = models.CharField(_("rule"), max_length=10, choices=ConsequenceSource.choices)
    measure = models.CharField(_("measure"), max_length=30, choices=Measure.choices)
    consecutive = models.PositiveSmallIntegerField(_("consecutive poor results"), default=0)
    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="+", verbose_name=_("unit"))
    person = models.ForeignKey(
        "core.Person",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person concerned"),
    )
    reason = models.CharField(_("reason"), max_length=300)
    rectify_days = models.PositiveSmallIntegerField(_("days to rectify"), default=0)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ConsequenceStatus.choices,
        default=ConsequenceStatus.PROPOSED,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        USER, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=500, blank=True)
    document_number = models.CharField(_("document number"), max_length=30, blank=True)
    issue = models.ForeignKey(
        "rectification.Issue",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ledger issue"),
    )
    deadline = models.DateTimeField(_("rectification deadline"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("consequence")
        verbose_name_plural = _("consequences")
        ordering = ["round", "subject__rank", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "measure", "source"], name="consequence_once_per_measure"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} · {self.get_measure_display()}"
