"""Periodic job of the campaigns app: submission reminders (before due, and overdue)."""

from huey.contrib.djhuey import db_periodic_task, lock_task

from xiaoneng.core.tasks import local_crontab


@db_periodic_task(local_crontab(hour="8", minute="10"))
@lock_task("campaigns-remind")
def campaigns_remind_daily():
    """08:10 local time. Idempotent: every reminder has a dedup key."""
    from .services import remind

    return remind()
