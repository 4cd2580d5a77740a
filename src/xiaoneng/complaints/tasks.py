"""Periodic jobs of the complaint engine: the SLA sweep (escalation and reminders) every minute."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task


@db_periodic_task(crontab(minute="*"))
@lock_task("complaints-sla-sweep")
def sla_sweep_periodic():
    """Idempotent: a sweep that overlaps another (another worker) is skipped by the lock, and the
    unique step keys make a repeated sweep change nothing."""
    from .escalation import sweep

    return sweep().summary()
