"""Audit records: every create, update, delete, state change and sensitive read."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.db import models

from . import batch, clock
from .context import current
from .models import AuditRecord


def _json_value(value: Any) -> Any:
    if value is None or type(value) in (str, int, bool, float):  # most fields: as they are
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_json_value(v) for v in value]
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or None
    return value


def snapshot(obj: models.Model, *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """The object's concrete field values as JSON-safe data (foreign keys as ids)."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude or field.name in {"password"}:
            continue
        data[field.name] = _json_value(getattr(obj, field.attname))
    return data


def diff(before: dict | None, after: dict | None) -> tuple[dict | None, dict | None]:
    """Keep only the fields that changed (both sides), for readable history."""
    if not before or not after:
        return before, after
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def object_type(obj_or_model) -> str:
    meta = obj_or_model._meta
    return f"{meta.app_label}.{meta.model_name}"


def record(
    action: str,
    obj: models.Model,
    *,
    before: dict | None = None,
    after: dict | None = None,
    actor=None,
    reason: str = "",
) -> AuditRecord:
    ctx = current()
    actor = actor if actor is not None else ctx.user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    before, after = diff(before, after) if action == "update" else (before, after)
    # With the open batch if any (core.batch: the intake writes its rows in one statement).
    return batch.insert(
        AuditRecord(
            at=clock.now(),
            actor=actor,
            actor_name=getattr(actor, "username", "") if actor else "system",
            action=action,
            object_type=object_type(obj),
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            before=before,
            after=after,
            reason=reason[:500],
            request_id=ctx.request_id,
            ip=ctx.ip,
        )
    )


def history(obj: models.Model):
    return AuditRecord.objects.filter(
        object_type=object_type(obj), object_id=str(obj.pk)
    ).select_related("actor__person")
