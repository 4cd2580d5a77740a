"""Key tasks (重点任务) and their progress per unit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.core import audit, clock
from xiaoneng.core.models import StoredFile, Unit
from xiaoneng.core.services.base import require_writable

from ..models import (
    Campaign,
    KeyTask,
    KeyTaskProgress,
)
from .common import _invalid, _manage
from .submissions import _may_submit_for


# --- key tasks -----------------------------------------------------------------------------------------
@transaction.atomic
def key_task_create(
    *,
    actor,
    campaign: Campaign,
    number: int,
    title: str,
    group: str = "",
    content: str = "",
    lead_units: Iterable[Unit] = (),
    responsible_units: Iterable[Unit] = (),
    lead_text: str = "",
    responsible_text: str = "",
    due_on: dt.date | None = None,
) -> KeyTask:
    """A numbered key task (重点任务) with its deadline (完成时限) and units."""
    _manage(actor)
    if campaign.key_tasks.filter(number=number).exists():
        _invalid("number", _("This number is already used in the campaign."))
    task = KeyTask.objects.create(
        campaign=campaign,
        number=number,
        group=group,
        title=title,
        content=content,
        lead_text=lead_text,
        responsible_text=responsible_text,
        due_on=due_on,
    )
    lead, responsible = list(lead_units), list(responsible_units)
    task.lead_units.set(lead)
    task.responsible_units.set(responsible)
    KeyTaskProgress.objects.bulk_create(KeyTaskProgress(task=task, unit=u) for u in responsible)
    audit.record(
        "create",
        task,
        after={
            **audit.snapshot(task),
            "lead_units": [u.pk for u in lead],
            "responsible_units": [u.pk for u in responsible],
        },
        actor=actor,
    )
    return task


@transaction.atomic
def key_task_report(
    *,
    actor,
    task: KeyTask,
    unit: Unit,
    status: str,
    note: str = "",
    files: Iterable[StoredFile] = (),
) -> KeyTaskProgress:
    """A responsible unit reports its progress on a key task."""
    if not actor.has_permission("campaign.manage"):
        _may_submit_for(actor, unit)
    else:
        require_writable(actor)
    if status not in KeyTaskProgress.Status.values:
        _invalid("status", _("Choose a valid status."))
    try:
        row = KeyTaskProgress.objects.select_for_update().get(task=task, unit=unit)
    except KeyTaskProgress.DoesNotExist:
        _invalid("unit", _("This unit is not responsible for the task."))
    before = audit.snapshot(row)
    row.status, row.note = status, note
    row.updated_at, row.updated_by = clock.now(), actor
    row.save()
    files = list(files)
    if files:
        row.files.add(*files)
    audit.record("update", row, before=before, after=audit.snapshot(row), actor=actor)
    return row
