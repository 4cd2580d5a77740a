"""Exposure bulletins (曝光通报): typical cases, counts and ranking, approval, publication and
the exposed units' 检讨发言 / 整改表态."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.scopefields import ScopeFields

from ..vocab import BulletinStatus, ResponseKind

USER = settings.AUTH_USER_MODEL


class Bulletin(models.Model):
    """A bulletin: composed by the office, approved by a leader, published on the public site.
    ``stats`` keeps the counts and ranking of units as published (they do not move later)."""

    SCOPE = ScopeFields(unit=None, owner="created_by")

    number = models.CharField(_("number"), max_length=40, null=True, blank=True, unique=True)
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=BulletinStatus.choices,
        default=BulletinStatus.DRAFT,
        db_index=True,
    )
    stats = models.JSONField(_("counts and ranking"), default=dict, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        USER, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("approver")
    )
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(USER, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("exposure bulletin")
        verbose_name_plural = _("exposure bulletins")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number or self.title


class BulletinEntry(models.Model):
    """A typical case of a bulletin, from a finding, a complaint or a registered source
    (``bulletin_sources``, e.g. an accountability case: ``source``). Only entries the approver
    approved are published; names only where the approver ticked ``show_names``."""

    bulletin = models.ForeignKey(Bulletin, models.CASCADE, related_name="entries")
    finding = models.ForeignKey(
        "inspections.Finding", models.PROTECT, null=True, blank=True, related_name="+"
    )
    complaint = models.ForeignKey(
        "complaints.Complaint", models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_type = models.ForeignKey(
        "contenttypes.ContentType", models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_pk = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_pk")
    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="+", verbose_name=_("unit"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("case"))
    handling = models.TextField(_("handling"), blank=True)
    names = models.CharField(_("people involved"), max_length=200, blank=True)
    approved = models.BooleanField(_("approved for publication"), default=False)
    show_names = models.BooleanField(_("publish names"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("bulletin case")
        verbose_name_plural = _("bulletin cases")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def public_names(self) -> str:
        return self.names if self.show_names else ""


class BulletinResponse(models.Model):
    """An exposed unit's 检讨发言 or 整改表态, recorded against the bulletin (seed 001)."""

    SCOPE = ScopeFields(unit="unit")

    bulletin = models.ForeignKey(Bulletin, models.CASCADE, related_name="responses")
    unit = models.ForeignKey("core.Unit", models.PROTECT, related_name="+", verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=20, choices=ResponseKind.choices)
    speaker = models.CharField(_("speaker"), max_length=50)
    text = models.TextField(_("content"))
    files = models.ManyToManyField("core.StoredFile", blank=True, related_name="+")
    recorded_by = models.ForeignKey(USER, models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("exposed unit's response")
        verbose_name_plural = _("exposed units' responses")
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.bulletin_id} {self.unit_id} {self.kind}"
