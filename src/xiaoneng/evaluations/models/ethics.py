"""Medical-ethics files (医德医风考评档案): one per medical worker per year — self, department and
unit evaluations, patient-evaluation figures, veto items (一票否决) and the final grade
(优秀/良好/一般/较差) with its reviewer. Seeds 000 and 003; PRODUCT.md 16."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.scopefields import ScopeFields

from ..vocab import EthicsGrade, EthicsStatus

USER = settings.AUTH_USER_MODEL


class VetoItem(models.Model):
    """A one-vote-veto item: any of them on a file forces 较差 (收受红包回扣, 严重乱收费…)."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("veto item"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("veto item")
        verbose_name_plural = _("veto items")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class EthicsRule(models.Model):
    """How the suggested score and grade are computed (one active row, edited by admins)."""

    self_weight = models.DecimalField(
        _("self-evaluation weight (%)"), max_digits=5, decimal_places=2
    )
    department_weight = models.DecimalField(
        _("department evaluation weight (%)"), max_digits=5, decimal_places=2
    )
    unit_weight = models.DecimalField(
        _("unit evaluation weight (%)"), max_digits=5, decimal_places=2
    )
    complaint_deduction = models.DecimalField(
        _("points off per verified complaint"), max_digits=5, decimal_places=2
    )
    excellent_min = models.DecimalField(_("excellent from"), max_digits=5, decimal_places=2)
    good_min = models.DecimalField(_("good from"), max_digits=5, decimal_places=2)
    average_min = models.DecimalField(_("average from"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("ethics grading rule")
        verbose_name_plural = _("ethics grading rules")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


class EthicsFile(models.Model):
    SCOPE = ScopeFields(unit="unit", department="department", person="person")

    person = models.ForeignKey(
        "core.Person", models.PROTECT, related_name="ethics_files", verbose_name=_("person")
    )
    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="+", verbose_name=_("unit"))
    department = models.ForeignKey(
        "core.Department",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=10, choices=EthicsStatus.choices, default=EthicsStatus.OPEN
    )
    self_text = models.TextField(_("self-evaluation"), blank=True)
    self_score = models.DecimalField(
        _("self-evaluation score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    self_at = models.DateTimeField(null=True, blank=True)
    department_text = models.TextField(_("department evaluation"), blank=True)
    department_score = models.DecimalField(
        _("department score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    department_by = models.ForeignKey(
        USER, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    department_at = models.DateTimeField(null=True, blank=True)
    unit_text = models.TextField(_("unit evaluation"), blank=True)
    unit_score = models.DecimalField(
        _("unit score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    unit_by = models.ForeignKey(USER, models.SET_NULL, null=True, blank=True, related_name="+")
    unit_at = models.DateTimeField(null=True, blank=True)
    # Patient evaluation, pulled from the surveys (the department's, else the unit's rate) and
    # from the complaints verified 属实 / 部分属实 against this person in the year.
    patient_responses = models.PositiveIntegerField(_("valid survey answers"), default=0)
    patient_satisfaction = models.DecimalField(
        _("patient satisfaction (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    verified_complaints = models.PositiveIntegerField(_("verified complaints"), default=0)
    figures_at = models.DateTimeField(_("figures pulled at"), null=True, blank=True)
    vetoes = models.ManyToManyField(
        VetoItem, blank=True, related_name="+", verbose_name=_("veto items")
    )
    veto_note = models.CharField(_("veto facts"), max_length=500, blank=True)
    suggested_score = models.DecimalField(
        _("suggested score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    grade = models.CharField(_("grade"), max_length=10, choices=EthicsGrade.choices, blank=True)
    grade_note = models.CharField(_("grading note"), max_length=500, blank=True)
    reviewer = models.ForeignKey(
        USER, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("reviewer")
    )
    graded_at = models.DateTimeField(_("graded at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("medical-ethics file")
        verbose_name_plural = _("medical-ethics files")
        ordering = ["unit__path", "-year", "person__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="ethics_file_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.person.name} {self.year}"
