"""Periodic jobs: log retention (prune_logs) and the Huey schedule."""

import logging
from datetime import datetime, timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from xiaoneng.core import tasks
from xiaoneng.core.clock import frozen_now
from xiaoneng.core.models import AuditRecord, LoginLog

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime(2026, 6, 1, 12, 0))


def _logs_aged(*days: int) -> None:
    for age in days:
        at = NOW - timedelta(days=age)
        LoginLog.objects.create(
            at=at, username=f"u{age}", success=True, outcome=LoginLog.Outcome.SUCCESS
        )
        AuditRecord.objects.create(
            at=at, action="create", object_type="core.unit", object_id=str(age)
        )


def _ages(model) -> set[int]:
    return {(NOW - at).days for at in model.objects.values_list("at", flat=True)}


def test_it_deletes_records_past_the_default_retention_and_keeps_newer_ones():
    _logs_aged(1, 200, 364, 366, 800)
    result = tasks.prune_logs(now=NOW)
    assert result == {"login_log": 2, "audit": 2, "retention_days": 365}
    assert _ages(LoginLog) == {1, 200, 364}
    assert _ages(AuditRecord) == {1, 200, 364}


def test_a_retention_below_180_days_is_raised_to_180():
    _logs_aged(10, 100, 179, 181)
    result = tasks.prune_logs(now=NOW, retention_days=30)
    assert result["retention_days"] == 180
    assert _ages(LoginLog) == {10, 100, 179}
    assert _ages(AuditRecord) == {10, 100, 179}


@override_settings(LOG_RETENTION_DAYS=90)
def test_the_configured_retention_is_clamped_too():
    _logs_aged(100, 200)
    assert tasks.prune_logs(now=NOW)["retention_days"] == 180
    assert _ages(LoginLog) == {100}


@override_settings(LOG_RETENTION_DAYS=500)
def test_a_longer_configured_retention_is_used():
    _logs_aged(400, 600)
    assert tasks.prune_logs(now=NOW)["retention_days"] == 500
    assert _ages(AuditRecord) == {400}


def test_it_uses_the_injectable_now():
    _logs_aged(100, 400)
    with frozen_now(NOW):
        tasks.prune_logs()
    assert _ages(LoginLog) == {100}


def test_the_command_takes_days_and_now():
    _logs_aged(100, 250, 400)
    out = StringIO()
    call_command("prune_logs", "--days", "200", "--now", "2026-06-01T12:00:00", stdout=out)
    assert "older than 200 days" in out.getvalue()
    assert _ages(LoginLog) == {100}
    assert _ages(AuditRecord) == {100}


def test_the_command_clamps_days():
    _logs_aged(100, 190)
    out = StringIO()
    call_command("prune_logs", "--days", "7", "--now", NOW.isoformat(), stdout=out)
    assert "older than 180 days" in out.getvalue()
    assert _ages(LoginLog) == {100}


def test_prune_logs_is_a_daily_periodic_task():
    registry = HUEY._registry
    name = "xiaoneng.core.tasks.prune_logs_daily"
    assert name in registry._registry
    periodic = {registry.task_to_string(t) for t in registry._periodic_tasks}
    assert name in periodic
    task = registry.string_to_task(name)()
    # The consumer asks with UTC times; the job runs once a day, at 03:17 in Beijing.
    day = [datetime(2026, 5, 31, 12, 0) + timedelta(minutes=m) for m in range(24 * 60)]
    assert [t for t in day if task.validate_datetime(t)] == [datetime(2026, 5, 31, 19, 17)]


def test_local_crontab_reads_the_schedule_in_local_time():
    at_nine = tasks.local_crontab(hour="9", minute="0")
    assert at_nine(datetime(2026, 6, 1, 1, 0))  # 01:00 UTC is 09:00 in Asia/Shanghai
    assert not at_nine(datetime(2026, 6, 1, 9, 0))
    assert at_nine(timezone.make_aware(datetime(2026, 6, 1, 9, 0)))  # aware: converted


def test_the_periodic_task_prunes():
    _logs_aged(10, 400)
    with frozen_now(NOW):
        tasks.prune_logs_daily.call_local()
    assert _ages(LoginLog) == {10}


def test_the_worker_command_runs_the_huey_consumer():
    huey_logger = logging.getLogger("huey")
    with (
        mock.patch("xiaoneng.core.management.commands.worker.call_command") as run,
        mock.patch.object(huey_logger, "propagate", True),
    ):
        call_command("worker", "--workers", "3")
    run.assert_called_once_with("run_huey", "--workers", "3")


class _FakeProcess:
    def __init__(self, cmd, polls_alive: int):
        self.cmd, self.polls_alive, self.returncode, self.signals = cmd, polls_alive, None, []

    def poll(self):
        if self.returncode is None:
            if self.polls_alive <= 0:
                self.returncode = 0
            self.polls_alive -= 1
        return self.returncode

    def send_signal(self, sig):
        self.signals.append(sig)
        self.returncode = 0

    def wait(self, timeout=None):
        return self.returncode


def test_serve_runs_the_web_server_and_the_worker_side_by_side():
    started = []

    def popen(cmd, **kwargs):
        # The worker keeps running; the web server exits after a moment.
        proc = _FakeProcess(cmd, polls_alive=10**6 if "worker" in cmd else 1)
        started.append(proc)
        return proc

    out = StringIO()
    with (
        mock.patch("xiaoneng.core.management.commands.serve.subprocess.Popen", popen),
        mock.patch("xiaoneng.core.management.commands.serve.time.sleep"),
    ):
        call_command("serve", "--bind", "127.0.0.1:8123", "--with-worker", stdout=out)
    worker, web = started
    assert worker.cmd[-1] == "worker"
    assert "xiaoneng.wsgi:application" in web.cmd
    assert "127.0.0.1:8123" in web.cmd
    assert worker.signals  # stopped with the web server
    assert "task worker running" in out.getvalue()
