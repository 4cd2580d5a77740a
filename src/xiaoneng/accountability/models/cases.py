"""Accountability cases (问责案件), the people each examines (一案双查) and the measures ladder."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.scopefields import ScopeFields

from ..vocab import CaseStatus, EventKind, SourceKind, SubjectRole

USER = settings.AUTH_USER_MODEL


class Measure(models.Model):
    """One rung of the measures ladder (seeded from the seeds' lists, edited by the office).

    ``referral_only`` marks 党纪政务处分: the system records the referral to 纪检监察 and its
    outcome; it never decides a sanction."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50)
    rank = models.PositiveSmallIntegerField(_("severity (higher is heavier)"))
    referral_only = models.BooleanField(_("referral to discipline inspection only"), default=False)
    description = models.CharField(_("description"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["rank", "id"]

    def __str__(self) -> str:
        return self.name


class StepLimit(models.Model):
    """Working days a case may spend in one state before the office is reminded (data)."""

    status = models.CharField(_("step"), max_length=20, choices=CaseStatus.choices, unique=True)
    working_days = models.PositiveSmallIntegerField(_("working days"))

    class Meta:
        verbose_name = _("step time limit")
        verbose_name_plural = _("step time limits")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.working_days}"


class Case(models.Model):
    SCOPE = ScopeFields(unit="unit")

    number = models.CharField(_("number"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("facts"), blank=True)
    source = models.CharField(_("source"), max_length=20, choices=SourceKind.choices)
    unit = models.ForeignKey(
        "core.Unit", models.PROTECT, related_name="accountability_cases", verbose_name=_("unit")
    )
    department = models.ForeignKey(
        "core.Department",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    # Where it came from, linked both ways (the source's page lists its cases).
    complaint = models.ForeignKey(
        "complaints.Complaint",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="accountability_cases",
        verbose_name=_("complaint"),
    )
    item = models.ForeignKey(
        "rectification.RectificationItem",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="accountability_cases",
        verbose_name=_("rectification item"),
    )
    referral = models.OneToOneField(
        "rectification.AccountabilityReferral",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="case",
        verbose_name=_("referral"),
    )
    finding = models.ForeignKey(
        "inspections.Finding",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="accountability_cases",
        verbose_name=_("inspection finding"),
    )
    supervision_order = models.ForeignKey(
        "inspections.SupervisionOrder",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="accountability_cases",
        verbose_name=_("supervision order"),
    )
    consequence = models.OneToOneField(
        "evaluations.Consequence",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="accountability_case",
        verbose_name=_("evaluation consequence"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CaseStatus.choices,
        default=CaseStatus.REGISTERED,
        db_index=True,
    )
    fast_track = models.BooleanField(_("fast track (快查快办)"), default=False)
    step_started_at = models.DateTimeField(_("step started at"))
    step_due_at = models.DateTimeField(_("step due by"), null=True, blank=True, db_index=True)
    step_reminded_at = models.DateTimeField(null=True, blank=True)
    dismiss_reason = models.TextField(_("reason for not filing"), blank=True)
    proposal = models.TextField(_("proposed handling"), blank=True)
    decision = models.TextField(_("decision"), blank=True)
    approved_by = models.ForeignKey(
        USER, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("approver")
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    served_at = models.DateTimeField(_("served at"), null=True, blank=True)
    appeal_by = models.DateTimeField(_("appeal deadline"), null=True, blank=True)
    appeal_text = models.TextField(_("appeal"), blank=True)
    appeal_outcome = models.TextField(_("appeal outcome"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(USER, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("registered at"), db_index=True)

    class Meta:
        verbose_name = _("accountability case")
        verbose_name_plural = _("accountability cases")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Subject(models.Model):
    """A person the case examines, with their own finding and measure (一案双查)."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="subjects")
    person = models.ForeignKey(
        "core.Person",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="accountability_subjects",
        verbose_name=_("person"),
    )
    name = models.CharField(_("name"), max_length=50)
    position = models.CharField(_("position"), max_length=50, blank=True)
    role = models.CharField(_("responsibility"), max_length=20, choices=SubjectRole.choices)
    finding = models.TextField(_("finding"), blank=True)
    measure = models.ForeignKey(
        Measure,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("measure"),
    )
    measure_note = models.CharField(_("note on the measure"), max_length=500, blank=True)
    referral_outcome = models.TextField(_("outcome of the referral"), blank=True)
    position_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("person examined")
        verbose_name_plural = _("people examined")
        ordering = ["position_order", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class CaseEvent(models.Model):
    """The case's timeline (who did what, when, with what note)."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=EventKind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(USER, models.SET_NULL, null=True, blank=True, related_name="+")
    actor_name = models.CharField(max_length=100, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"
