"""Periodic work of inspections: overdue 督办单 escalation and the bulletin cadence reminder."""

from __future__ import annotations

import logging

from huey.contrib.djhuey import db_periodic_task

from xiaoneng.core.tasks import local_crontab

logger = logging.getLogger(__name__)


@db_periodic_task(local_crontab(minute="17"))
def supervision_orders_escalate():
    """Hourly at :17 local time: escalate overdue supervision orders (idempotent)."""
    from .services import escalate_overdue

    count = escalate_overdue()
    logger.info("supervision orders escalated: %s", count)
    return count


@db_periodic_task(local_crontab(hour="8", minute="23"))
def bulletin_cadence():
    """Daily at 08:23 local time: remind the office when an exposure bulletin is due."""
    from .services import remind_bulletin_due

    return remind_bulletin_due()
