"""Self-inspection (自查), public commitments (公开承诺), learning records (学习教育), recurring
activities (五个一) and the institution register (建章立制, 十项制度).

Campaigns and ledger issues live in other apps (``campaigns``, ``rectification``); the links are
foreign keys (``campaign``, ``issue``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xiaoneng.core.scopefields import ScopeFields


# --- checklists (自查) ---------------------------------------------------------------------------
class ChecklistTemplate(models.Model):
    """A named self-inspection checklist (五查五看, 六查六看, …); seeded, editable by the office."""

    class Target(models.TextChoices):
        UNIT = "unit", pgettext_lazy("the units themselves", "Units")  # 单位, not 单位管理
        PERSON = "person", _("Individuals")
        BOTH = "both", _("Units and individuals")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    target = models.CharField(
        _("answered by"), max_length=10, choices=Target.choices, default=Target.BOTH
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.IntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    template = models.ForeignKey(
        ChecklistTemplate, models.CASCADE, related_name="items", verbose_name=_("template")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("item"))
    guidance = models.TextField(_("guidance"), blank=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["template", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "number"], name="checklist_item_number_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class ChecklistAssignment(models.Model):
    """A checklist a unit (person empty) or a person (of that unit) owes by a due date."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        COMPLETED = "completed", _("Completed")

    template = models.ForeignKey(
        ChecklistTemplate, models.PROTECT, related_name="assignments", verbose_name=_("template")
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("campaign"),
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
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    material_text = models.TextField(_("self-inspection material"), blank=True)
    material_files = models.ManyToManyField(
        "core.StoredFile", blank=True, related_name="+", verbose_name=_("material files")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))

    SCOPE = ScopeFields(unit="unit", person="person")

    class Meta:
        verbose_name = _("checklist assignment")
        verbose_name_plural = _("checklist assignments")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        who = self.person.name if self.person_id else self.unit.name
        return f"{self.template.name} · {who}"


class ChecklistAnswer(models.Model):
    class Result(models.TextChoices):
        OK = "ok", _("No problem")
        PROBLEM = "problem", _("Problem found")

    assignment = models.ForeignKey(
        ChecklistAssignment, models.CASCADE, related_name="answers", verbose_name=_("assignment")
    )
    item = models.ForeignKey(
        ChecklistItem, models.PROTECT, related_name="answers", verbose_name=_("item")
    )
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    description = models.TextField(_("description"), blank=True)
    files = models.ManyToManyField(
        "core.StoredFile", blank=True, related_name="+", verbose_name=_("files")
    )
    # The ledger issue this "problem" answer opened (rectification.Issue; integer until its
    # migration exists).
    issue = models.ForeignKey(
        "rectification.Issue",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ledger issue"),
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"))

    SCOPE = ScopeFields(unit="assignment__unit", person="assignment__person")

    class Meta:
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")
        ordering = ["assignment", "item__number"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "item"], name="checklist_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.get_result_display()}"


# --- public commitments (公开承诺) ---------------------------------------------------------------
class Commitment(models.Model):
    class Audience(models.TextChoices):
        LEADER = "leader", _("Leader in charge")
        NOTICE_BOARD = "notice_board", _("Notice board")
        WEBSITE = "website", _("Website")

    class Fulfilment(models.TextChoices):
        PENDING = "pending", _("Not yet reviewed")
        FULFILLED = "fulfilled", _("Fulfilled")
        PARTIAL = "partial", _("Partly fulfilled")
        UNFULFILLED = "unfulfilled", _("Not fulfilled")

    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="+", verbose_name=_("unit"))
    person = models.ForeignKey(
        "core.Person",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("campaign"),
    )
    content = models.TextField(_("content"))
    committed_on = models.DateField(_("date"))
    audience = models.CharField(_("made to"), max_length=20, choices=Audience.choices)
    is_public = models.BooleanField(_("public"), default=False)
    person_consents = models.BooleanField(_("person agrees to be named publicly"), default=False)
    fulfilment = models.CharField(
        _("fulfilment"),
        max_length=20,
        choices=Fulfilment.choices,
        default=Fulfilment.PENDING,
        db_index=True,
    )
    review_note = models.TextField(_("review note"), blank=True)
    review_evidence = models.ManyToManyField(
        "core.StoredFile", blank=True, related_name="+", verbose_name=_("evidence")
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))

    SCOPE = ScopeFields(unit="unit", person="person")

    class Meta:
        verbose_name = _("public commitment")
        verbose_name_plural = _("public commitments")
        ordering = ["-committed_on", "-id"]

    def __str__(self) -> str:
        return self.content[:50]


# --- learning (学习教育) ---------------------------------------------------------------------------
class LearningKind(models.TextChoices):
    SELF_STUDY = "self_study", _("Self-study")
    GROUP = "group", _("Group study")
    LECTURE = "lecture", _("Special lecture")
    TEST = "test", _("Test")


