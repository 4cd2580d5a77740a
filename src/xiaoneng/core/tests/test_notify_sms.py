"""SMS through the pluggable gateway: the log backend by default, the HTTP adapter (URL template,
method, credentials) against a real HTTP server started here; 5xx is retried with backoff by the
worker, a success is never sent again, a 4xx refusal is not retried."""

from __future__ import annotations

import base64
import json
import threading
import urllib.parse
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from xiaoneng.core import sms
from xiaoneng.core.models import (
    DeliveryReceipt,
    Notification,
    NotificationChannel,
    NotificationTemplate,
)
from xiaoneng.core.notify import deliver_due, notify

pytestmark = pytest.mark.django_db


class Gateway:
    """A provider stand-in: answers the queued status codes in turn (then 200), records requests."""

    def __init__(self):
        self.answers: list[int] = []
        self.received: list[dict] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                gateway.received.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": self.rfile.read(length).decode() if length else "",
                    }
                )
                status = gateway.answers.pop(0) if gateway.answers else 200
                payload = b'{"ok": true}'
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _handle

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway():
    with Gateway() as running:
        yield running


@pytest.fixture
def sms_template(db):
    return NotificationTemplate.objects.create(
        event="dispatched",
        channel=NotificationChannel.SMS,
        subject="【效能】",
        body="{{ number }} 已派发给您，请及时签收。",
    )


def queue(org, number="TS2026000001"):
    org.dave.person.phone = "13900001111"
    org.dave.person.save()
    notify(
        event="dispatched",
        dedup_key=f"complaint:{number}:dispatched",
        recipients=[org.dave],
        subject="派单",
        context={"number": number},
    )
    return Notification.objects.get(channel="sms", dedup_key__contains=number)


def test_the_default_backend_is_the_log_backend(org, sms_template, settings, caplog):
    settings.SMS_BACKEND = ""
    assert isinstance(sms.sms_backend(), sms.LogSmsBackend)
    row = queue(org)
    caplog.set_level("INFO", logger="xiaoneng.core.sms")
    assert deliver_due(now=row.next_attempt_at)["sent"] == 2  # inbox + sms
    receipt = DeliveryReceipt.objects.get(dedup_key=row.dedup_key)
    assert receipt.address == "1111" and "TS2026000001 已派发给您" in receipt.body
    assert "***1111" in caplog.text and "13900001111" not in caplog.text


def test_http_gateway_get_with_url_template_and_credentials(org, sms_template, settings, gateway):
    settings.SMS_BACKEND = "http"
    settings.SMS_URL = gateway.url + "/send?to={phone}&text={text}&id={key}"
    settings.SMS_METHOD = "GET"
    settings.SMS_USER, settings.SMS_PASSWORD = "xiaoneng", "s3cret"
    settings.SMS_HEADERS = json.dumps({"X-Api-Key": "k-123"})
    row = queue(org)
    assert deliver_due(now=row.next_attempt_at) == {"sent": 2, "failed": 0, "dead": 0}
    [request] = gateway.received
    assert request["method"] == "GET"
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(request["path"]).query)
    assert query["to"] == ["13900001111"]
    assert query["text"] == ["【效能】 TS2026000001 已派发给您，请及时签收。"]
    assert query["id"] == [row.dedup_key]
    assert request["headers"]["Idempotency-Key"] == row.dedup_key
    assert request["headers"]["X-Api-Key"] == "k-123"
    auth = base64.b64decode(request["headers"]["Authorization"].split()[1]).decode()
    assert auth == "xiaoneng:s3cret"


