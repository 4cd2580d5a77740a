"""Rules, numbering, plans (with the 双随机 draw), visits, checklist answers and evidence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.scopefields import ScopeFields

from ..vocab import AnswerResult, PlanKind, PlanStatus, VisitStatus

USER = settings.AUTH_USER_MODEL


class InspectionRules(models.Model):
    """The rules an administrator edits (one row, seeded by a migration): the 督办单 deadline in
    working days and the exposure cadence (seed 001: 每两个月召开一次典型问题曝光会)."""

    order_deadline_working_days = models.PositiveSmallIntegerField(
        _("supervision order deadline (working days)"), default=10
    )
    bulletin_interval_months = models.PositiveSmallIntegerField(
        _("exposure bulletin every N months"), default=2
    )
    bulletin_remind_days = models.PositiveSmallIntegerField(
        _("remind N days before a bulletin is due"), default=7
    )
    escalate_after_working_days = models.PositiveSmallIntegerField(
        _("escalate again every N working days while overdue"), default=5
    )

    class Meta:
        verbose_name = _("inspection rules")
        verbose_name_plural = _("inspection rules")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> InspectionRules:
        return cls.objects.order_by("pk").first() or cls()


class InspectionPlan(models.Model):
    """An inspection plan (检查计划): kind, campaign, period, units in scope, checklist, team and
    the reproducible 双随机 draw (seed stored; the same seed gives the same draw)."""

    SCOPE = ScopeFields(unit="units", owner="created_by")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=PlanKind.choices)
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspection_plans",
        verbose_name=_("campaign"),
    )
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    units = models.ManyToManyField(
        "core.Unit", related_name="inspection_plans", verbose_name=_("units in scope")
    )
    template = models.ForeignKey(
        "selfcheck.ChecklistTemplate",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="inspection_plans",
        verbose_name=_("checklist template"),
    )
    team = models.ManyToManyField(
        "core.Person", blank=True, related_name="inspection_teams", verbose_name=_("team")
    )
    inspector_pool = models.ManyToManyField(
        "core.Person", blank=True, related_name="inspector_pools", verbose_name=_("inspector pool")
    )
    unit_count = models.PositiveSmallIntegerField(
        _("units to draw"), null=True, blank=True, help_text=_("Empty: every unit in scope.")
    )
    stratify = models.BooleanField(_("stratify by unit type"), default=False)
    inspector_count = models.PositiveSmallIntegerField(
        _("inspectors per visit"), null=True, blank=True, help_text=_("Empty: the plan's team.")
    )
    lookback_of = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="lookbacks",
        verbose_name=_("looks back at"),
    )
    seed = models.BigIntegerField(_("seed"), null=True, blank=True)
    drawn_at = models.DateTimeField(_("drawn at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    created_by = models.ForeignKey(USER, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_unannounced(self) -> bool:
        return self.kind == PlanKind.UNANNOUNCED


class Visit(models.Model):
    """One visit (检查) of a unit on a date by a team; hidden from the unit until published."""

    SCOPE = ScopeFields(unit="unit")

    plan = models.ForeignKey(
        InspectionPlan, models.CASCADE, related_name="visits", verbose_name=_("plan")
    )
    unit = models.ForeignKey(
        "core.Unit", models.PROTECT, related_name="inspection_visits", verbose_name=_("unit")
    )
    scheduled_on = models.DateField(_("date"))
    team = models.ManyToManyField(
        "core.Person", related_name="inspection_visits", verbose_name=_("team")
    )
    position = models.PositiveSmallIntegerField(_("draw order"), default=0)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=VisitStatus.choices,
        default=VisitStatus.PLANNED,
        db_index=True,
    )
    summary = models.TextField(_("summary"), blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    location_accuracy = models.PositiveIntegerField(_("accuracy (m)"), null=True, blank=True)
    visited_at = models.DateTimeField(_("visited at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        USER,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("inspection visit")
        verbose_name_plural = _("inspection visits")
        ordering = ["-scheduled_on", "position", "id"]
        indexes = [models.Index(fields=["unit", "status"], name="visit_unit_status_idx")]

    def __str__(self) -> str:
        return f"{self.plan.name} · {self.unit.name}"


class VisitAnswer(models.Model):
    """A checklist answer of a visit (the plan's template, reused from self-inspection)."""

    visit = models.ForeignKey(Visit, models.CASCADE, related_name="answers")
    item = models.ForeignKey(
        "selfcheck.ChecklistItem", models.PROTECT, related_name="+", verbose_name=_("item")
    )
    result = models.CharField(_("result"), max_length=10, choices=AnswerResult.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")
        ordering = ["item__number", "id"]
        constraints = [models.UniqueConstraint(fields=["visit", "item"], name="visit_answer_once")]

    def __str__(self) -> str:
        return f"{self.visit_id}/{self.item_id} {self.result}"


class Evidence(models.Model):
    """A photo, video, audio clip or document taken at the site, with its capture time."""

    visit = models.ForeignKey(Visit, models.CASCADE, related_name="evidence")
    finding = models.ForeignKey(
        "inspections.Finding", models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    file = models.ForeignKey("core.StoredFile", models.PROTECT, related_name="+")
    captured_at = models.DateTimeField(_("captured at"))
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["captured_at", "id"]

    def __str__(self) -> str:
        return f"{self.visit_id}: {self.file_id}"

    @property
    def media(self) -> str:
        kind = (self.file.content_type or "").split("/")[0]
        return kind if kind in ("image", "video", "audio") else "document"
