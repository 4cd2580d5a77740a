"""Periodic job of the self-inspection app: the daily sweep (reminders, ledger links)."""

from huey.contrib.djhuey import db_periodic_task, lock_task

from xiaoneng.core.tasks import local_crontab


@db_periodic_task(local_crontab(hour="7", minute="30"))
@lock_task("selfcheck-sweep")
def selfcheck_sweep_daily():
    """Daily at 07:30 local time. Idempotent: every reminder has a dedup key, so a repeated
    sweep sends nothing twice."""
    from .sweep import sweep

    return sweep().summary()
