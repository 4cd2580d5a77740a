"""The public site's own data: supervision channels and service standards (edited by admins in
the Django admin, seeded by migration 0002) and the complainant's rating of an answer."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.complaints.vocab import Satisfaction


class SupervisionChannel(models.Model):
    """One way to reach the office: a supervision phone, a mailbox, an e-mail address, a website."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("Supervision phone")
        MAILBOX = "mailbox", _("Mailbox")
        EMAIL = "email", _("E-mail")
        WEB = "web", _("Website")
        VISIT = "visit", _("Visit in person")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    value = models.CharField(
        _("number or address"),
        max_length=300,
        help_text=_("The phone number, e-mail address, mailbox location or web address."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    sort_order = models.IntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("shown on the public site"), default=True)

    class Meta:
        verbose_name = _("supervision channel")
        verbose_name_plural = _("supervision channels")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"

    @property
    def href(self) -> str:
        """A link for phones, e-mail and web addresses; empty for a mailbox or a place."""
        value = self.value.strip()
        if self.kind == self.Kind.PHONE:
            return "tel:" + "".join(ch for ch in value if ch.isdigit() or ch == "+")
        if self.kind == self.Kind.EMAIL and "@" in value:
            return f"mailto:{value}"
        if self.kind == self.Kind.WEB and value.startswith(("http://", "https://", "/")):
            return value
        return ""


class ServiceStandard(models.Model):
    """A service standard or time-limit promise shown on the home page (亮标准)."""

    title = models.CharField(_("title"), max_length=100)
    content = models.TextField(_("content"), max_length=2000)
    sort_order = models.IntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("shown on the public site"), default=True)

    class Meta:
        verbose_name = _("service standard")
        verbose_name_plural = _("service standards")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.title


class PublicFeedback(models.Model):
    """The complainant's own rating of the answer, given once on the tracking page.

    It feeds the engine: a verified case gets its return visit (回访) from it, and an
    unsatisfied complainant's redo request reopens an answered or closed case (重办)."""

    complaint = models.OneToOneField(
        "complaints.Complaint",
        models.CASCADE,
        related_name="public_feedback",
        verbose_name=_("complaint"),
    )
    satisfaction = models.CharField(
        _("satisfaction"),
        max_length=20,
        choices=Satisfaction.choices,
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    rated_at = models.DateTimeField(_("rated at"))
    redo_requested = models.BooleanField(_("redo requested"), default=False)
    applied_as = models.CharField(
        _("fed into the engine as"),
        max_length=20,
        blank=True,
        help_text=_("return_visit, reopen, or empty when the office still has to act on it."),
    )

    class Meta:
        verbose_name = _("public rating")
        verbose_name_plural = _("public ratings")
        ordering = ["-rated_at", "-id"]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.satisfaction}"
