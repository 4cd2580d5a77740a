"""Task-queue work of the service time limits: the log import job."""

from __future__ import annotations

from huey.contrib.djhuey import db_task


@db_task(retries=0)
def run_import_job(job_id: int):
    from .ingest import run_job

    return run_job(job_id)
