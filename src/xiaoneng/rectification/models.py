"""Problem list and rectification ledger (问题清单/整改台账): issues from every source, their
rectification items, progress, verified close-out (销号), spot checks (抽查核实) and referrals.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.scopefields import ScopeFields

from .vocab import (
    DeadlineUnit,
    Decision,
    IssueSource,
    ItemStatus,
    ItemType,
    Severity,
    SpotResult,
)

USER = settings.AUTH_USER_MODEL


class ItemTypeRule(models.Model):
    """The default deadline of each item type (configurable data, seeded by a migration)."""

    type = models.CharField(_("type"), max_length=20, choices=ItemType.choices, unique=True)
    value = models.PositiveIntegerField(_("time allowed"))
    unit = models.CharField(_("unit"), max_length=20, choices=DeadlineUnit.choices)

    class Meta:
        verbose_name = _("default deadline of an item type")
        verbose_name_plural = _("default deadlines of item types")
        ordering = ["type"]

    def __str__(self) -> str:
        return f"{self.get_type_display()}: {self.value} {self.get_unit_display()}"


class Issue(models.Model):
    """A problem found anywhere (问题): what, where, who, how serious, and where it came from."""

    SCOPE = ScopeFields(unit="unit", department="department", owner="created_by")

    number = models.CharField(_("number"), max_length=20, unique=True)
    source = models.CharField(_("source"), max_length=20, choices=IssueSource.choices)
    source_ref = models.CharField(_("source reference"), max_length=100, blank=True)
    complaint = models.ForeignKey(
        "complaints.Complaint",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="ledger_issues",
        verbose_name=_("complaint"),
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="ledger_issues",
        verbose_name=_("campaign"),
    )
    unit = models.ForeignKey(
        "core.Unit", models.PROTECT, related_name="ledger_issues", verbose_name=_("unit")
    )
    department = models.ForeignKey(
        "core.Department",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    people = models.ManyToManyField(
        "core.Person", blank=True, related_name="+", verbose_name=_("people involved")
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
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.GENERAL
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    files = models.ManyToManyField(
        "core.StoredFile", blank=True, related_name="+", verbose_name=_("evidence")
    )
    found_at = models.DateTimeField(_("found at"))
    found_by = models.ForeignKey(
        USER, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("found by")
    )
    is_public = models.BooleanField(_("public"), default=False)
    created_by = models.ForeignKey(USER, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "source"], name="issue_unit_source_idx"),
            models.Index(fields=["updated_at"], name="issue_updated_idx"),  # the rollup's refresh
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class RectificationItem(models.Model):
    """One rectification item (整改事项) of an issue: measures, target, deadline, who answers for
    it (领导负责制), and its state. ``yellow_at`` is when the light turns yellow, stored so lists
    filter by light with plain comparisons."""

    SCOPE = ScopeFields(
        unit="responsible_unit", department="responsible_department", person="responsible_person"
    )

    number = models.CharField(_("number"), max_length=20, unique=True)
    issue = models.ForeignKey(Issue, models.CASCADE, related_name="items", verbose_name=_("issue"))
    type = models.CharField(_("type"), max_length=20, choices=ItemType.choices)
    measures = models.TextField(_("measures"))
    target = models.TextField(_("target"))
    started_at = models.DateTimeField(_("clock started at"))
    deadline = models.DateTimeField(_("deadline"), db_index=True)
    deadline_uncertain = models.BooleanField(_("deadline uncertain"), default=False)
    yellow_at = models.DateTimeField(_("due soon from"))
    responsible_unit = models.ForeignKey(
        "core.Unit", models.PROTECT, related_name="+", verbose_name=_("responsible unit")
    )
    responsible_department = models.ForeignKey(
        "core.Department",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible department"),
    )
    responsible_person = models.ForeignKey(
        "core.Person",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible person"),
    )
    responsible_person_name = models.CharField(_("responsible person"), max_length=50, blank=True)
    responsible_leader = models.ForeignKey(
        "core.Person",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible leader"),
    )
    responsible_leader_name = models.CharField(_("responsible leader"), max_length=50, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ItemStatus.choices,
        default=ItemStatus.PENDING,
        db_index=True,
    )
    percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    latest_progress = models.TextField(_("progress"), blank=True)
    close_requested_at = models.DateTimeField(_("close-out requested at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        USER, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("verifier")
    )
    reject_reason = models.TextField(_("reason for returning"), blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    flagged = models.BooleanField(_("flagged"), default=False)
    flag_reason = models.CharField(_("flag reason"), max_length=500, blank=True)
    is_public = models.BooleanField(_("public"), default=False)
    # The last reminder sent ("due_soon:<deadline>"): sweeps skip items already reminded.
    last_reminder = models.CharField(max_length=60, blank=True, editable=False)
    created_by = models.ForeignKey(USER, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["responsible_unit", "status"], name="item_unit_status_idx"),
            models.Index(fields=["status", "deadline"], name="item_status_deadline_idx"),
            models.Index(fields=["status", "yellow_at"], name="item_status_yellow_idx"),
            # The statistics rollup's incremental refresh reads the items changed since its last run.
            models.Index(fields=["updated_at"], name="item_updated_idx"),
            # The dashboard reads the items recorded in a period (the rollup's part months).
            models.Index(fields=["created_at"], name="item_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number}"

    @property
    def person_label(self) -> str:
        return (
            self.responsible_person.name
            if self.responsible_person_id
            else self.responsible_person_name
        )

    @property
    def leader_label(self) -> str:
        return (
            self.responsible_leader.name
            if self.responsible_leader_id
            else self.responsible_leader_name
        )


class Milestone(models.Model):
    """A milestone of a long-term item (长期整改): what by when, and when it was reached."""

    item = models.ForeignKey(RectificationItem, models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_at = models.DateTimeField(_("reached at"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class ProgressUpdate(models.Model):
    FILES_VIA = "item"  # its evidence files are seen by whoever sees the item

    item = models.ForeignKey(RectificationItem, models.CASCADE, related_name="progress_updates")
    text = models.TextField(_("progress"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"))
    files = models.ManyToManyField(
        "core.StoredFile", blank=True, related_name="+", verbose_name=_("evidence")
    )
    at = models.DateTimeField(_("time"))
    author = models.ForeignKey(USER, models.SET_NULL, null=True, blank=True, related_name="+")
    author_name = models.CharField(_("author"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.percent}%"


class CloseRequest(models.Model):
    """申请销号 and its verification (核对销号): accepted closes the item, rejected returns it."""

    FILES_VIA = "item"  # its evidence files are seen by whoever sees the item

    item = models.ForeignKey(RectificationItem, models.CASCADE, related_name="close_requests")
    summary = models.TextField(_("summary"))
    files = models.ManyToManyField(
        "core.StoredFile", blank=True, related_name="+", verbose_name=_("evidence")
    )
    requested_at = models.DateTimeField(_("requested at"))
    requested_by = models.ForeignKey(USER, models.SET_NULL, null=True, related_name="+")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(USER, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("close-out request")
        verbose_name_plural = _("close-out requests")
        ordering = ["requested_at", "id"]

    def __str__(self) -> str:
        return f"{self.item_id} close-out {self.requested_at:%Y-%m-%d}"


class ItemEvent(models.Model):
    """The item's timeline: every step with actor and time."""

    item = models.ForeignKey(RectificationItem, models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(USER, models.SET_NULL, null=True, blank=True, related_name="+")
    actor_name = models.CharField(_("actor"), max_length=100, blank=True)
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)
    progress = models.ForeignKey(
        ProgressUpdate, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    close_request = models.ForeignKey(
        CloseRequest, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("item event")
        verbose_name_plural = _("item events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.action}"


class SpotCheck(models.Model):
    """A random draw of closed items (抽查核实); the seed makes it reproducible."""

    SCOPE = ScopeFields(unit=None, owner="created_by")

    number = models.CharField(_("number"), max_length=20, unique=True)
    seed = models.BigIntegerField(_("seed"))
    count = models.PositiveIntegerField(_("sample size"), null=True, blank=True)
    percent = models.PositiveSmallIntegerField(_("sample percent"), null=True, blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    population = models.PositiveIntegerField(_("closed items in the draw"), default=0)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(USER, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("drawn at"))

    class Meta:
        verbose_name = _("spot check")
        verbose_name_plural = _("spot checks")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number


class SpotCheckResult(models.Model):
    """One sampled item and, once checked, its result (整改到位 / 整改不到位 / 虚假整改)."""

    spot_check = models.ForeignKey(SpotCheck, models.CASCADE, related_name="results")
    item = models.ForeignKey(RectificationItem, models.CASCADE, related_name="spot_checks")
    position = models.PositiveIntegerField(default=0)
    result = models.CharField(_("result"), max_length=20, choices=SpotResult.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    checked_by = models.ForeignKey(USER, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("spot-check result")
        verbose_name_plural = _("spot-check results")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["spot_check", "item"], name="spot_check_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.spot_check_id}/{self.item_id} {self.result}"


class AccountabilityReferral(models.Model):
    """A plain record for the accountability module: a failed spot check (虚假整改/整改不到位)."""

    SCOPE = ScopeFields(unit="unit")

    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="+", verbose_name=_("unit"))
    item = models.ForeignKey(RectificationItem, models.CASCADE, related_name="referrals")
    spot_check_result = models.OneToOneField(
        SpotCheckResult, models.CASCADE, null=True, blank=True, related_name="referral"
    )
    reason = models.CharField(_("reason"), max_length=30, choices=SpotResult.choices)
    note = models.TextField(_("note"), blank=True)
    picked_up = models.BooleanField(_("taken up by accountability"), default=False)
    created_by = models.ForeignKey(USER, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("accountability referral")
        verbose_name_plural = _("accountability referrals")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:  # shown in the audit log: words, not codes ("虚假整改 #3")
        return f"{self.get_reason_display()} #{self.pk}"


class LedgerRollup(models.Model):
    """The ledger's dashboard figures pre-aggregated per responsible unit, *created* month and
    campaign (统计汇总; see ``rectification.rollup``). Kinds: ``items`` (``total`` items,
    ``closed`` of them) and ``open`` (``total`` items still open whose deadline falls in
    ``at_month``: how many of them are overdue depends on the day the dashboard is read). Rows
    with ``all_units`` sum every unit for county-wide reads. Written only by the rollup."""

    class Kind(models.TextChoices):
        ITEMS = "items", _("Items")
        OPEN = "open", _("Open items by deadline month")

    month = models.DateField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    all_units = models.BooleanField(default=False)
    unit = models.ForeignKey(
        "core.Unit", models.DO_NOTHING, null=True, blank=True, db_constraint=False, related_name="+"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        models.DO_NOTHING,
        null=True,
        blank=True,
        db_constraint=False,
        related_name="+",
    )
    at_month = models.DateField(null=True, blank=True)
    total = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("ledger statistics rollup")
        verbose_name_plural = _("ledger statistics rollups")
        indexes = [
            models.Index(fields=["kind", "all_units", "month"], name="ledger_rollup_month_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.month} {self.unit_id} {self.campaign_id}"
