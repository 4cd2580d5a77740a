"""SMS gateways for the notification outbox (``core.notify``), chosen by ``XIAONENG_SMS_BACKEND``.

- ``log`` (default, ``LogSmsBackend``): records the message as sent and logs it (offline
  intranets, demos); ``console`` also prints it.
- ``http`` (``HttpSmsGateway``): a provider's HTTP API, configured without code:
  ``XIAONENG_SMS_URL`` — URL template with ``{phone}``, ``{text}``, ``{key}`` (URL-encoded),
  e.g. ``https://gw.example/send?to={phone}&text={text}``;
  ``XIAONENG_SMS_METHOD`` — GET or POST (default POST);
  ``XIAONENG_SMS_BODY`` — optional POST body template with the same placeholders (JSON-escaped
  when the content type is JSON, URL-encoded otherwise);
  ``XIAONENG_SMS_CONTENT_TYPE`` — for the body (default application/x-www-form-urlencoded);
  ``XIAONENG_SMS_HEADERS`` — JSON object of extra headers (e.g. an API key header);
  ``XIAONENG_SMS_USER`` / ``XIAONENG_SMS_PASSWORD`` — HTTP basic credentials;
  ``XIAONENG_SMS_TIMEOUT`` — seconds (default 10).
  (``XIAONENG_SMS_GATEWAY_URL`` / ``_METHOD`` / ``_HEADERS`` are read too, as settings.)

Every send carries the outbox row's dedup key (``Idempotency-Key`` header, ``{key}``). A send
that succeeded leaves a ``DeliveryReceipt``; a repeat of the same key is not sent again. A 5xx,
a timeout or a refused connection raises, and the outbox worker retries with backoff; a 4xx
(other than 408/429) is permanent (``PermanentFailure``): retrying would not help.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from . import clock
from .models import DeliveryReceipt, NotificationChannel

log = logging.getLogger(__name__)

ALIASES = {
    "log": "xiaoneng.core.sms.LogSmsBackend",
    "console": "xiaoneng.core.sms.ConsoleSmsBackend",
    "http": "xiaoneng.core.sms.HttpSmsGateway",
}


class PermanentFailure(Exception):
    """The gateway refused the message for good (e.g. an invalid number): do not retry."""


def _setting(name: str, env: str, default: str = "") -> str:
    value = getattr(settings, name, None)
    if value not in (None, ""):
        return str(value)
    return os.environ.get(env, default)


def sms_backend():
    path = _setting("SMS_BACKEND", "XIAONENG_SMS_BACKEND", "log") or "log"
    return import_string(ALIASES.get(path, path))()


def already_sent(key: str) -> bool:
    return DeliveryReceipt.objects.filter(dedup_key=key).exists()


def record_receipt(*, key: str, phone: str, text: str) -> bool:
    """Write the receipt for `key`; False if one already existed (the message was sent before)."""
    try:
        with transaction.atomic():
            DeliveryReceipt.objects.create(
                dedup_key=key,
                channel=NotificationChannel.SMS,
                address=phone[-4:],
                body=text[:500],
                at=clock.now(),
            )
    except IntegrityError:
        return False
    return True


class LogSmsBackend:
    """Default: records the message as sent (no gateway on an offline intranet); idempotent by key."""

    def send(self, *, key: str, phone: str, text: str) -> None:
        if record_receipt(key=key, phone=phone, text=text):
            self.emit(phone, text)

    def emit(self, phone: str, text: str) -> None:
        log.info("SMS to ***%s: %s", phone[-4:], text)


class ConsoleSmsBackend(LogSmsBackend):
    """Like the log backend, and prints each message (development)."""

    def emit(self, phone: str, text: str) -> None:
        super().emit(phone, text)
        sys.stdout.write(f"[SMS to ***{phone[-4:]}] {text}\n")
        sys.stdout.flush()


def fill(template: str, values: dict[str, str]) -> str:
    """Replace only ``{phone}``, ``{text}`` and ``{key}`` (other braces, e.g. JSON, stay)."""
    return re.sub(r"\{(phone|text|key)\}", lambda match: values[match.group(1)], template)


class HttpSmsGateway:
    """A provider's HTTP API, configured by URL template and credentials (see the module text)."""

    def __init__(self):
        self.url = _setting("SMS_URL", "XIAONENG_SMS_URL") or _setting(
            "SMS_GATEWAY_URL", "XIAONENG_SMS_GATEWAY_URL"
        )
        self.method = (
            _setting("SMS_METHOD", "XIAONENG_SMS_METHOD")
            or _setting("SMS_GATEWAY_METHOD", "XIAONENG_SMS_GATEWAY_METHOD", "POST")
        ).upper()
        self.body = _setting("SMS_BODY", "XIAONENG_SMS_BODY")
        self.content_type = _setting(
            "SMS_CONTENT_TYPE", "XIAONENG_SMS_CONTENT_TYPE", "application/x-www-form-urlencoded"
        )
        headers = _setting("SMS_HEADERS", "XIAONENG_SMS_HEADERS") or _setting(
            "SMS_GATEWAY_HEADERS", "XIAONENG_SMS_GATEWAY_HEADERS"
        )
        self.headers = json.loads(headers) if headers else {}
        self.user = _setting("SMS_USER", "XIAONENG_SMS_USER")
        self.password = _setting("SMS_PASSWORD", "XIAONENG_SMS_PASSWORD")
        self.timeout = float(_setting("SMS_TIMEOUT", "XIAONENG_SMS_TIMEOUT", "10"))
        if not self.url:
            raise PermanentFailure("XIAONENG_SMS_URL is not set")

    def request(self, *, key: str, phone: str, text: str) -> urllib.request.Request:
        raw = {"phone": phone, "text": text, "key": key}
        url = fill(self.url, {k: urllib.parse.quote(v, safe="") for k, v in raw.items()})
        headers = {"Idempotency-Key": key, **self.headers}
        if self.user:
            token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        data = None
        if self.method != "GET":
            if self.body:
                if "json" in self.content_type:
                    values = {k: json.dumps(v, ensure_ascii=False)[1:-1] for k, v in raw.items()}
                else:
                    values = {k: urllib.parse.quote_plus(v) for k, v in raw.items()}
                data = fill(self.body, values).encode("utf-8")
            else:
                data = b""
            headers.setdefault("Content-Type", self.content_type)
        return urllib.request.Request(url, data=data, method=self.method, headers=headers)

    def send(self, *, key: str, phone: str, text: str) -> None:
        if already_sent(key):
            return  # accepted before (e.g. the worker died after the gateway answered)
        request = self.request(key=key, phone=phone, text=text)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            if 400 <= exc.code < 500 and exc.code not in (408, 429):
                raise PermanentFailure(f"gateway refused the message: HTTP {exc.code}") from exc
            raise RuntimeError(f"gateway answered HTTP {exc.code}") from exc
        if status >= 300:
            raise RuntimeError(f"gateway answered HTTP {status}")
        record_receipt(key=key, phone=phone, text=text)
