"""Task-queue work of the ledger: the deadline reminder sweep and the Excel import/export jobs."""

from __future__ import annotations

import logging

from huey.contrib.djhuey import db_periodic_task, db_task

from xiaoneng.core.tasks import local_crontab

logger = logging.getLogger(__name__)


@db_periodic_task(local_crontab(minute="7"))
def rectification_reminders():
    """Hourly at :07 local time: remind before and at the deadline (idempotent)."""
    from .services import send_reminders

    result = send_reminders()
    logger.info("rectification reminders: %s", result)
    return result


@db_task(retries=0)
def run_ledger_job(job_id: int):
    from .excel import run_job

    return run_job(job_id)
