"""Complaints and reports (投诉举报): the record, the protected identity, the clock and the trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.scopefields import ScopeFields

from .vocab import (
    CLOCK_STATUSES,
    Channel,
    Importance,
    LimitUnit,
    Matter,
    Satisfaction,
    Status,
    SuggestionReason,
    SuggestionStatus,
    Type,
    Verification,
)


class Category(models.Model):
    """The problem taxonomy (configurable; seeded from PRODUCT.md)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    group = models.CharField(_("group"), max_length=50, blank=True)
    sort_order = models.IntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("problem category")
        verbose_name_plural = _("problem categories")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class SlaPolicy(models.Model):
    """A time rule chosen by type, channel, category, matter and flags (lowest priority number wins).

    ``conditions`` is a dict of lists/booleans, e.g. {"channel": ["hotline_12345"], "type":
    ["complaint", "report"]} or {"price_related": true}; an absent key matches anything.
    """

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    priority = models.IntegerField(
        _("priority"), default=100, help_text=_("Lower numbers are tried first.")
    )
    conditions = models.JSONField(_("conditions"), default=dict, blank=True)
    sign_value = models.PositiveIntegerField(_("sign-for limit"), null=True, blank=True)
    sign_unit = models.CharField(_("unit"), max_length=20, choices=LimitUnit.choices, blank=True)
    feedback_value = models.PositiveIntegerField(_("feedback limit"), null=True, blank=True)
    feedback_unit = models.CharField(
        _("unit"), max_length=20, choices=LimitUnit.choices, blank=True
    )
    resolve_value = models.PositiveIntegerField(_("resolution limit"))
    resolve_unit = models.CharField(_("unit"), max_length=20, choices=LimitUnit.choices)
    source = models.CharField(_("source"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("time-limit policy")
        verbose_name_plural = _("time-limit policies")
        ordering = ["priority", "id"]

    def __str__(self) -> str:
        return self.name


class EscalationRule(models.Model):
    """One rung of the escalation ladder (首问负责制, 提级管理): at P % of the resolution time go to level L."""

    class Level(models.IntegerChoices):
        FIRST_INQUIRY = 0, _("First-inquiry person")
        DEPARTMENT_HEAD = 1, _("Department head")
        LEADER_IN_CHARGE = 2, _("Leader in charge")
        PRINCIPAL = 3, _("Principal leader")

    percent = models.PositiveSmallIntegerField(_("percent of resolution time"), unique=True)
    level = models.PositiveSmallIntegerField(_("escalate to"), choices=Level.choices)
    notify_office = models.BooleanField(_("also tell the office"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("escalation rule")
        verbose_name_plural = _("escalation rules")
        ordering = ["percent"]

    def __str__(self) -> str:
        return f"{self.percent}% → {self.get_level_display()}"


class ComplaintRules(models.Model):
    """Engine-wide settings an administrator edits (a single row)."""

    max_extensions = models.PositiveSmallIntegerField(_("extensions allowed per case"), default=1)
    send_back_limit_working_days = models.PositiveSmallIntegerField(
        _("working days a unit has to send a case back"), default=2
    )
    criticism_after_working_days = models.PositiveSmallIntegerField(
        _("working days overdue before a written criticism"), default=5
    )
    yellow_remaining_working_days = models.PositiveSmallIntegerField(
        _("yellow when this many working days remain"), default=3
    )
    yellow_elapsed_percent = models.PositiveSmallIntegerField(
        _("yellow after this percent of the time"), default=80
    )

    class Meta:
        verbose_name = _("complaint rules")
        verbose_name_plural = _("complaint rules")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> ComplaintRules:
        return cls.objects.order_by("pk").first() or cls()


class ComplaintSequence(models.Model):
    """Per-year counter for gap-free numbers TS + year + 6 digits (row-locked by UPDATE)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Complaint(models.Model):
    SCOPE = ScopeFields(
        unit="unit", department="department", person="handler", owner="registered_by"
    )

    number = models.CharField(_("number"), max_length=20, unique=True)
    # Complainant secrets (docs/SECURITY.md): the tracking code opens public tracking; the rating
    # key (encrypted, shown only on the receipt) is needed to rate an anonymous case or ask for
    # a redo from the public side. Neither is ever shown to the unit handling the case.
    tracking_code = models.CharField(_("tracking code"), max_length=32, unique=True)
    rating_key_enc = models.TextField(_("rating key (encrypted)"), blank=True, editable=False)
    # The plain key, on the instance that registered the case only (its receipt); never stored.
    rating_key = ""
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    category = models.ForeignKey(
        Category, models.PROTECT, related_name="+", verbose_name=_("category")
    )
    matter = models.CharField(
        _("kind of matter"), max_length=30, choices=Matter.choices, default=Matter.GENERAL
    )
    received_at = models.DateTimeField(_("received at"), db_index=True)
    registered_at = models.DateTimeField(_("registered at"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    # What the complaint is about.
    subject_unit = models.ForeignKey(
        "core.Unit", models.PROTECT, related_name="+", verbose_name=_("unit complained about")
    )
    subject_department = models.ForeignKey(
        "core.Department",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    subject_person = models.ForeignKey(
        "core.Person",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person complained about"),
    )
    subject_person_name = models.CharField(
        _("person complained about (text)"), max_length=100, blank=True
    )
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content"), max_length=10000)
    importance = models.CharField(
        _("importance"), max_length=10, choices=Importance.choices, default=Importance.NORMAL
    )
    price_related = models.BooleanField(_("price-related"), default=False)
    complex_matter = models.BooleanField(_("major or complex matter"), default=False)
    multi_department = models.BooleanField(_("involves several departments"), default=False)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    consent_publish = models.BooleanField(_("complainant consents to publication"), default=False)
    # Not indexed: no query looks a case up by it (issue #18: every index is paid by each intake).
    external_ref = models.CharField(_("external reference"), max_length=100, blank=True)
    attachments = models.ManyToManyField(
        "core.StoredFile", blank=True, related_name="+", verbose_name=_("attachments")
    )

    # Who handles it: the responsible unit (set on dispatch) and the escalation chain.
    unit = models.ForeignKey(
        "core.Unit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("responsible unit"),
        db_index=False,  # complaint_unit_status_idx leads with it
    )
    department = models.ForeignKey(
        "core.Department",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("responsible department"),
    )
    first_inquiry_person = models.ForeignKey(
        "core.Person",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("first-inquiry person"),
    )
    handler = models.ForeignKey(
        "core.Person",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current handler"),
    )
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)

    # State and clock.
    # Indexed by complaint_status_due_idx (status, resolve_by), which leads with it.
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED
    )
    status_before_pause = models.CharField(max_length=20, choices=Status.choices, blank=True)
    sla_policy = models.ForeignKey(
        SlaPolicy,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("time-limit policy"),
    )
    sla_override_reason = models.CharField(
        _("reason for overriding the policy"), max_length=500, blank=True
    )
    clock_started_at = models.DateTimeField(_("clock started at"), null=True, blank=True)
    sign_by = models.DateTimeField(_("sign for by"), null=True, blank=True)
    feedback_by = models.DateTimeField(_("feedback by"), null=True, blank=True)
    resolve_by = models.DateTimeField(_("resolve by"), null=True, blank=True, db_index=True)
    deadline_uncertain = models.BooleanField(
        _("deadline uncertain (calendar not entered)"), default=False
    )
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    extension_count = models.PositiveSmallIntegerField(_("extensions granted"), default=0)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    overdue_since = models.DateTimeField(_("overdue since"), null=True, blank=True)
    redo_count = models.PositiveSmallIntegerField(_("redo rounds"), default=0)

    # Outcome.
    reject_reason = models.TextField(_("reason for not accepting"), blank=True)
    reply = models.TextField(_("reply to the complainant"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    reported_to_supervisor = models.BooleanField(
        _("reported to the supervising department"), default=False
    )
    verification = models.CharField(
        _("verification"), max_length=20, choices=Verification.choices, blank=True
    )
    satisfaction = models.CharField(
        _("satisfaction"), max_length=20, choices=Satisfaction.choices, blank=True
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    express_reported_at = models.DateTimeField(_("express report sent at"), null=True, blank=True)
    # Duplicates (complaints.duplicates): a merged duplicate points at the case that carries it.
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_cases",
        verbose_name=_("merged into"),
    )
    merged_at = models.DateTimeField(_("merged at"), null=True, blank=True)
    # Set at intake, cleared by the worker once the duplicate detector has run (after commit).
    duplicates_pending = models.BooleanField(
        _("duplicate check pending"), default=False, db_default=False, editable=False
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "status"], name="complaint_unit_status_idx"),
            models.Index(fields=["status", "resolve_by"], name="complaint_status_due_idx"),
            # The statistics rollup's incremental refresh: cases changed since the watermark.
            models.Index(fields=["updated_at"], name="complaint_updated_idx"),
            # The work home's "earliest deadlines" (running cases by resolve_by, LIMIT 5): without
            # it the planner walks resolve_by through every closed case first.
            models.Index(
                fields=["resolve_by", "id"],
                condition=models.Q(status__in=[s.value for s in CLOCK_STATUSES]),
                name="complaint_running_due_idx",
            ),
            models.Index(
                fields=["id"],
                condition=models.Q(duplicates_pending=True),
                name="complaint_dup_pending_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class ComplainantIdentity(models.Model):
    """Who complained, encrypted at rest; readable only with complainant.view, every read audited."""

    complaint = models.OneToOneField(Complaint, models.CASCADE, related_name="identity")
    name_enc = models.TextField(blank=True)
    phone_enc = models.TextField(blank=True)
    id_number_enc = models.TextField(blank=True)
    address_enc = models.TextField(blank=True)
    # Keyed hash of the normalised phone: finds repeat callers without decrypting.
    phone_index = models.CharField(max_length=64, blank=True, db_index=True)
    phone_last4 = models.CharField(max_length=4, blank=True)

    class Meta:
        verbose_name = _("complainant identity")
        verbose_name_plural = _("complainant identities")

    def __str__(self) -> str:
        return f"identity of {self.complaint_id}"


class ComplaintEvent(models.Model):
    """The timeline: every step with actor and time; `public` events are shown to the complainant."""

    complaint = models.ForeignKey(Complaint, models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(_("actor"), max_length=100, blank=True)
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    public = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.action}"


class ComplaintPause(models.Model):
    """Pause ledger: waiting for the complainant stops the clock."""

    complaint = models.ForeignKey(Complaint, models.CASCADE, related_name="pauses")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=500)
    working_seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"pause of {self.complaint_id} from {self.started_at}"


class ExtensionRequest(models.Model):
    complaint = models.ForeignKey(Complaint, models.CASCADE, related_name="extensions")
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    days = models.PositiveSmallIntegerField(_("working days"))
    reason = models.TextField(_("reason"))
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved = models.BooleanField(null=True)
    decision_reason = models.TextField(blank=True)
    old_resolve_by = models.DateTimeField(null=True, blank=True)
    new_resolve_by = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at"]

    def __str__(self) -> str:
        return f"extension of {self.complaint_id} by {self.days} days"


class EscalationStep(models.Model):
    """One escalation, reminder or criticism; `key` makes sweeps idempotent."""

    class Kind(models.TextChoices):
        LADDER = "ladder", _("Escalated on the ladder")
        SIGN_REMINDER = "sign_reminder", _("Sign-for reminder")
        SIGN_ESCALATION = "sign_escalation", _("Not signed for: escalated to the principal leader")
        OVERDUE_REMINDER = "overdue_reminder", _("Overdue reminder (催办)")
        WRITTEN_CRITICISM = "written_criticism", _("Written criticism proposed")
        MANUAL = "manual", _("Escalated by hand")

    complaint = models.ForeignKey(Complaint, models.CASCADE, related_name="escalations")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=100)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    person = models.ForeignKey(
        "core.Person", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()
    reason = models.CharField(max_length=500, blank=True)
    office_notified = models.BooleanField(default=False)
    resolved = models.BooleanField(_("handled by the office"), default=False)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "key"], name="escalation_once_per_key")
        ]
        # The dashboard's escalations of the current month and the rollup's refresh.
        indexes = [models.Index(fields=["at"], name="escalation_at_idx")]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind} {self.key}"


class DuplicateSuggestion(models.Model):
    """A possible duplicate found on intake: `complaint` (the newer case) may repeat `candidate`.

    The office merges it (complaints.duplicates.complaint_merge) or dismisses it.
    """

    complaint = models.ForeignKey(
        Complaint, models.CASCADE, related_name="duplicate_suggestions", verbose_name=_("complaint")
    )
    candidate = models.ForeignKey(
        Complaint, models.CASCADE, related_name="+", verbose_name=_("possible original")
    )
    reason = models.CharField(_("reason"), max_length=20, choices=SuggestionReason.choices)
    score = models.FloatField(_("text similarity"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.OPEN,
        db_index=True,
    )
    created_at = models.DateTimeField(_("found at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("duplicate suggestion")
        verbose_name_plural = _("duplicate suggestions")
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "candidate"], name="duplicate_suggestion_once_per_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} ~ {self.candidate_id} ({self.reason} {self.score:.2f})"


class ComplaintRollup(models.Model):
    """Pre-aggregated dashboard counts (统计汇总), per unit and month, rebuilt month by month.

    ``month`` is the local month the counted cases were *received* in: the unit of refresh (a
    month is recomputed whole, so a case moved to another unit or deadline is counted right).
    Kinds: ``unit`` (received, closed, on_time, rated, satisfied), ``channel`` / ``category``
    (``key``: the channel code / category id; ``count``), ``due`` (``at_month``: the month of
    the resolution deadline; ``count`` due, ``late`` answered late or still open past it) and
    ``escalation`` (``at_month``: the month of the step, ``key``: the rung; ``count``). Merged
    duplicates are left out (as on the live dashboard), except from escalations. Rows with
    ``all_units`` sum every unit (and cases without one) for county-wide reads; the others carry
    their unit. Written only by ``complaints.rollup``.
    """

    class Kind(models.TextChoices):
        UNIT = "unit", _("By unit")
        CHANNEL = "channel", _("By channel")
        CATEGORY = "category", _("By category")
        DUE = "due", _("Deadlines falling due")
        ESCALATION = "escalation", _("Escalations")

    month = models.DateField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    all_units = models.BooleanField(default=False)
    unit = models.ForeignKey(
        "core.Unit", models.DO_NOTHING, null=True, blank=True, db_constraint=False, related_name="+"
    )
    at_month = models.DateField(null=True, blank=True)
    key = models.CharField(max_length=32, blank=True)
    count = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("complaint statistics rollup")
        verbose_name_plural = _("complaint statistics rollups")
        indexes = [
            models.Index(fields=["kind", "all_units", "month"], name="rollup_kind_month_idx"),
            models.Index(fields=["kind", "all_units", "at_month"], name="rollup_kind_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.month} {self.unit_id} {self.key}"


class RollupState(models.Model):
    """When the complaint rollup was last refreshed (shown as the dashboard's "as of" time) and
    the watermark of the next incremental refresh (cases changed since then)."""

    name = models.CharField(max_length=32, unique=True)
    watermark = models.DateTimeField(null=True, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("statistics rollup state")
        verbose_name_plural = _("statistics rollup states")

    def __str__(self) -> str:
        return f"{self.name} @ {self.refreshed_at}"
