"""Open311 GeoReport v2: integrator keys and the cases that came in through them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.complaints.vocab import Channel


class Open311Key(models.Model):
    """An API key issued to one integrator (a 12345 hotline, an app), tied to one intake channel.

    Only the SHA-256 of the key is stored; the raw key is shown once when it is issued.
    """

    name = models.CharField(_("name"), max_length=100)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("key prefix"), max_length=8)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    created_at = models.DateTimeField(_("created at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 key")
        verbose_name_plural = _("Open311 keys")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Open311Request(models.Model):
    """A complaint created through POST requests: which key sent it, and what else was sent."""

    key = models.ForeignKey(Open311Key, models.PROTECT, related_name="requests")
    complaint = models.OneToOneField(
        "complaints.Complaint", models.CASCADE, related_name="open311_request"
    )
    token = models.CharField(max_length=32, unique=True)
    # The GeoReport service_request_id: random, so the public GETs cannot be walked through by
    # counting (the case number TS… is sequential and stays internal).
    public_id = models.CharField(_("service request id"), max_length=20, unique=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    address_id = models.CharField(max_length=100, blank=True)
    lat = models.DecimalField(max_digits=10, decimal_places=7, null=True, blank=True)
    long = models.DecimalField(max_digits=10, decimal_places=7, null=True, blank=True)
    account_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("Open311 request")
        verbose_name_plural = _("Open311 requests")

    def __str__(self) -> str:
        return self.public_id or self.token