class LearningRequirement(models.Model):
    """A minimum per person over a date range: hours of one kind (or of all kinds), or essays.

    Seed 003 (tobacco plan): self-study ≥ 40 h, group study ≥ 10 h; seed 000: 1–2 essays.
    """

    class Measure(models.TextChoices):
        SELF_STUDY = "self_study", _("Self-study hours")
        GROUP = "group", _("Group study hours")
        LECTURE = "lecture", _("Special lecture hours")
        TEST = "test", _("Tests taken")
        TOTAL = "total", _("Hours of any kind")
        ESSAYS = "essays", _("Reflection essays")

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("campaign"),
    )
    name = models.CharField(_("name"), max_length=100)
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    minimum = models.DecimalField(_("minimum"), max_digits=7, decimal_places=1)
    maximum = models.DecimalField(
        _("maximum"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    starts_on = models.DateField(_("counted from"))
    ends_on = models.DateField(_("counted until"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("learning requirement")
        verbose_name_plural = _("learning requirements")
        ordering = ["starts_on", "id"]

    def __str__(self) -> str:
        return self.name


class LearningSession(models.Model):
    """One group session entered once for all its attendees (each gets a LearningRecord)."""

    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="+", verbose_name=_("unit"))
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("campaign"),
    )
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    kind = models.CharField(_("kind"), max_length=20, choices=LearningKind.choices)
    topic = models.CharField(_("topic"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))

    SCOPE = ScopeFields(unit="unit")

    class Meta:
        verbose_name = _("group learning session")
        verbose_name_plural = _("group learning sessions")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.topic}"


class LearningRecord(models.Model):
    person = models.ForeignKey(
        "core.Person", models.PROTECT, related_name="+", verbose_name=_("person")
    )
    # The person's unit when recorded: the data scope of the record.
    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="+", verbose_name=_("unit"))
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("campaign"),
    )
    session = models.ForeignKey(
        LearningSession,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="records",
        verbose_name=_("group session"),
    )
    date = models.DateField(_("date"), db_index=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    kind = models.CharField(_("kind"), max_length=20, choices=LearningKind.choices)
    topic = models.CharField(_("topic"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    essays = models.ManyToManyField(
        "core.StoredFile", blank=True, related_name="+", verbose_name=_("reflection essays")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))

    SCOPE = ScopeFields(unit="unit", person="person")

    class Meta:
        verbose_name = _("learning record")
        verbose_name_plural = _("learning records")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.person} {self.date} {self.hours}h"


# --- recurring activities (五个一) ---------------------------------------------------------------
class RecurringActivity(models.Model):
    """An activity each owing unit holds once per period (seed 003 "五个一")."""

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    frequency = models.CharField(_("frequency"), max_length=20, choices=Frequency.choices)
    all_units = models.BooleanField(_("owed by every active unit (except bureaus)"), default=True)
    units = models.ManyToManyField(
        "core.Unit", blank=True, related_name="+", verbose_name=_("owing units")
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("campaign"),
    )
    active_from = models.DateField(_("owed from"))
    active_until = models.DateField(_("owed until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.IntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("recurring activity")
        verbose_name_plural = _("recurring activities")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class ActivityRecord(models.Model):
    activity = models.ForeignKey(
        RecurringActivity, models.PROTECT, related_name="records", verbose_name=_("activity")
    )
    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="+", verbose_name=_("unit"))
    # "2026-10" (monthly) or "2026-Q4" (quarterly), derived from held_on.
    period = models.CharField(_("period"), max_length=10, db_index=True, editable=False)
    held_on = models.DateField(_("date"))
    participants = models.TextField(_("participants"), blank=True)
    participant_count = models.PositiveIntegerField(_("number of participants"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    photos = models.ManyToManyField(
        "core.StoredFile", blank=True, related_name="+", verbose_name=_("photos")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))

    SCOPE = ScopeFields(unit="unit")

    class Meta:
        verbose_name = _("activity record")
        verbose_name_plural = _("activity records")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["activity", "unit", "period"])]

    def __str__(self) -> str:
        return f"{self.activity} · {self.unit} · {self.period}"


# --- institution register (建章立制) ---------------------------------------------------------------
class RuleType(models.TextChoices):
    """The ten institutions every unit adopts (seed 000 "十项制度"), plus custom rules."""

    POST_RESPONSIBILITY = "post_responsibility", "岗位责任制"
    SERVICE_PROMISE = "service_promise", "服务承诺制"
    TIME_LIMIT = "time_limit", "限时办结制"
    FIRST_INQUIRY = "first_inquiry", "首问负责制"
    ONE_TIME_NOTICE = "one_time_notice", "一次告知制"
    OPEN_AFFAIRS = "open_affairs", "公开办事制"
    INTEGRITY_ANALYSIS = "integrity_analysis", "廉情分析制"
    SUPERVISION = "supervision", "督查督办制"
    PERFORMANCE = "performance", "绩效考评制"
    ACCOUNTABILITY = "accountability", "失职追究制"
    CUSTOM = "custom", _("Other rule")


TEN_RULES = [choice for choice in RuleType if choice != RuleType.CUSTOM]


class InstitutionRule(models.Model):
    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="+", verbose_name=_("unit"))
    rule_type = models.CharField(_("type"), max_length=30, choices=RuleType.choices)
    name = models.CharField(_("name"), max_length=200)
    document = models.ForeignKey(
        "core.StoredFile",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("document"),
    )
    owner = models.ForeignKey(
        "core.Person",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    adopted_on = models.DateField(_("adopted on"))
    next_review_on = models.DateField(_("next review"), null=True, blank=True, db_index=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("in force"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))

    SCOPE = ScopeFields(unit="unit")

    class Meta:
        verbose_name = _("institution rule")
        verbose_name_plural = _("institution rules")
        ordering = ["unit__path", "rule_type", "id"]

    def __str__(self) -> str:
        return self.name
