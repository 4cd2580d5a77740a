"""Task-queue work of the ledger: the deadline reminder sweep, the Excel import/export jobs and the
dashboard's rollup."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

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


@db_periodic_task(crontab(minute="*/5"))
@lock_task("ledger-stats-rollup")
def ledger_rollup_periodic():
    """The dashboard's ledger rollup: only the months of items changed since the last run."""
    from .rollup import refresh_dirty

    return refresh_dirty()
