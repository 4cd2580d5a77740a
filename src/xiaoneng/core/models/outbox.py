"""The notification outbox: written in the caller's transaction, delivered by workers.

A row is claimed with a conditional UPDATE and a lease, so several workers never send one
row at once; a worker killed mid-send leaves a row whose lease expires and is claimed
again. Each delivery carries the row's dedup key, so the in-app inbox (unique per key) and
gateways that honour an idempotency key never show a message twice.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationChannel(models.TextChoices):
    INBOX = "inbox", _("In-app inbox")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class NotificationTemplate(models.Model):
    """Subject and body for one event and channel (Django template syntax), editable by admins."""

    event = models.SlugField(_("event"), max_length=50)
    channel = models.CharField(_("channel"), max_length=10, choices=NotificationChannel.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("notification template")
        verbose_name_plural = _("notification templates")
        constraints = [
            models.UniqueConstraint(fields=["event", "channel"], name="template_per_event_channel")
        ]

    def __str__(self) -> str:
        return f"{self.event} / {self.channel}"


class NotificationPreference(models.Model):
    """A user's opt-out of one channel for one event (inbox delivery cannot be turned off)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notification_preferences"
    )
    event = models.SlugField(_("event"), max_length=50)
    channel = models.CharField(_("channel"), max_length=10, choices=NotificationChannel.choices)
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "event", "channel"], name="preference_per_user_event_channel"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.event} {self.channel} {self.enabled}"


class Notification(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        DEAD = "dead", _("Gave up")
        SKIPPED = "skipped", _("Skipped")

    event = models.SlugField(_("event"), max_length=50)
    channel = models.CharField(_("channel"), max_length=10, choices=NotificationChannel.choices)
    # One event, one recipient, one channel: at most one row, whoever queues it and how often.
    dedup_key = models.CharField(max_length=255, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, null=True, blank=True, related_name="+"
    )
    address = models.CharField(
        _("address"), max_length=255, blank=True
    )  # e-mail or phone (encrypted for complainants)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    link = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(_("created at"))
    next_attempt_at = models.DateTimeField(db_index=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notification_due_idx")]

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient_id or self.channel}"


class DeliveryReceipt(models.Model):
    """What a gateway accepted, keyed by the notification's dedup key (the log/console SMS backend
    and the test gateway write here; a real gateway dedups on the same key)."""

    dedup_key = models.CharField(max_length=255, unique=True)
    channel = models.CharField(max_length=10, choices=NotificationChannel.choices)
    address = models.CharField(max_length=255, blank=True)
    body = models.TextField(blank=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return self.dedup_key
