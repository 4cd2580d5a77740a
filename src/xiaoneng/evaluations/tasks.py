"""Periodic job of the evaluations app: close the surveys whose close date has passed."""

from huey.contrib.djhuey import db_periodic_task, lock_task

from xiaoneng.core.tasks import local_crontab


@db_periodic_task(local_crontab(minute="5"))
@lock_task("evaluations-close-surveys")
def evaluations_close_due_surveys():
    """Hourly at :05. Idempotent (a conditional UPDATE per survey)."""
    from .services.surveys import close_due

    return close_due()
