"""Campaigns (专项行动/活动): templates seeded from the plans, phases, leading groups, reporting
requirements and the units' submissions, key tasks (重点任务) and the target decomposition table
(目标分解表) with measurements.

Rules and their sources: PRODUCT.md capabilities 1–3; the phase dates, deliverables, key tasks
and targets of the templates come from the seeds (000 效能风暴, 001 转作风提效能,
002 机关效能建设, 003 作风整顿 and the 创建文明城市 target table in the same file).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xiaoneng.core.scopefields import ScopeFields


class CampaignKind(models.TextChoices):
    WORK_STYLE = "work_style", _("Work-style rectification")  # 作风整顿
    EFFICIENCY_STORM = "efficiency_storm", _("Efficiency storm")  # 效能风暴
    STYLE_EFFICIENCY = "style_efficiency", _("Improve style and efficiency")  # 转作风提效能
    EFFICIENCY_BUILDING = "efficiency_building", _("Efficiency building")  # 机关效能建设
    CIVILISED_CITY = "civilised_city", _("Civilised city")  # 创建文明城市
    OTHER = "other", _("Other")


class CampaignTemplate(models.Model):
    """A campaign plan to copy; ``spec`` holds phases (month/day offsets from the first year),
    deliverables, key tasks and targets exactly as the seed gives them."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=30, choices=CampaignKind.choices)
    source = models.CharField(_("source"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    guiding_ideas = models.TextField(_("guiding ideas"), blank=True)
    goals = models.TextField(_("goals"), blank=True)
    spec = models.JSONField(_("specification"), default=dict)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.IntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("campaign template")
        verbose_name_plural = _("campaign templates")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def spans_years(self) -> int:
        offsets = [p["end"][0] for p in self.spec.get("phases", [])] or [0]
        return max(offsets) + 1


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")  # 草拟
        ACTIVE = "active", pgettext_lazy("campaign status", "In progress")  # 进行中
        CLOSED = "closed", _("Finished")  # 已结束

    template = models.ForeignKey(
        CampaignTemplate,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name=_("template"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=30, choices=CampaignKind.choices, default=CampaignKind.OTHER
    )
    doc_number = models.CharField(_("document number"), max_length=100, blank=True)
    issuing_unit = models.ForeignKey(
        "core.Unit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issuing unit"),
    )
    units = models.ManyToManyField(
        "core.Unit", blank=True, related_name="campaigns", verbose_name=_("units in scope")
    )
    # Plain text with line breaks (rendered with |linebreaks, never as HTML).
    guiding_ideas = models.TextField(_("guiding ideas"), blank=True)
    goals = models.TextField(_("goals"), blank=True)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("remind N working days before due"), default=2
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))

    SCOPE = ScopeFields(unit="units")

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.name


