"""Service time limits (限时服务, seed 000 §二.2–3, seed 003): the standards as data, the log
sources with their column mappings, the imports, and the computed compliance aggregates.

The events themselves are never stored in the database: they live as Parquet partitions
(unit, month) under ``XIAONENG_VAR_DIR/servicelogs`` (see ``storage``); the database keeps
metadata and aggregates only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.scopefields import ScopeFields

from .vocab import CalendarKind, MissingEnd, ProposalStatus


class ServiceStandard(models.Model):
    """One time limit: from a start event to an end event within ``limit_minutes``."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    start_event = models.CharField(_("start event"), max_length=60)
    end_event = models.CharField(_("end event"), max_length=60)
    limit_minutes = models.PositiveIntegerField(_("limit (minutes)"))
    calendar_kind = models.CharField(
        _("calendar"), max_length=10, choices=CalendarKind.choices, default=CalendarKind.NATURAL
    )
    threshold_percent = models.DecimalField(
        _("compliance threshold (%)"), max_digits=5, decimal_places=2, default=95
    )
    missing_end = models.CharField(
        _("missing end event"),
        max_length=15,
        choices=MissingEnd.choices,
        default=MissingEnd.NONCOMPLIANT,
    )
    source_quote = models.TextField(_("source"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("service time standard")
        verbose_name_plural = _("service time standards")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class StandardOverride(models.Model):
    """A unit's own limit or threshold for a standard (blank = the standard's)."""

    SCOPE = ScopeFields(unit="unit")
    standard = models.ForeignKey(ServiceStandard, models.CASCADE, related_name="overrides")
    unit = models.ForeignKey("core.Unit", models.CASCADE, related_name="+")
    limit_minutes = models.PositiveIntegerField(_("limit (minutes)"), null=True, blank=True)
    threshold_percent = models.DecimalField(
        _("compliance threshold (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    is_active = models.BooleanField(_("applies"), default=True)

    class Meta:
        verbose_name = _("unit override")
        verbose_name_plural = _("unit overrides")
        constraints = [
            models.UniqueConstraint(fields=["standard", "unit"], name="servicetimes_override_once")
        ]

    def __str__(self) -> str:
        return f"{self.standard} · {self.unit}"


class LogSource(models.Model):
    """A source system (HIS, LIS, PACS, queueing) and how its files' columns are named."""

    FIELDS = ("encounter", "event", "timestamp", "unit", "department", "staff")
    REQUIRED = ("encounter", "event", "timestamp", "unit")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    # {"encounter": "就诊号", "event": "事件", "timestamp": "时间", "unit": "机构编码", ...}
    mapping = models.JSONField(_("column mapping"), default=dict)

    class Meta:
        verbose_name = _("log source")
        verbose_name_plural = _("log sources")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LogImport(models.Model):
    """One uploaded log file and what its import did (the job carries progress and errors)."""

    source = models.ForeignKey(LogSource, models.PROTECT, related_name="imports")
    job = models.OneToOneField("core.Job", models.CASCADE, related_name="+")
    # The uploaded file, kept under the log store (checked by content: CSV, xlsx or Parquet).
    file_name = models.CharField(_("file"), max_length=200)
    file_path = models.CharField(max_length=300)
    file_kind = models.CharField(max_length=10)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    added = models.PositiveIntegerField(_("events added"), default=0)
    duplicates = models.PositiveIntegerField(_("duplicates ignored"), default=0)
    # [[unit id, "YYYY-MM"], …] written by this import
    partitions = models.JSONField(_("partitions"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("log import")
        verbose_name_plural = _("log imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name


class ComplianceResult(models.Model):
    """The figures of one standard in one unit (department blank = the whole unit) and month.
    Aggregates only: its cases are read from the Parquet store (``engine.worst_cases``)."""

    SCOPE = ScopeFields(unit="unit", department="department")
    # No index of their own for standard and unit: the unique constraint serves the lookups by
    # unit; a standard is hardly ever deleted. Each index costs every recompute's COPY.
    standard = models.ForeignKey(
        ServiceStandard, models.CASCADE, related_name="results", db_index=False
    )
    unit = models.ForeignKey("core.Unit", models.CASCADE, related_name="+", db_index=False)
    department = models.ForeignKey(
        "core.Department", models.CASCADE, null=True, blank=True, related_name="+"
    )
    month = models.DateField(_("month"))
    cases = models.PositiveIntegerField(_("cases"))
    compliant = models.PositiveIntegerField(_("compliant"))
    missing_end = models.PositiveIntegerField(_("missing end event"))
    excluded = models.PositiveIntegerField(_("excluded"))
    rate = models.DecimalField(_("rate (%)"), max_digits=6, decimal_places=2, null=True)
    median_seconds = models.FloatField(_("median (s)"), null=True)
    p90_seconds = models.FloatField(_("p90 (s)"), null=True)
    limit_minutes = models.PositiveIntegerField(_("limit (minutes)"))
    threshold_percent = models.DecimalField(max_digits=5, decimal_places=2)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("compliance result")
        verbose_name_plural = _("compliance results")
        ordering = ["-month", "standard__order", "unit__name"]
        # Unit and month first: the one index serves the lookups by unit (and month) too, so
        # there is no (unit, month) index to maintain on every recompute's COPY.
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "month", "standard", "department"],
                name="servicetimes_result_once",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.standard} · {self.unit} · {self.month:%Y-%m}"

    @property
    def below_threshold(self) -> bool:
        return self.rate is not None and self.rate < self.threshold_percent


class LedgerProposal(models.Model):
    """A unit's monthly rate below its threshold: proposed as a ledger issue; the office decides."""

    SCOPE = ScopeFields(unit="unit")
    result = models.OneToOneField(ComplianceResult, models.CASCADE, related_name="proposal")
    unit = models.ForeignKey("core.Unit", models.CASCADE, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    issue = models.ForeignKey(
        "rectification.Issue", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ledger proposal")
        verbose_name_plural = _("ledger proposals")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.result}"
