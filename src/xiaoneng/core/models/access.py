"""Users, roles and data scopes (全部 / 自定义单位 / 本单位及下级 / 本单位 / 本部门 / 仅本人)."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class DataScope(models.TextChoices):
    ALL = "all", _("All units")
    CUSTOM = "custom", _("Selected units")
    UNIT_AND_BELOW = "unit_and_below", _("Own unit and below")
    UNIT = "unit", _("Own unit")
    DEPARTMENT = "department", _("Own department")
    SELF = "self", _("Own records only")


class Role(models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=50)
    description = models.CharField(_("description"), max_length=200, blank=True)
    permissions = models.JSONField(_("permissions"), default=list, blank=True)
    data_scope = models.CharField(_("data scope"), max_length=20, choices=DataScope.choices)
    custom_units = models.ManyToManyField(
        "core.Unit", blank=True, related_name="+", verbose_name=_("selected units")
    )
    read_only = models.BooleanField(_("read only"), default=False)
    is_builtin = models.BooleanField(_("built in"), default=False, editable=False)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    person = models.OneToOneField(
        "core.Person",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
        verbose_name=_("person"),
    )
    roles = models.ManyToManyField(Role, blank=True, related_name="users", verbose_name=_("roles"))
    must_change_password = models.BooleanField(_("must change password"), default=False)
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)
    password_changed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def display_name(self) -> str:
        if self.person is not None:
            return self.person.name
        return self.get_full_name() or self.username

    @property
    def unit(self):
        return self.person.unit if self.person_id else None

    def save(self, *args, **kwargs):
        """An account that can no longer log in keeps no API token alive (issue #21 item 5):
        a password change on any path (form, admin, ``changepassword``, services — they all
        go through ``set_password`` + ``save``), deactivation and a lock revoke them all."""
        from .. import clock
        from .tokens import revoke_user_tokens

        now = clock.now()
        password_changed = self._password is not None
        if password_changed:
            self.password_changed_at = now
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "password_changed_at" not in update_fields:
                kwargs["update_fields"] = [*update_fields, "password_changed_at"]
        super().save(*args, **kwargs)
        locked = self.locked_until is not None and self.locked_until > now
        if password_changed or not self.is_active or locked:
            revoke_user_tokens(self, at=now)

    def role_list(self) -> list:
        """The user's roles, fetched once per user object (the data scope and the permission
        codes both read them: one query per request, not one each)."""
        cached = getattr(self, "_role_list", None)
        if cached is None:
            cached = self._role_list = list(self.roles.all())
        return cached

    def permission_codes(self) -> frozenset[str]:
        cached = getattr(self, "_permission_codes", None)
        if cached is None:
            codes: set[str] = set()
            for role in self.role_list():
                codes.update(role.permissions or [])
            cached = self._permission_codes = frozenset(codes)
        return cached

    def has_permission(self, code: str) -> bool:
        return self.is_active and (self.is_superuser or code in self.permission_codes())
