"""Append-only audit records and the login log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    pass


class AppendOnlyModel(models.Model):
    """Rows are written once; edits and deletes are refused (retention pruning uses queryset delete)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} records cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} records cannot be deleted.")


class AuditRecord(AppendOnlyModel):
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=50, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    @property
    def actor_display(self) -> str:
        """Who acted, as people call them (the person's name); "" for the system."""
        if self.actor_id and self.actor is not None:
            return self.actor.display_name
        return "" if self.actor_name == "system" else self.actor_name


class LoginLog(AppendOnlyModel):
    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Success")
        BAD_PASSWORD = "bad_password", _("Wrong user name or password")
        LOCKED = "locked", _("Account locked")
        THROTTLED = "throttled", _("Too many attempts: wait before trying again")
        CAPTCHA = "captcha", _("Verification code missing or wrong")
        INACTIVE = "inactive", _("Account disabled")
        DEMO_PASSWORD = "demo_password", _("Demo password refused outside demo mode")
        LOGOUT = "logout", _("Logged out")

    at = models.DateTimeField(_("time"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("user name"), max_length=150)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    success = models.BooleanField(_("success"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)

    class Meta:
        verbose_name = _("login record")
        verbose_name_plural = _("login log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.outcome}"
