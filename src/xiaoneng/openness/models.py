"""领导接待日 (the roster and the visits received) and 院务公开 (a unit's public page)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.scopefields import ScopeFields

from .vocab import DisclosureStatus, Section

USER = settings.AUTH_USER_MODEL


class ReceptionDay(models.Model):
    """A bureau or hospital leader receives the public at a time and place (published)."""

    SCOPE = ScopeFields(unit="unit")

    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="+", verbose_name=_("unit"))
    leader = models.ForeignKey(
        "core.Person", models.PROTECT, related_name="+", verbose_name=_("leader")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200)
    topics = models.CharField(_("topics"), max_length=300, blank=True)
    created_by = models.ForeignKey(USER, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reception day")
        verbose_name_plural = _("reception days")
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return f"{self.leader.name} {self.starts_at:%Y-%m-%d}"


class ReceptionVisit(models.Model):
    """A visit received on a reception day, recorded as a complaint (channel reception_day)
    and linked to the leader who received it."""

    SCOPE = ScopeFields(unit="reception__unit")

    reception = models.ForeignKey(
        ReceptionDay, models.PROTECT, related_name="visits", verbose_name=_("reception day")
    )
    leader = models.ForeignKey(
        "core.Person", models.PROTECT, related_name="+", verbose_name=_("received by")
    )
    complaint = models.OneToOneField(
        "complaints.Complaint",
        models.PROTECT,
        related_name="reception_visit",
        verbose_name=_("complaint"),
    )
    recorded_by = models.ForeignKey(USER, models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("reception visit")
        verbose_name_plural = _("reception visits")
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.leader.name}: {self.complaint.number}"


class Disclosure(models.Model):
    """A unit's 院务公开 page. The unit edits the items; the office approves; the public sees
    the snapshot taken at the last approval (``published``)."""

    SCOPE = ScopeFields(unit="unit")

    unit = models.OneToOneField(
        "core.Unit", models.PROTECT, related_name="disclosure", verbose_name=_("unit")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DisclosureStatus.choices,
        default=DisclosureStatus.DRAFT,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(USER, models.SET_NULL, null=True, blank=True, related_name="+")
    return_reason = models.TextField(_("reason for returning"), blank=True)
    published = models.JSONField(_("published content"), default=list, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("public disclosure")
        verbose_name_plural = _("public disclosures")
        ordering = ["unit__path", "id"]

    def __str__(self) -> str:
        return str(self.unit)


class DisclosureItem(models.Model):
    SCOPE = ScopeFields(unit="disclosure__unit")

    disclosure = models.ForeignKey(
        Disclosure, models.CASCADE, related_name="items", verbose_name=_("public disclosure")
    )
    section = models.CharField(_("section"), max_length=12, choices=Section.choices)
    title = models.CharField(_("item"), max_length=200)
    content = models.TextField(_("content"), blank=True)
    time_limit = models.CharField(_("time limit"), max_length=100, blank=True)
    price = models.DecimalField(
        _("price (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    price_unit = models.CharField(_("charged per"), max_length=30, blank=True)
    position = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("disclosure item")
        verbose_name_plural = _("disclosure items")
        ordering = ["section", "position", "id"]

    def __str__(self) -> str:
        return self.title

    def as_public(self) -> dict:
        return {
            "section": self.section,
            "title": self.title,
            "content": self.content,
            "time_limit": self.time_limit,
            "price": None if self.price is None else str(self.price),
            "price_unit": self.price_unit,
        }