class LeadingGroup(models.Model):
    """The campaign's leading group (unit empty) or a unit's own group for the campaign."""

    campaign = models.ForeignKey(
        Campaign, models.CASCADE, related_name="groups", verbose_name=_("campaign")
    )
    unit = models.ForeignKey(
        "core.Unit", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("unit")
    )
    name = models.CharField(_("name"), max_length=200)
    office_name = models.CharField(_("office"), max_length=200, blank=True)
    office_director = models.ForeignKey(
        "core.Person",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("office director"),
    )

    class Meta:
        verbose_name = _("leading group")
        verbose_name_plural = _("leading groups")
        ordering = ["campaign", "unit_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit"], name="campaign_group_once_per_unit"
            ),
            models.UniqueConstraint(
                fields=["campaign"],
                condition=models.Q(unit__isnull=True),
                name="campaign_one_top_group",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", _("Leader")  # 组长
        DEPUTY = "deputy", _("Deputy leader")  # 副组长
        MEMBER = "member", _("Member")  # 成员

    group = models.ForeignKey(
        LeadingGroup, models.CASCADE, related_name="members", verbose_name=_("group")
    )
    person = models.ForeignKey(
        "core.Person", models.PROTECT, related_name="+", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    sort_order = models.IntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        ordering = ["group", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "person"], name="campaign_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()}"


class Phase(models.Model):
    campaign = models.ForeignKey(
        Campaign, models.CASCADE, related_name="phases", verbose_name=_("campaign")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["campaign", "order"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "order"], name="campaign_phase_order_once")
        ]

    def __str__(self) -> str:
        return self.name


class Recurrence(models.TextChoices):
    NONE = "", _("Once")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")


class ReportingRequirement(models.Model):
    """A named deliverable (报送要求) the listed units owe by a date, or on every date of a
    weekly/monthly series (e.g. 简报)."""

    campaign = models.ForeignKey(
        Campaign, models.CASCADE, related_name="requirements", verbose_name=_("campaign")
    )
    phase = models.ForeignKey(
        Phase,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="requirements",
        verbose_name=_("phase"),
    )
    name = models.CharField(_("deliverable"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    units = models.ManyToManyField(
        "core.Unit", related_name="+", verbose_name=_("units that owe it")
    )
    due_on = models.DateField(_("due date"))
    recurrence = models.CharField(
        _("recurrence"), max_length=10, choices=Recurrence.choices, default="", blank=True
    )
    repeat_until = models.DateField(_("repeat until"), null=True, blank=True)
    template_file = models.ForeignKey(
        "core.StoredFile",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("template file"),
    )
    sort_order = models.IntegerField(_("sort order"), default=0)

    SCOPE = ScopeFields(unit="units")

    class Meta:
        verbose_name = _("reporting requirement")
        verbose_name_plural = _("reporting requirements")
        ordering = ["campaign", "due_on", "sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class Submission(models.Model):
    """What one unit owes for one requirement on one due date; states 未报送 / 已报送 /
    逾期报送 / 已退回 / 已通过 (``workflow.SUBMISSION``). "逾期" (overdue) is not stored: a
    pending or returned submission past its due date *is* overdue (``selectors.is_overdue``)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Not submitted")  # 未报送
        SUBMITTED = "submitted", _("Submitted")  # 已报送
        LATE = "late", _("Submitted late")  # 逾期报送
        RETURNED = "returned", _("Returned")  # 已退回
        ACCEPTED = "accepted", pgettext_lazy("submission status", "Accepted")  # 已通过

    requirement = models.ForeignKey(
        ReportingRequirement,
        models.CASCADE,
        related_name="submissions",
        verbose_name=_("requirement"),
    )
    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="+", verbose_name=_("unit"))
    due_on = models.DateField(_("due date"), db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    text = models.TextField(_("text"), blank=True)
    files = models.ManyToManyField(
        "core.StoredFile", blank=True, related_name="+", verbose_name=_("files")
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    return_reason = models.TextField(_("reason for return"), blank=True)

    SCOPE = ScopeFields(unit="unit")

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["due_on", "requirement_id", "unit_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["requirement", "unit", "due_on"], name="campaign_submission_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.requirement.name} · {self.unit.name} · {self.due_on}"


class KeyTask(models.Model):
    """A numbered key task (重点任务) with lead units (牵头单位) and responsible units (责任单位).
    Names from the seed that match no unit are kept as text."""

    campaign = models.ForeignKey(
        Campaign, models.CASCADE, related_name="key_tasks", verbose_name=_("campaign")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    group = models.CharField(_("group"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content"), blank=True)
    lead_units = models.ManyToManyField(
        "core.Unit", blank=True, related_name="+", verbose_name=_("lead units")
    )
    responsible_units = models.ManyToManyField(
        "core.Unit", blank=True, related_name="+", verbose_name=_("responsible units")
    )
    lead_text = models.CharField(_("lead units (as written)"), max_length=300, blank=True)
    responsible_text = models.CharField(
        _("responsible units (as written)"), max_length=300, blank=True
    )
    due_on = models.DateField(_("deadline"), null=True, blank=True)

    class Meta:
        verbose_name = _("key task")
        verbose_name_plural = _("key tasks")
        ordering = ["campaign", "number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="campaign_task_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class KeyTaskProgress(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    task = models.ForeignKey(
        KeyTask, models.CASCADE, related_name="progress", verbose_name=_("key task")
    )
    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="+", verbose_name=_("unit"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    note = models.TextField(_("progress note"), blank=True)
    files = models.ManyToManyField(
        "core.StoredFile", blank=True, related_name="+", verbose_name=_("files")
    )
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    SCOPE = ScopeFields(unit="unit")

    class Meta:
        verbose_name = _("key task progress")
        verbose_name_plural = _("key task progress")
        ordering = ["task", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "unit"], name="campaign_task_progress_once")
        ]

    def __str__(self) -> str:
        return f"{self.task} · {self.unit}"


class EvaluationMethod(models.TextChoices):
    MATERIAL = "material", _("Document review")  # 材料审核
    SURVEY = "survey", _("Questionnaire")  # 问卷调查
    SITE = "site", _("Site visit")  # 实地考察
    RECORDS = "records", _("Records check")  # 查阅记录


class Comparator(models.TextChoices):
    NONE = "", _("Not measurable")
    GE = "ge", "≥"
    GT = "gt", ">"
    LE = "le", "≤"
    LT = "lt", "<"
    EQ = "eq", "="


class Target(models.Model):
    """One row of the target decomposition table (目标分解表); the standard is parsed into
    comparator, value and unit (``standards.parse``) so measurements are judged automatically."""

    campaign = models.ForeignKey(
        Campaign, models.CASCADE, related_name="targets", verbose_name=_("campaign")
    )
    number = models.CharField(_("number"), max_length=20)
    item = models.CharField(_("item"), max_length=200, blank=True)
    content = models.TextField(_("content"))
    standard = models.CharField(_("standard"), max_length=200)
    comparator = models.CharField(
        _("comparator"), max_length=2, choices=Comparator.choices, default="", blank=True
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4, null=True, blank=True)
    measure_unit = models.CharField(_("unit of measure"), max_length=20, blank=True)
    methods = models.JSONField(_("evaluation methods"), default=list, blank=True)
    leader_name = models.CharField(_("leader in charge"), max_length=50, blank=True)
    responsible_unit = models.ForeignKey(
        "core.Unit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible unit"),
    )
    responsible_office = models.CharField(_("responsible office"), max_length=100, blank=True)
    responsible_person = models.CharField(_("responsible person"), max_length=50, blank=True)

    SCOPE = ScopeFields(unit="responsible_unit")

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["campaign", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="campaign_target_once")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.content[:40]}"


class TargetMeasurement(models.Model):
    target = models.ForeignKey(
        Target, models.CASCADE, related_name="measurements", verbose_name=_("target")
    )
    period = models.CharField(_("period"), max_length=20)
    value = models.DecimalField(_("measured value"), max_digits=14, decimal_places=4)
    evidence = models.TextField(_("evidence"), blank=True)
    files = models.ManyToManyField(
        "core.StoredFile", blank=True, related_name="+", verbose_name=_("evidence files")
    )
    met = models.BooleanField(_("met"), null=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported at"))

    SCOPE = ScopeFields(unit="target__responsible_unit")

    class Meta:
        verbose_name = _("target measurement")
        verbose_name_plural = _("target measurements")
        ordering = ["target", "period"]
        constraints = [
            models.UniqueConstraint(fields=["target", "period"], name="campaign_measurement_once")
        ]

    def __str__(self) -> str:
        return f"{self.target.number} · {self.period}"
