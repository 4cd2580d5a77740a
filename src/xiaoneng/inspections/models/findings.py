"""Findings (检查发现的问题), 回头看 checks and supervision orders (督办单)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.scopefields import ScopeFields

from ..vocab import FindingSeverity, LookbackResult, OrderStatus

USER = settings.AUTH_USER_MODEL


class Finding(models.Model):
    """A problem found on a visit: category (the complaint taxonomy), severity, people, evidence.
    It becomes a ledger issue (source inspection) — linked both ways through ``issue`` and
    ``Issue.inspection_finding`` — as soon as the unit may see it."""

    SCOPE = ScopeFields(unit="unit")

    visit = models.ForeignKey(
        "inspections.Visit", models.CASCADE, related_name="findings", verbose_name=_("visit")
    )
    unit = models.ForeignKey(
        "core.Unit", models.PROTECT, related_name="inspection_findings", verbose_name=_("unit")
    )
    department = models.ForeignKey(
        "core.Department",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    category = models.ForeignKey(
        "complaints.Category",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
    )
    severity = models.CharField(
        _("severity"),
        max_length=10,
        choices=FindingSeverity.choices,
        default=FindingSeverity.GENERAL,
        db_index=True,
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    people = models.ManyToManyField(
        "core.Person", blank=True, related_name="+", verbose_name=_("people involved")
    )
    checklist_item = models.ForeignKey(
        "selfcheck.ChecklistItem",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checklist item"),
    )
    issue = models.OneToOneField(
        "rectification.Issue",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspection_finding",
        verbose_name=_("ledger issue"),
    )
    found_at = models.DateTimeField(_("found at"))
    recorded_by = models.ForeignKey(
        USER,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["-found_at", "-id"]
        indexes = [models.Index(fields=["unit", "severity"], name="finding_unit_severity_idx")]

    def __str__(self) -> str:
        return self.title


class LookbackCheck(models.Model):
    """回头看: a later visit checks an earlier finding; "not rectified" reopens its items."""

    visit = models.ForeignKey("inspections.Visit", models.CASCADE, related_name="lookback_checks")
    finding = models.ForeignKey(
        Finding, models.CASCADE, related_name="lookback_checks", verbose_name=_("finding")
    )
    result = models.CharField(_("result"), max_length=20, choices=LookbackResult.choices)
    note = models.TextField(_("note"), blank=True)
    reopened_items = models.PositiveSmallIntegerField(_("items reopened"), default=0)
    checked_by = models.ForeignKey(USER, models.SET_NULL, null=True, related_name="+")
    checked_at = models.DateTimeField(_("checked at"))

    class Meta:
        verbose_name = _("look-back check")
        verbose_name_plural = _("look-back checks")
        ordering = ["-checked_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "finding"], name="lookback_once_per_visit")
        ]

    def __str__(self) -> str:
        return f"{self.finding_id} {self.result}"


class SupervisionOrder(models.Model):
    """督办单: a severe finding's order with a number (DB + year + 6 digits, gap-free), a deadline
    in working days, the responsible leader (领导负责制). The work is the linked ledger item:
    the reply is its close-out request, the verification its 核对销号."""

    SCOPE = ScopeFields(unit="unit", person="responsible_leader")

    number = models.CharField(_("number"), max_length=20, unique=True)
    finding = models.OneToOneField(
        Finding, models.PROTECT, related_name="order", verbose_name=_("finding")
    )
    unit = models.ForeignKey(
        "core.Unit", models.PROTECT, related_name="supervision_orders", verbose_name=_("unit")
    )
    issue = models.ForeignKey(
        "rectification.Issue",
        models.PROTECT,
        related_name="supervision_orders",
        verbose_name=_("ledger issue"),
    )
    item = models.OneToOneField(
        "rectification.RectificationItem",
        models.PROTECT,
        related_name="supervision_order",
        verbose_name=_("rectification item"),
    )
    requirements = models.TextField(_("requirements"))
    responsible_leader = models.ForeignKey(
        "core.Person",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible leader"),
    )
    issued_at = models.DateTimeField(_("issued at"))
    deadline = models.DateTimeField(_("deadline"), db_index=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OrderStatus.choices,
        default=OrderStatus.ISSUED,
        db_index=True,
    )
    reply = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    verify_reason = models.TextField(_("verification note"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalations"), default=0)
    escalated_at = models.DateTimeField(_("last escalated at"), null=True, blank=True)
    issued_by = models.ForeignKey(USER, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("supervision order")
        verbose_name_plural = _("supervision orders")
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return self.number
