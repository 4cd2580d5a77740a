"""The Idempotency-Key of create requests (API.md; the logic is core/idempotency.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """A create request's key: a repeat with the same key and body in the same scope (a user, or
    an API client such as the public site) returns the first response; the same key with another
    body, or on another endpoint, is a conflict."""

    scope = models.CharField(max_length=100)  # "user:17", …: whose keys these are
    key = models.CharField(max_length=200)
    endpoint = models.CharField(max_length=200, blank=True)  # "" for keys older than the column
    request_hash = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="core_idempotency_key_per_scope")
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"
