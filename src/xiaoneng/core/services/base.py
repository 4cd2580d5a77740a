"""Helpers every service uses: permission checks, audited saves."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from .. import audit
from ..errors import Forbidden, ValidationFailed


def require_permission(actor, code: str) -> None:
    if actor is None or not actor.has_permission(code):
        raise Forbidden(_("You do not have permission to do this."))


def require_writable(actor) -> None:
    if actor is not None and not actor.is_superuser and all(r.read_only for r in actor.roles.all()):
        raise Forbidden(_("Your role is read-only."))


def validation_errors(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            field: [str(m) for e in errs for m in e.messages]
            for field, errs in exc.error_dict.items()
        }
    return {"non_field_errors": [str(m) for m in exc.messages]}


def full_clean(obj: models.Model, **kwargs) -> None:
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        raise ValidationFailed(_("Please correct the errors below."), errors=validation_errors(exc))


def apply_changes(obj: models.Model, changes: dict[str, Any], *, allowed: set[str]) -> list[str]:
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationFailed(
            _("Unknown fields."),
            errors={f: [_("This field cannot be changed here.")] for f in sorted(unknown)},
        )
    changed = []
    for name, value in changes.items():
        field = obj._meta.get_field(name)
        if isinstance(field, models.Field) and (field.many_to_one or field.one_to_one):
            # Compare ids: reading an unset relation raises.
            new_id = value.pk if isinstance(value, models.Model) else value
            if getattr(obj, field.attname) != new_id or (
                new_id is None and field.attname not in obj.__dict__
            ):
                setattr(obj, name if isinstance(value, models.Model) else field.attname, value)
                changed.append(name)
        elif getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def save_audited(
    obj: models.Model, *, actor, creating: bool, before: dict | None = None, exclude=()
) -> None:
    obj.save()
    audit.record(
        "create" if creating else "update",
        obj,
        before=before,
        after=audit.snapshot(obj),
        actor=actor,
    )
