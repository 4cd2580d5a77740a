import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection, transaction

from xiaoneng.core import clock
from xiaoneng.core.models import (
    DeliveryReceipt,
    Message,
    Notification,
    NotificationChannel,
    NotificationPreference,
    NotificationTemplate,
)
from xiaoneng.core.notify import deliver_due, notify

pytestmark = pytest.mark.django_db


def sms_template(event="dispatched"):
    return NotificationTemplate.objects.create(
        event=event,
        channel=NotificationChannel.SMS,
        subject="【效能】",
        body="{{ number }} 已派发给您，请及时签收。",
    )


def test_it_queues_inbox_always_and_sms_only_with_a_template(org):
    org.dave.person.phone = "13900001111"
    org.dave.person.save()
    notify(
        event="dispatched",
        dedup_key="c:1:dispatched",
        recipients=[org.dave],
        subject="派单 {{ number }}",
        context={"number": "TS2026000001"},
    )
    assert list(Notification.objects.values_list("channel", flat=True)) == ["inbox"]
    sms_template()
    notify(
        event="dispatched",
        dedup_key="c:2:dispatched",
        recipients=[org.dave],
        subject="派单",
        context={"number": "TS2026000002"},
    )
    channels = sorted(
        Notification.objects.filter(dedup_key__startswith="c:2").values_list("channel", flat=True)
    )
    assert channels == ["inbox", "sms"]
    assert (
        Notification.objects.get(dedup_key__startswith="c:2", channel="sms").body
        == "TS2026000002 已派发给您，请及时签收。"
    )


def test_the_same_event_queued_twice_is_one_message(org):
    for _ in range(3):
        notify(event="x", dedup_key="same", recipients=[org.bob], subject="hello")
    assert Notification.objects.count() == 1
    deliver_due()
    deliver_due()
    assert Message.objects.filter(recipient=org.bob).count() == 1
    assert Notification.objects.get().status == Notification.Status.SENT


def test_a_user_can_opt_out_of_sms_but_not_of_the_inbox(org):
    org.bob.person.phone = "13900002222"
    org.bob.person.save()
    sms_template("remind")
    NotificationPreference.objects.create(
        user=org.bob, event="remind", channel="sms", enabled=False
    )
    NotificationPreference.objects.create(
        user=org.bob, event="remind", channel="inbox", enabled=False
    )
    notify(event="remind", dedup_key="r1", recipients=[org.bob], subject="提醒")
    assert list(Notification.objects.values_list("channel", flat=True)) == ["inbox"]


def test_notifications_roll_back_with_the_business_change(org):
    def change_then_fail():
        with transaction.atomic():
            notify(event="x", dedup_key="rolled-back", recipients=[org.bob], subject="hello")
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError, match="the change failed"):
        change_then_fail()
    assert not Notification.objects.exists()


def test_failures_are_retried_with_backoff_and_finally_marked_dead(org, settings):
    settings.SMS_BACKEND = "xiaoneng.core.tests.test_outbox.BrokenGateway"
    sms_template("x")
    notify(event="x", dedup_key="k", phones=["13900003333"], subject="s")
    row = Notification.objects.get()
    now = row.next_attempt_at
    assert (
        row.address.startswith("enc:") and "13900003333" not in row.address
    )  # phone encrypted at rest
    assert deliver_due(now=now) == {"sent": 0, "failed": 1, "dead": 0}
    row.refresh_from_db()
    assert (
        row.status == "pending"
        and row.attempts == 1
        and row.next_attempt_at == now + timedelta(seconds=30)
    )
    assert deliver_due(now=now + timedelta(seconds=10))["failed"] == 0  # not due yet
    for step in range(2, 9):
        deliver_due(now=now + timedelta(hours=step))
    row.refresh_from_db()
    assert row.status == "dead" and row.attempts == 8 and "gateway down" in row.last_error


class BrokenGateway:
    def send(self, *, key, phone, text):
        raise ConnectionError("gateway down")


def test_two_workers_never_send_one_row_twice(org):
    from xiaoneng.core.notify import claim

    notify(event="x", dedup_key="k2", recipients=[org.bob], subject="s")
    row = Notification.objects.get()
    now = clock.now()
    assert claim(row.pk, now) is not None
    assert claim(row.pk, now) is None  # the other worker loses
    assert (
        claim(row.pk, now + timedelta(minutes=6)) is not None
    )  # lease expired: a crashed worker's row is taken over


@pytest.mark.django_db(transaction=True)
def test_killing_the_worker_mid_delivery_loses_and_duplicates_nothing(org, monkeypatch):
    """A real worker process is SIGKILLed while sending; a restart finishes without duplicates."""
    monkeypatch.setattr(
        "xiaoneng.core.notify.kick_worker", lambda: None
    )  # only the worker process delivers
    sms_template("bulk")
    recipients = [org.alice, org.bob, org.carol, org.dave, org.erin]
    for i, user in enumerate(recipients):
        user.person.phone = f"1390000{i:04d}"
        user.person.save()
    for n in range(6):
        notify(
            event="bulk",
            dedup_key=f"bulk:{n}",
            recipients=recipients,
            subject="批量 {{ n }}",
            context={"n": n},
        )
    total = Notification.objects.count()
    assert total == 60  # 6 events × 5 users × (inbox + sms)

    env = dict(os.environ)
    env["XIAONENG_SMS_BACKEND"] = "xiaoneng.core.tests.slow_sms.SlowSmsBackend"
    env["DATABASE_URL"] = _database_url()
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[3])
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "xiaoneng.manage",
            "deliver_notifications",
            "--loop",
            "--interval",
            "0.2",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while DeliveryReceipt.objects.count() < 3:  # mid-way through the SMS sends
            assert worker.poll() is None, worker.stderr.read().decode()
            assert time.monotonic() < deadline, "worker made no progress"
            time.sleep(0.05)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    assert Notification.objects.exclude(status="sent").exists(), (
        "the kill came too late to test anything"
    )

    # The restarted worker runs after the lease of the killed one has expired.
    later = clock.now() + timedelta(minutes=6)
    while deliver_due(now=later)["sent"]:
        pass
    assert Notification.objects.filter(status="sent").count() == total
    assert Message.objects.count() == 30
    assert DeliveryReceipt.objects.count() == 30
    assert Message.objects.values("recipient", "dedup_key").distinct().count() == 30


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
