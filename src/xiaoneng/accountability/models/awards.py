"""Award nominations (评先评优) checked against vetoes and open cases."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.scopefields import ScopeFields

from ..vocab import NominationStatus

USER = settings.AUTH_USER_MODEL


class Nomination(models.Model):
    SCOPE = ScopeFields(unit="unit", owner="nominated_by")

    year = models.PositiveSmallIntegerField(_("year"))
    award = models.CharField(_("award"), max_length=100)
    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="+", verbose_name=_("unit"))
    person = models.ForeignKey(
        "core.Person",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    reason = models.TextField(_("deeds"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=NominationStatus.choices,
        default=NominationStatus.NOMINATED,
    )
    findings = models.JSONField(_("check findings"), default=list, blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    override_reason = models.TextField(_("reason for overriding the veto"), blank=True)
    nominated_by = models.ForeignKey(USER, models.SET_NULL, null=True, related_name="+")
    nominated_at = models.DateTimeField(_("nominated at"))
    decided_by = models.ForeignKey(USER, models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("award nomination")
        verbose_name_plural = _("award nominations")
        ordering = ["-year", "-nominated_at", "-id"]

    def __str__(self) -> str:
        nominee = self.person.name if self.person_id else self.unit.name
        return f"{self.year} {self.award}: {nominee}"
