from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Message(models.Model):
    """An in-app inbox message; later modules deliver through it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="messages",
        verbose_name=_("recipient"),
    )
    created_at = models.DateTimeField(_("time"), db_index=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("content"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=50, blank=True)
    # Same key, same recipient: delivered once even if the sender runs twice.
    dedup_key = models.CharField(max_length=200, blank=True, default="")
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="message_unread_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedup_key"],
                condition=~models.Q(dedup_key=""),
                name="message_dedup_per_recipient",
            )
        ]

    def __str__(self) -> str:
        return self.title
