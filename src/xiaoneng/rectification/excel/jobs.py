"""Ledger export and import as ``core.models.Job``s in the task queue, and the synchronous
import (CLI, tests)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from xiaoneng.core import clock
from xiaoneng.core.files import store_bytes
from xiaoneng.core.models import Job, StoredFile, Unit, User
from xiaoneng.core.scope import scoped
from xiaoneng.core.services.base import require
from xiaoneng.core.spreadsheet import RowError

from .. import selectors
from ..models import RectificationItem
from .checks import validate
from .export import build_workbook_bytes, export_rows
from .layout import EXPORT_KIND, IMPORT_KIND
from .write import _bump, apply_plan


def start_export(*, actor: User, params: dict) -> Job:
    """Queue an export of the items in the actor's scope matching the (JSON-safe) filters."""
    job = Job.objects.create(
        kind=EXPORT_KIND, params=params, created_by=actor, created_at=clock.now()
    )
    _enqueue(job)
    return job


def start_import(*, actor: User, upload: StoredFile) -> Job:
    require(actor, "rectification.manage")
    job = Job.objects.create(
        kind=IMPORT_KIND, input_file=upload, created_by=actor, created_at=clock.now()
    )
    _enqueue(job)
    return job


def _enqueue(job: Job) -> None:
    from ..tasks import run_ledger_job

    transaction.on_commit(lambda: run_ledger_job(job.pk))


def _params_from_json(params: dict) -> dict:
    out = dict(params)
    if out.get("unit"):
        out["unit"] = Unit.objects.filter(pk=out["unit"]).first()
    for key in ("deadline_after", "deadline_before"):
        if out.get(key):
            out[key] = date.fromisoformat(out[key])
    return out


def run_job(job_id: int) -> dict:
    """Run a queued export or import job (called by the task worker)."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING
    )
    if not claimed:
        return {"skipped": True}
    job = Job.objects.select_related("created_by", "input_file").get(pk=job_id)
    actor = job.created_by
    try:
        run = _run_export if job.kind == EXPORT_KIND else _run_import
        result = run(job, actor)
    except Exception as exc:  # the job records the failure; the worker keeps running
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED,
            errors=[{"row": 0, "column": "", "message": str(exc)[:500]}],
            finished_at=clock.now(),
        )
        raise
    return result


def _run_export(job: Job, actor: User) -> dict:
    qs = selectors.filter_items(scoped(actor, RectificationItem), _params_from_json(job.params))
    total = qs.count()
    Job.objects.filter(pk=job.pk).update(total=total)
    data, count = build_workbook_bytes(export_rows(qs), on_progress=lambda n: _bump(job, n))
    stamp = timezone.localtime(clock.now()).strftime("%Y%m%d-%H%M")
    stored = store_bytes(data=data, name=f"整改台账-{stamp}.xlsx", actor=actor)
    result = {"rows": count}
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.DONE,
        done=count,
        output_file=stored,
        result=result,
        finished_at=clock.now(),
    )
    return result


def _run_import(job: Job, actor: User) -> dict:
    with job.input_file.file.open("rb") as fh:
        data = fh.read()
    plan, errors, count = validate(actor, data, on_progress=lambda n: _bump(job, n // 2))
    Job.objects.filter(pk=job.pk).update(total=count)
    job.total = count
    if errors:
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED,
            errors=[e.as_dict() for e in errors[:1000]],
            result={"rows": count, "error_count": len(errors)},
            finished_at=clock.now(),
        )
        return {"errors": len(errors)}
    result = apply_plan(actor, plan, job=job) | {"rows": count}
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.DONE, done=count, result=result, finished_at=clock.now()
    )
    return result


def import_bytes(*, actor: User, data: bytes) -> tuple[dict, list[RowError]]:
    """Validate and import synchronously (CLI, tests); nothing is written when there are errors."""
    require(actor, "rectification.manage")
    plan, errors, count = validate(actor, data)
    if errors:
        return {"rows": count}, errors
    return apply_plan(actor, plan) | {"rows": count}, []
