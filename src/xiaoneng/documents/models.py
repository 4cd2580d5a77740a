"""Official documents (公文, GB/T 9704-2012) and their templates (data, versioned). Campaign
archives are core Jobs (kind ``documents.archive``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.scopefields import ScopeFields

from .vocab import DocumentKind, DocumentStatus

USER = settings.AUTH_USER_MODEL


class Letterhead(models.Model):
    """How a unit heads its documents: 发文机关标志 (e.g. 青山县卫生健康局文件) and the prefix of
    its 发文字号 (青卫效). Edited by an administrator."""

    unit = models.OneToOneField(
        "core.Unit", models.CASCADE, related_name="letterhead", verbose_name=_("unit")
    )
    mark = models.CharField(_("issuing authority mark"), max_length=60)
    prefix = models.CharField(_("number prefix"), max_length=20)
    seal_name = models.CharField(_("name in the signature"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("letterhead")
        verbose_name_plural = _("letterheads")

    def __str__(self) -> str:
        return self.mark


class DocumentTemplate(models.Model):
    """The text of one kind of document, with ``{placeholders}`` its source record fills.

    Versioned: a revision is a new row (``version`` + 1) and the old one is kept inactive, so
    a document always names the template text it was drafted from."""

    code = models.SlugField(_("code"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    version = models.PositiveIntegerField(_("version"), default=1)
    active = models.BooleanField(_("active"), default=True)
    name = models.CharField(_("name"), max_length=100)
    source = models.CharField(_("source record"), max_length=40)
    title = models.CharField(_("title"), max_length=300)
    addressee = models.CharField(_("addressee"), max_length=300, blank=True)
    body = models.TextField(_("body"))
    attachments = models.TextField(_("attachments"), blank=True)
    cc = models.CharField(_("copy to"), max_length=300, blank=True)
    # 〔{year}〕{seq}号 with the letterhead prefix; 简报/快报 use 第{seq}期.
    number_format = models.CharField(
        _("number format"), max_length=60, default="{prefix}〔{year}〕{seq}号"
    )
    # GB/T 9704-2012 §7.3.5.3 writes the date in Arabic numerals; older house styles use
    # Chinese numerals (二〇二六年三月五日).
    chinese_date = models.BooleanField(_("date in Chinese numerals"), default=False)
    updated_by = models.ForeignKey(USER, models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        ordering = ["kind", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="documents_template_version"),
        ]

    def __str__(self) -> str:
        return _("%(name)s (version %(version)s)") % {"name": self.name, "version": self.version}


class Document(models.Model):
    """One official document. Once issued it never changes: a correction is a new document
    whose ``corrects`` names this one."""

    SCOPE = ScopeFields(unit="unit", owner="created_by")

    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    template = models.ForeignKey(
        DocumentTemplate, models.PROTECT, related_name="documents", verbose_name=_("template")
    )
    unit = models.ForeignKey(
        "core.Unit", models.PROTECT, related_name="+", verbose_name=_("issuing unit")
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("campaign"),
    )
    source = models.CharField(_("source record"), max_length=40, blank=True)
    source_ref = models.CharField(_("source reference"), max_length=60, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DocumentStatus.choices,
        default=DocumentStatus.DRAFT,
        db_index=True,
    )
    mark = models.CharField(_("issuing authority mark"), max_length=60)
    title = models.CharField(_("title"), max_length=300)
    addressee = models.CharField(_("addressee"), max_length=300, blank=True)
    body = models.TextField(_("body"))
    attachments = models.TextField(_("attachments"), blank=True)
    signature = models.CharField(_("issuing authority"), max_length=100, blank=True)
    cc = models.CharField(_("copy to"), max_length=300, blank=True)
    printed_by = models.CharField(_("printed by"), max_length=100, blank=True)
    public = models.BooleanField(_("public"), default=False)
    recipients = models.ManyToManyField(
        "core.Unit", blank=True, related_name="+", verbose_name=_("recipient units")
    )
    corrects = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
    )
    year = models.PositiveIntegerField(_("year"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("sequence"), null=True, blank=True)
    number = models.CharField(_("number"), max_length=60, blank=True, db_index=True)
    dated = models.DateField(_("date"), null=True, blank=True)
    signed_by = models.ForeignKey(
        USER, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("signer")
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(USER, models.SET_NULL, null=True, blank=True, related_name="+")
    return_reason = models.TextField(_("reason for returning"), blank=True)
    created_by = models.ForeignKey(USER, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("official document")
        verbose_name_plural = _("official documents")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "year", "sequence"],
                condition=models.Q(sequence__isnull=False),
                name="documents_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()
