"""Jobs of the complaint engine: the SLA sweep (escalation and reminders) every minute, and the
duplicate check of new cases (queued at intake, caught up every minute)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task


@db_periodic_task(crontab(minute="*"))
@lock_task("complaints-sla-sweep")
def sla_sweep_periodic():
    """Idempotent: a sweep that overlaps another (another worker) is skipped by the lock, and the
    unique step keys make a repeated sweep change nothing."""
    from .escalation import sweep

    return sweep().summary()


@db_task(retries=2, retry_delay=5)
def check_duplicates(pk: int):
    from .duplicates import check_pending

    return check_pending(pk)


@db_periodic_task(crontab(minute="*"))
@lock_task("complaints-duplicate-catch-up")
def check_duplicates_periodic():
    from .duplicates import check_all_pending

    return check_all_pending()


@db_periodic_task(crontab(minute="*/5"))
@lock_task("complaints-stats-rollup")
def stats_rollup_periodic():
    """The dashboard's rollup: only the months of cases changed since the last run."""
    from .rollup import refresh_dirty

    return refresh_dirty()
