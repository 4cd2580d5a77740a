"""Social supervisors (行风社会监督员 / 效能监督员, issue 20): the roster with their terms of
appointment, kept by the office, and what a supervisor files (observations and problem clues),
which the office turns into a complaint (channel 监督员) or a ledger issue, or notes with an
answer. A supervisor sees only their own reports (scope: person); units never see the reports
themselves, only the complaint or issue made of them.

Sources: PRODUCT.md roles ("supervisors and evaluators … report observations, take part in
evaluations") and capability 5 (外查: supervisors as a clue channel); seeds 000 and 001.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.scopefields import ScopeFields

from .vocab import ReportKind, ReportStatus, SupervisorKind, SupervisorStatus


class Supervisor(models.Model):
    """One appointment (聘任) on the roster: a person of the org chart (an outside supervisor is
    recorded as a person of the bureau) with the term of appointment."""

    SCOPE = ScopeFields(unit=None, person="person")

    person = models.OneToOneField(
        "core.Person", models.PROTECT, related_name="supervisor_post", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SupervisorKind.choices)
    affiliation = models.CharField(
        _("background"),
        max_length=200,
        blank=True,
        help_text=_("For example: deputy to the people's congress, retired teacher, patient."),
    )
    term_starts_on = models.DateField(_("term starts"))
    term_ends_on = models.DateField(_("term ends"))
    appointment_doc = models.CharField(_("letter of appointment"), max_length=100, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SupervisorStatus.choices,
        default=SupervisorStatus.ACTIVE,
        db_index=True,
    )
    ended_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("social supervisor")
        verbose_name_plural = _("social supervisors")
        ordering = ["status", "term_ends_on", "id"]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_kind_display()}）"


class Report(models.Model):
    """An observation or problem clue a supervisor filed, and what the office made of it."""

    SCOPE = ScopeFields(unit=None, person="supervisor__person")

    supervisor = models.ForeignKey(
        Supervisor, models.PROTECT, related_name="reports", verbose_name=_("supervisor")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReportKind.choices)
    unit = models.ForeignKey(
        "core.Unit", models.PROTECT, related_name="+", verbose_name=_("unit concerned")
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    observed_at = models.DateTimeField(_("observed at"))
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("what was seen"))
    files = models.ManyToManyField(
        "core.StoredFile", blank=True, related_name="+", verbose_name=_("photos and files")
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReportStatus.choices,
        default=ReportStatus.SUBMITTED,
        db_index=True,
    )
    complaint = models.ForeignKey(
        "complaints.Complaint",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("complaint"),
    )
    issue = models.ForeignKey(
        "rectification.Issue",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ledger issue"),
    )
    answer = models.TextField(_("the office's answer"), blank=True)
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("supervisor report")
        verbose_name_plural = _("supervisor reports")
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ActivityParticipation(models.Model):
    """A supervisor the office added to a 五个一 activity (selfcheck.ActivityRecord), e.g. a
    "假如我是患者" visit; the link lives here because selfcheck does not know supervisors."""

    SCOPE = ScopeFields(unit=None, person="supervisor__person")

    supervisor = models.ForeignKey(
        Supervisor, models.CASCADE, related_name="activities", verbose_name=_("supervisor")
    )
    record = models.ForeignKey(
        "selfcheck.ActivityRecord",
        models.CASCADE,
        related_name="supervisors",
        verbose_name=_("activity record"),
    )
    added_at = models.DateTimeField(_("added at"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("supervisor in an activity")
        verbose_name_plural = _("supervisors in activities")
        ordering = ["-record__held_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["supervisor", "record"], name="supervision_activity_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.supervisor.person.name} · {self.record}"
