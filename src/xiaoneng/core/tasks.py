"""Periodic jobs of the core app, and `local_crontab` for schedules in the county's local time."""

import datetime as dt
import logging
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from . import clock
from .models import AuditRecord, LoginLog

logger = logging.getLogger(__name__)


def local_crontab(**spec):
    """Like huey's ``crontab``, but read in settings.TIME_ZONE (Asia/Shanghai).

    The consumer passes UTC times (``utc=True``, huey's default), so a bare
    ``crontab(hour="3")`` would run at 11:00 in Beijing.
    """
    matches = crontab(**spec)

    def validate(timestamp: dt.datetime) -> bool:
        if timestamp.tzinfo is None and HUEY.utc:
            timestamp = timestamp.replace(tzinfo=dt.UTC)
        if timestamp.tzinfo is not None:
            timestamp = timestamp.astimezone(ZoneInfo(settings.TIME_ZONE)).replace(tzinfo=None)
        return matches(timestamp)

    return validate


def prune_logs(*, now=None, retention_days: int | None = None) -> dict[str, int]:
    """Delete login and audit records older than the retention (default 365 days, never < 180)."""
    days = max(180, retention_days if retention_days is not None else settings.LOG_RETENTION_DAYS)
    cutoff = (now or clock.now()) - timedelta(days=days)
    # Queryset deletes bypass the append-only guard on purpose: retention is the one exception.
    logins = LoginLog.objects.filter(at__lt=cutoff)._raw_delete(LoginLog.objects.db)
    audits = AuditRecord.objects.filter(at__lt=cutoff)._raw_delete(AuditRecord.objects.db)
    return {"login_log": logins, "audit": audits, "retention_days": days}


@db_periodic_task(local_crontab(hour="3", minute="17"))
def prune_logs_daily():
    """Nightly, 03:17 local time: apply the log retention."""
    result = prune_logs()
    logger.info("prune_logs: %s", result)
    return result


@db_task(retries=0)
def deliver_notifications():
    from .notify import deliver_due

    return deliver_due()


@db_periodic_task(crontab(minute="*"))
def deliver_notifications_periodic():
    """The drain: picks up anything an enqueue missed and retries failures whose time has come."""
    from .notify import deliver_due

    return deliver_due()
