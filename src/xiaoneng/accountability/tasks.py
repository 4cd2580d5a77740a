"""Task-queue work of accountability: the step time-limit sweep."""

from __future__ import annotations

import logging

from huey.contrib.djhuey import db_periodic_task

from xiaoneng.core.tasks import local_crontab

logger = logging.getLogger(__name__)


@db_periodic_task(local_crontab(minute="17"))
def accountability_reminders():
    """Hourly at :17 local time: remind the office of cases past a step's limit (idempotent)."""
    from .services.cases import remind_overdue

    result = remind_overdue()
    logger.info("accountability reminders: %s", result)
    return result
