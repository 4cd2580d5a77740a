"""Notifications through the outbox (issue: "no message may be lost").

``notify()`` writes outbox rows in the caller's transaction — if the business change rolls
back, so do its notifications; if it commits, they are certain to exist. Workers deliver
them (``deliver_due``): in-app inbox always, e-mail and SMS where the user has an address,
a template exists for the channel and the user has not opted out. Retries back off
exponentially; after ``MAX_ATTEMPTS`` a row is marked dead and visible to admins.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template import Context, Template, TemplateSyntaxError
from django.utils.translation import gettext_lazy as _

from . import clock, crypto
from .inbox import inbox_deliver
from .models import (
    DeliveryReceipt,
    Notification,
    NotificationChannel,
    NotificationPreference,
    NotificationTemplate,
    Person,
    User,
)

# The SMS gateways live in core.sms; these names stay importable from here (settings, tests).
from .sms import HttpSmsGateway, LogSmsBackend, PermanentFailure, sms_backend

__all__ = [
    "EVENTS",
    "HttpSmsGateway",
    "OutboxBatch",
    "LogSmsBackend",
    "deliver_due",
    "kick_worker",
    "notify",
    "outbox_deliver",
    "sms_backend",
]

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
LEASE = timedelta(minutes=5)

# The events someone must act on, for the preferences page and the template admin. Other
# event codes work too (any code an admin writes a template for shows up on the page).
EVENTS: dict[str, Any] = {
    "complaint.dispatched": _("Complaint dispatched to your unit"),
    "complaint.sign_reminder": _("Sign-for reminder"),
    "complaint.sign_escalation": _("Not signed for: escalated to the principal"),
    "complaint.ladder": _("Complaint escalated to you"),
    "complaint.escalated": _("Complaint escalated by hand"),
    "complaint.overdue_reminder": _("Overdue reminder"),
    "complaint.written_criticism": _("Written criticism proposed"),
    "complaint.express_report": _("Express report of an important case"),
    "complaint.extension_requested": _("Extension requested"),
    "complaint.extension_decided": _("Extension decision"),
    "complaint.sent_back": _("Complaint sent back to the office"),
    "complaint.replied": _("Reply to the complainant"),
    "complaint.receipt": _("Receipt of a registered complaint"),
    "selfcheck.activity_missing": _("Self-inspection activity not recorded"),
    "selfcheck.rule_review": _("Rule due for review"),
    "selfcheck.checklist_overdue": _("Self-inspection checklist overdue"),
}


def _render(text: str, context: dict[str, Any]) -> str:
    """Render Django template syntax; text that is not a valid template is used as it is."""
    try:
        return Template(text).render(Context(context, autoescape=False))
    except TemplateSyntaxError:
        return text


class OutboxBatch:
    """Queues notifications, reading templates, opt-outs and phone numbers once per batch.

    ``notify`` uses a batch of one; the SLA sweep keeps one for the whole run so that queuing
    messages for thousands of cases costs reads per distinct recipient, not per case. Rows
    are written at once, in the caller's transaction.
    """

    def __init__(self, *, kick: bool = True) -> None:
        self.kick = kick
        self.queued = 0
        self._templates: dict[tuple[str, str], NotificationTemplate] | None = None
        self._opted_out: dict[int, set[tuple[str, str]]] = {}
        self._phones: dict[int, str] = {}

    def _template(self, event: str, channel: str) -> NotificationTemplate | None:
        if self._templates is None:
            self._templates = {
                (t.event, t.channel): t for t in NotificationTemplate.objects.filter(is_active=True)
            }
        return self._templates.get((event, channel))

    def _content(
        self, event: str, channel: str, subject: str, body: str, context: dict
    ) -> tuple[str, str] | None:
        template = self._template(event, channel)
        if template is not None:
            return _render(template.subject, context)[:200], _render(template.body, context)
        if channel == NotificationChannel.INBOX:
            return _render(subject, context)[:200], _render(body, context)
        return None  # e-mail and SMS only where a template exists for the event

    def _load(self, users: list[User]) -> None:
        missing = [u.pk for u in users if u.pk not in self._opted_out]
        if not missing:
            return
        for pk in missing:
            self._opted_out[pk] = set()
        for user_id, event, channel in NotificationPreference.objects.filter(
            user_id__in=missing, enabled=False
        ).values_list("user_id", "event", "channel"):
            self._opted_out[user_id].add((event, channel))
        person_ids = {u.person_id: u.pk for u in users if u.pk in missing and u.person_id}
        for person_id, phone in Person.objects.filter(pk__in=person_ids).values_list("pk", "phone"):
            self._phones[person_ids[person_id]] = phone or ""

    def add(
        self,
        *,
        event: str,
        dedup_key: str,
        recipients: Iterable[User] = (),
        subject: str = "",
        body: str = "",
        link: str = "",
        context: dict[str, Any] | None = None,
        phones: Iterable[str] = (),
    ) -> int:
        """Queue `event` for each recipient (and raw phone numbers, e.g. a complainant's).

        `dedup_key` names the event occurrence (e.g. "complaint:17:dispatched:0"): queuing the
        same key again adds nothing, so callers may retry freely.
        """
        url = f"{settings.SITE_URL}{link}" if link.startswith("/") else link
        context = {"link": link, "url": url, **(context or {})}
        now = clock.now()
        users = list({u.pk: u for u in recipients if u is not None}.values())
        self._load(users)
        rows: list[Notification] = []
        for user in users:
            opted_out = self._opted_out[user.pk]
            addresses = {
                NotificationChannel.INBOX: str(user.pk),
                NotificationChannel.EMAIL: user.email,
                NotificationChannel.SMS: self._phones.get(user.pk, ""),
            }
            for channel, address in addresses.items():
                if not address or (
                    channel != NotificationChannel.INBOX and (event, channel) in opted_out
                ):
                    continue
                content = self._content(event, channel, subject, body, context | {"user": user})
                if content is None:
                    continue
                rows.append(
                    Notification(
                        event=event,
                        channel=channel,
                        dedup_key=f"{dedup_key}|{channel}|u{user.pk}",
                        recipient=user,
                        address="" if channel == NotificationChannel.INBOX else address,
                        subject=content[0],
                        body=content[1],
                        link=link,
                        created_at=now,
                        next_attempt_at=now,
                    )
                )
        for phone in phones:
            if not phone:
                continue
            content = self._content(event, NotificationChannel.SMS, subject, body, context)
            if content is None:
                continue
            digest = hashlib.sha256(phone.encode()).hexdigest()[:16]
            rows.append(
                Notification(
                    event=event,
                    channel=NotificationChannel.SMS,
                    dedup_key=f"{dedup_key}|sms|p{digest}",
                    address="enc:" + crypto.encrypt(phone),
                    subject=content[0],
                    body=content[1],
                    link=link,
                    created_at=now,
                    next_attempt_at=now,
                )
            )
        if not rows:
            return 0
        created = Notification.objects.bulk_create(rows, ignore_conflicts=True)
        self.queued += len(created)
        if self.kick:
            transaction.on_commit(kick_worker)
        return len(created)

    def add_text(
        self,
        recipients,
        *,
        title: str,
        body: str = "",
        link: str = "",
        kind: str,
        dedup_key: str = "",
        phones: Iterable[str] = (),
    ) -> int:
        """``add`` for callers that hold finished text (the complaint engine's events).

        ``recipients`` may be a callable (evaluated now). ``title`` and ``body`` are used as they
        are (never read as template syntax) and are available to admins' e-mail/SMS templates
        as ``{{ title }}`` and ``{{ body }}``. Without a ``dedup_key`` each call is its own event.
        """
        users = list(recipients() if callable(recipients) else recipients)
        return self.add(
            event=kind,
            dedup_key=dedup_key or f"{kind}:{uuid.uuid4().hex}",
            recipients=users,
            subject="{{ title }}",
            body="{{ body }}",
            link=link,
            context={"title": title, "body": body},
            phones=phones,
        )


def notify(**event) -> int:
    """Queue one event now (``OutboxBatch.add`` with a batch of one)."""
    return OutboxBatch().add(**event)


def outbox_deliver(recipients, **text) -> int:
    """Queue one event of finished text now (``OutboxBatch.add_text`` with a batch of one)."""
    return OutboxBatch().add_text(recipients, **text)


def kick_worker() -> None:
    """Ask the task queue to deliver now (the periodic drain catches anything missed)."""
    from .tasks import deliver_notifications

    try:
        deliver_notifications()
    except Exception:  # the periodic drain will pick the rows up
        log.exception("could not enqueue notification delivery")


# --- delivery ----------------------------------------------------------------------------------
def _due(now) -> Q:
    return Q(status=Notification.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=Notification.Status.SENDING, lease_until__lt=now
    )


def claim(pk: int, now) -> str | None:
    """Take one row for this worker; None if another worker has it."""
    token = uuid.uuid4().hex
    claimed = Notification.objects.filter(_due(now), pk=pk).update(
        status=Notification.Status.SENDING,
        lease_until=now + LEASE,
        claim_token=token,
        attempts=F("attempts") + 1,
    )
    return token if claimed else None


def deliver_due(*, now=None, limit: int = 200) -> dict[str, int]:
    """Deliver what is due; safe to run in several workers at once."""
    now = now or clock.now()
    result = {"sent": 0, "failed": 0, "dead": 0}
    ids = list(
        Notification.objects.filter(_due(now))
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        token = claim(pk, now)
        if token is None:
            continue
        row = Notification.objects.select_related("recipient").get(pk=pk)
        try:
            send(row)
        except Exception as exc:  # noqa: BLE001  any channel failure: recorded on the row, retried
            log.warning("notification %s failed: %s: %s", pk, type(exc).__name__, exc)
            dead = row.attempts >= MAX_ATTEMPTS or isinstance(exc, PermanentFailure)
            Notification.objects.filter(pk=pk, claim_token=token).update(
                status=Notification.Status.DEAD if dead else Notification.Status.PENDING,
                next_attempt_at=now + timedelta(seconds=min(3600, 30 * 2 ** (row.attempts - 1))),
                lease_until=None,
                last_error=f"{type(exc).__name__}: {exc}"[:2000],
            )
            result["dead" if dead else "failed"] += 1
        else:
            Notification.objects.filter(pk=pk, claim_token=token).update(
                status=Notification.Status.SENT,
                sent_at=clock.now(),
                lease_until=None,
                last_error="",
            )
            result["sent"] += 1
    return result


def send(row: Notification) -> None:
    """Hand one row to its channel. Every channel is idempotent on row.dedup_key."""
    if row.channel == NotificationChannel.INBOX:
        inbox_deliver(
            recipients=[row.recipient] if row.recipient is not None else [],
            title=row.subject,
            body=row.body,
            link=row.link,
            kind=row.event,
            dedup_key=row.dedup_key,
        )
    elif row.channel == NotificationChannel.EMAIL:
        if DeliveryReceipt.objects.filter(dedup_key=row.dedup_key).exists():
            return
        message = EmailMessage(row.subject, row.body, to=[row.address])
        message.extra_headers["Message-ID"] = (
            f"<{hashlib.sha256(row.dedup_key.encode()).hexdigest()}@xiaoneng>"
        )
        message.send()
        _receipt(row, row.address)
    elif row.channel == NotificationChannel.SMS:
        phone = crypto.decrypt(row.address[4:]) if row.address.startswith("enc:") else row.address
        sms_backend().send(key=row.dedup_key, phone=phone, text=f"{row.subject} {row.body}".strip())


def _receipt(row: Notification, address: str) -> None:
    try:
        with transaction.atomic():
            DeliveryReceipt.objects.create(
                dedup_key=row.dedup_key,
                channel=row.channel,
                address=address[-4:],
                body=row.body[:500],
                at=clock.now(),
            )
    except IntegrityError:
        pass


# --- preferences -------------------------------------------------------------------------------
OPTIONAL_CHANNELS = (NotificationChannel.EMAIL, NotificationChannel.SMS)


def known_events() -> dict[str, str]:
    """The events a user can choose channels for: the built-in list and any an admin templated."""
    events = {code: str(label) for code, label in EVENTS.items()}
    for code in (
        NotificationTemplate.objects.order_by("event").values_list("event", flat=True).distinct()
    ):
        events.setdefault(code, code)
    return events


def preferences_of(user: User) -> dict[tuple[str, str], bool]:
    """(event, channel) → enabled, for e-mail and SMS (the inbox is always on)."""
    stored = {
        (p.event, p.channel): p.enabled
        for p in NotificationPreference.objects.filter(user=user, channel__in=OPTIONAL_CHANNELS)
    }
    return {
        (event, channel): stored.get((event, channel), True)
        for event in known_events()
        for channel in OPTIONAL_CHANNELS
    }


@transaction.atomic
def preferences_save(*, user: User, enabled: set[tuple[str, str]]) -> int:
    """Store the user's choice for every known event × e-mail/SMS; returns how many changed."""
    current = preferences_of(user)
    changed = 0
    for (event, channel), was in current.items():
        now_on = (event, channel) in enabled
        if now_on == was:
            continue
        NotificationPreference.objects.update_or_create(
            user=user, event=event, channel=channel, defaults={"enabled": now_on}
        )
        changed += 1
    if changed:
        from . import audit

        audit.record(
            "notification_preferences",
            user,
            after={"disabled": sorted(f"{e}/{c}" for (e, c) in current if (e, c) not in enabled)},
            actor=user,
        )
    return changed