def test_http_gateway_post_body_template(org, sms_template, settings, gateway):
    settings.SMS_BACKEND = "xiaoneng.core.sms.HttpSmsGateway"
    settings.SMS_URL = gateway.url + "/api/sms"
    settings.SMS_METHOD = "POST"
    settings.SMS_CONTENT_TYPE = "application/json"
    settings.SMS_BODY = '{"mobile": "{phone}", "content": "{text}", "ref": "{key}"}'
    row = queue(org)
    deliver_due(now=row.next_attempt_at)
    [request] = gateway.received
    assert request["method"] == "POST" and request["path"] == "/api/sms"
    assert request["headers"]["Content-Type"] == "application/json"
    sent = json.loads(request["body"])
    assert sent == {
        "mobile": "13900001111",
        "content": "【效能】 TS2026000001 已派发给您，请及时签收。",
        "ref": row.dedup_key,
    }


def test_5xx_is_retried_with_backoff_and_a_success_is_never_sent_again(
    org, sms_template, settings, gateway
):
    settings.SMS_BACKEND = "http"
    settings.SMS_URL = gateway.url + "/send?to={phone}&text={text}"
    settings.SMS_METHOD = "GET"
    gateway.answers = [503, 502]
    row = queue(org)
    now = row.next_attempt_at
    assert deliver_due(now=now) == {"sent": 1, "failed": 1, "dead": 0}  # inbox sent, SMS 503
    row.refresh_from_db()
    assert row.status == "pending" and row.attempts == 1 and "503" in row.last_error
    assert row.next_attempt_at == now + timedelta(seconds=30)
    assert deliver_due(now=now + timedelta(seconds=10)) == {"sent": 0, "failed": 0, "dead": 0}
    assert deliver_due(now=now + timedelta(seconds=30))["failed"] == 1  # 502
    row.refresh_from_db()
    assert row.next_attempt_at == now + timedelta(seconds=30 + 60)  # backoff doubles
    assert deliver_due(now=now + timedelta(seconds=90))["sent"] == 1  # 200
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 3
    assert len(gateway.received) == 3

    # Nothing is due any more, and even a forced re-send of the row (a worker that died after
    # the gateway answered, before the row was marked sent) does not reach the gateway again.
    deliver_due(now=now + timedelta(hours=5))
    Notification.objects.filter(pk=row.pk).update(status="pending", next_attempt_at=now)
    assert deliver_due(now=now + timedelta(hours=6))["sent"] == 1
    assert len(gateway.received) == 3
    assert DeliveryReceipt.objects.filter(dedup_key=row.dedup_key).count() == 1


def test_a_4xx_refusal_is_not_retried(org, sms_template, settings, gateway):
    settings.SMS_BACKEND = "http"
    settings.SMS_URL = gateway.url + "/send?to={phone}&text={text}"
    settings.SMS_METHOD = "GET"
    gateway.answers = [400]
    row = queue(org)
    assert deliver_due(now=row.next_attempt_at)["dead"] == 1
    row.refresh_from_db()
    assert row.status == "dead" and "HTTP 400" in row.last_error
    deliver_due(now=row.next_attempt_at + timedelta(hours=2))
    assert len(gateway.received) == 1


def test_an_unreachable_gateway_is_retried(org, sms_template, settings):
    settings.SMS_BACKEND = "http"
    settings.SMS_URL = "http://127.0.0.1:9/send?to={phone}&text={text}"  # discard port: refused
    settings.SMS_TIMEOUT = 2
    row = queue(org)
    assert deliver_due(now=row.next_attempt_at)["failed"] == 1
    row.refresh_from_db()
    assert row.status == "pending" and row.last_error


def test_complainant_phones_are_encrypted_and_delivered(settings, gateway, sms_template):
    settings.SMS_BACKEND = "http"
    settings.SMS_URL = gateway.url + "/send?to={phone}&text={text}"
    settings.SMS_METHOD = "GET"
    notify(
        event="dispatched",
        dedup_key="complaint:9:reply",
        phones=["13800138000"],
        context={"number": "TS2026000009"},
    )
    row = Notification.objects.get()
    assert row.recipient is None and "13800138000" not in row.address
    deliver_due(now=row.next_attempt_at)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(gateway.received[0]["path"]).query)
    assert query["to"] == ["13800138000"]
