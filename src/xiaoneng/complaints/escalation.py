"""Escalation (首问负责制, 提级管理) and reminders: the SLA sweep.

``sweep(now)`` looks at open cases whose resolution clock runs and records, once each:
- a ladder rung per active ``EscalationRule`` whose percent of (clock start → resolve_by) has
  passed: first-inquiry person → department head → leader in charge → principal leader;
- a sign-for reminder to the unit's admins once ``sign_by`` passes unsigned, then (24 working-day
  hours later) an escalation to the unit's principal leader;
- an overdue reminder (催办) the next working day after ``resolve_by`` and, still overdue
  ``criticism_after_working_days`` working days later, a proposed written criticism for the office.

Each record is an ``EscalationStep`` with a unique (complaint, key); the key names the rung and the
handling round, so re-running the sweep — or two sweeps at once — changes nothing twice. Each
case is handled in its own small transaction; inbox deliveries use the step key as dedup key.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit, clock
from xiaoneng.core import calendar as work_calendar
from xiaoneng.core.models import Person, User
from xiaoneng.core.notify import OutboxBatch, kick_worker

from .models import Complaint, ComplaintEvent, EscalationRule, EscalationStep
from .sla import current_rules
from .vocab import CLOCK_STATUSES, Status

MAX_LEVEL = EscalationRule.Level.PRINCIPAL
BATCH = 500
RELATED = (
    "unit__principal__user",
    "department__head__user",
    "department__leader_in_charge__user",
    "department__unit__principal__user",
    "first_inquiry_person__user",
    "handler__user",
)


# --- the chain ---------------------------------------------------------------------------------
def person_at_level(complaint: Complaint, level: int) -> Person | None:
    """The person answering at `level`; a missing rung goes to the next one up (gaps skipped)."""
    department = complaint.department
    unit = complaint.unit
    principal = unit.principal if unit is not None else None
    if department is not None:
        ladder = [
            complaint.first_inquiry_person,
            department.head,
            department.leader_in_charge,
            principal or department.unit.principal,
        ]
    else:
        ladder = [complaint.first_inquiry_person, principal, principal, principal]
    for candidate in ladder[max(0, min(level, MAX_LEVEL)) :]:
        if candidate is not None:
            return candidate
    return None


def _user(person: Person | None) -> User | None:
    if person is None:
        return None
    try:
        user = person.user
    except User.DoesNotExist:
        return None
    return user if user.is_active else None


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def _reminder_cutoff(now: datetime) -> datetime:
    """Cases due before this may owe their overdue reminder: it is due on the first working day
    after the deadline's day, i.e. when the deadline's day is before the last working day up
    to today."""
    cal = work_calendar.get_calendar()
    day = timezone.localtime(now).date()
    for _day in range(60):  # never more than a long holiday
        if cal.is_working_day(day):
            break
        day -= timedelta(days=1)
    return _start_of(day)


def _criticism_cutoff(now: datetime, days: int) -> datetime:
    """Cases due before this owe their written criticism (N working days after the deadline's
    day; the time of day does not matter). Without it, every case overdue by N natural but
    fewer working days (weekends, holidays) would be read again by every sweep."""
    cal = work_calendar.get_calendar()
    day = timezone.localtime(now).date()
    for _day in range(400):
        if cal.add_working_days(day, days).at < now:
            break
        day -= timedelta(days=1)
    return _start_of(day + timedelta(days=1))


# --- the sweep ---------------------------------------------------------------------------------
@dataclass
class SweepResult:
    examined: int = 0
    steps: Counter = field(default_factory=Counter)
    overdue_marked: int = 0
    skipped: int = 0

    def summary(self) -> str:
        parts = [f"examined={self.examined}", f"overdue_marked={self.overdue_marked}"]
        parts += [f"{kind}={n}" for kind, n in sorted(self.steps.items())]
        if self.skipped:
            parts.append(f"skipped={self.skipped}")
        return " ".join(parts)


@dataclass
class _Context:
    now: datetime
    rules: list[EscalationRule]
    criticism_days: int
    office: list[User]
    unit_admins: dict[int, list[User]]
    keys: dict[int, set[str]]
    outbox: OutboxBatch


def candidate_ids(now: datetime, rules: list[EscalationRule], criticism_days: int = 5) -> list[int]:
    """Cases with something possibly due, selected in the database (no per-case reads).

    Every condition is necessary, not sufficient: ``_sweep_case`` decides exactly.
    """
    running = Complaint.objects.filter(status__in=CLOCK_STATUSES, resolve_by__isnull=False)
    ids: set[int] = set()

    # Overdue (index on status, resolve_by): not yet marked, reminder of this overdue spell
    # possibly due and not yet sent, or criticism possibly due and not yet proposed.
    def spell_step(kind: str):
        return Exists(
            EscalationStep.objects.filter(
                complaint=OuterRef("pk"), kind=kind, at__gte=OuterRef("overdue_since")
            )
        )

    ids.update(
        running.filter(resolve_by__lt=now)
        .filter(
            Q(overdue_since__isnull=True)
            | (
                # the reminder is due on the next working day: never on the deadline's own day
                Q(resolve_by__lt=_reminder_cutoff(now))
                & ~spell_step(EscalationStep.Kind.OVERDUE_REMINDER)
            )
            | (
                Q(resolve_by__lt=_criticism_cutoff(now, criticism_days))
                & ~spell_step(EscalationStep.Kind.WRITTEN_CRITICISM)
            )
        )
        .values_list("pk", flat=True)
    )
    # Not signed for by sign_by (dispatched cases only), unless already escalated to the principal.
    sign_escalated = EscalationStep.objects.filter(
        complaint=OuterRef("pk"), kind=EscalationStep.Kind.SIGN_ESCALATION
    )
    # Once reminded, the principal is due 24 working hours after sign_by: not before 24 hours.
    sign_reminded = EscalationStep.objects.filter(
        complaint=OuterRef("pk"), kind=EscalationStep.Kind.SIGN_REMINDER
    )
    ids.update(
        Complaint.objects.filter(status=Status.DISPATCHED, sign_by__lt=now)
        .exclude(Exists(sign_escalated))
        .filter(Q(sign_by__lt=now - timedelta(hours=24)) | ~Exists(sign_reminded))
        .values_list("pk", flat=True)
    )
    # Ladder: a rung of level L at P % is due when the case is below L and
    # 100 · (now − start) ≥ P · (resolve_by − start), computed by the database.
    if rules:
        elapsed = ExpressionWrapper(
            Value(now) - F("clock_started_at"), output_field=DurationField()
        )
        span = ExpressionWrapper(
            F("resolve_by") - F("clock_started_at"), output_field=DurationField()
        )
        aliases = {"elapsed100": ExpressionWrapper(elapsed * 100, output_field=DurationField())}
        due = Q()
        for rule in rules:
            name = f"span{rule.percent}"
            aliases[name] = ExpressionWrapper(span * rule.percent, output_field=DurationField())
            due |= Q(escalation_level__lt=rule.level, elapsed100__gte=F(name))
        ids.update(
            running.filter(clock_started_at__isnull=False, clock_started_at__lte=now)
            .alias(**aliases)
            .filter(due)
            .values_list("pk", flat=True)
        )
    return sorted(ids)


def sweep(now: datetime | None = None) -> SweepResult:
    """Run every due escalation and reminder as of `now` (idempotent; safe to run concurrently)."""
    now = now or clock.now()
    rules = list(EscalationRule.objects.filter(is_active=True).order_by("percent"))
    settings = current_rules()
    result = SweepResult()
    ids = candidate_ids(now, rules, settings.criticism_after_working_days)
    office = list(User.objects.filter(is_active=True, roles__code="office").distinct())
    outbox = OutboxBatch(kick=False)
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        cases = list(
            Complaint.objects.filter(pk__in=chunk, status__in=CLOCK_STATUSES).select_related(
                *RELATED
            )
        )
        unit_ids = {c.unit_id for c in cases if c.unit_id}
        admins: dict[int, list[User]] = {}
        for user in (
            User.objects.filter(
                is_active=True, roles__code="unit_admin", person__unit_id__in=unit_ids
            )
            .select_related("person")
            .distinct()
        ):
            admins.setdefault(user.person.unit_id, []).append(user)
        keys: dict[int, set[str]] = {}
        for complaint_id, key in EscalationStep.objects.filter(complaint_id__in=chunk).values_list(
            "complaint_id", "key"
        ):
            keys.setdefault(complaint_id, set()).add(key)
        ctx = _Context(
            now, rules, settings.criticism_after_working_days, office, admins, keys, outbox
        )
        for complaint in cases:
            result.examined += 1
            try:
                with transaction.atomic():
                    _sweep_case(complaint, ctx, result)
            except IntegrityError:
                result.skipped += 1  # another sweep recorded the same step first
    if outbox.queued:
        transaction.on_commit(kick_worker)
    return result


def _sweep_case(complaint: Complaint, ctx: _Context, result: SweepResult) -> None:
    now, known = ctx.now, ctx.keys.get(complaint.pk, set())
    round_ = f"r{complaint.redo_count}"
    due = complaint.resolve_by

    # 1. The ladder.
    start = complaint.clock_started_at or complaint.received_at
    total = (due - start).total_seconds() if due and start else 0
    fraction = 1.0 if total <= 0 else (now - start).total_seconds() / total
    level = complaint.escalation_level
    for rule in ctx.rules:
        key = f"ladder:{round_}:p{rule.percent}"
        if fraction * 100 < rule.percent or key in known or rule.level <= level:
            continue
        level = rule.level
        person = person_at_level(complaint, level)
        recipients = [u for u in [_user(person)] if u]
        if rule.notify_office:
            recipients += ctx.office
        _step(
            complaint,
            ctx,
            result,
            kind=EscalationStep.Kind.LADDER,
            key=key,
            level=level,
            person=person,
            recipients=recipients,
            office=rule.notify_office,
            reason=_("%(percent)s%% of the time limit has passed.") % {"percent": rule.percent},
            title=_("Complaint escalated to you (%(percent)s%% of the time used): %(number)s")
            % {"percent": rule.percent, "number": complaint.number},
        )
    if level != complaint.escalation_level:
        Complaint.objects.filter(pk=complaint.pk, escalation_level__lt=level).update(
            escalation_level=level
        )
        complaint.escalation_level = level

    # 2. Not signed for in time.
    if complaint.status == Status.DISPATCHED and complaint.sign_by and now > complaint.sign_by:
        key = f"sign_reminder:{round_}"
        if key not in known:
            _step(
                complaint,
                ctx,
                result,
                kind=EscalationStep.Kind.SIGN_REMINDER,
                key=key,
                recipients=ctx.unit_admins.get(complaint.unit_id, []),
                reason=_("Not signed for by the deadline."),
                title=_("Please sign for complaint %(number)s (deadline passed)")
                % {"number": complaint.number},
            )
        escalate_at = work_calendar.add_hours(complaint.sign_by, 24).at
        key = f"sign_escalation:{round_}"
        if now > escalate_at and key not in known:
            principal = complaint.unit.principal if complaint.unit_id else None
            _step(
                complaint,
                ctx,
                result,
                kind=EscalationStep.Kind.SIGN_ESCALATION,
                key=key,
                level=int(MAX_LEVEL),
                person=principal,
                recipients=[u for u in [_user(principal)] if u],
                reason=_("Still not signed for one working day after the deadline."),
                title=_("Complaint %(number)s has not been signed for by your unit")
                % {"number": complaint.number},
            )

    # 3. Overdue.
    if due and now > due:
        if complaint.overdue_since is None:
            Complaint.objects.filter(pk=complaint.pk, overdue_since__isnull=True).update(
                overdue_since=due
            )
            complaint.overdue_since = due
            result.overdue_marked += 1
        cal = work_calendar.get_calendar()
        due_day = timezone.localtime(due).date()
        stamp = f"{due_day:%Y%m%d}"
        remind_at = _start_of(cal.nth_working_day_after(due_day, 1))
        key = f"overdue:{round_}:{stamp}"
        if now >= remind_at and key not in known:
            recipients = [u for u in [_user(complaint.handler)] if u]
            recipients += (
                ctx.unit_admins.get(complaint.unit_id, []) if complaint.unit_id else ctx.office
            )
            _step(
                complaint,
                ctx,
                result,
                kind=EscalationStep.Kind.OVERDUE_REMINDER,
                key=key,
                person=complaint.handler,
                recipients=recipients,
                reason=_("The time limit has passed (催办)."),
                title=_("Overdue: complaint %(number)s") % {"number": complaint.number},
            )
        criticise_at = cal.add_working_days(due, ctx.criticism_days).at
        key = f"criticism:{round_}:{stamp}"
        if now > criticise_at and key not in known:
            _step(
                complaint,
                ctx,
                result,
                kind=EscalationStep.Kind.WRITTEN_CRITICISM,
                key=key,
                recipients=ctx.office,
                office=True,
                reason=_("Still overdue %(days)s working days after the deadline.")
                % {"days": ctx.criticism_days},
                title=_("Written criticism proposed: complaint %(number)s")
                % {"number": complaint.number},
            )


def _step(
    complaint: Complaint,
    ctx: _Context,
    result: SweepResult,
    *,
    kind: str,
    key: str,
    recipients: Iterable[User],
    reason: str,
    title: str,
    level: int | None = None,
    person: Person | None = None,
    office: bool = False,
) -> None:
    """Record one step (unique key: IntegrityError propagates if another sweep was first)."""
    EscalationStep.objects.create(
        complaint=complaint,
        kind=kind,
        key=key,
        level=level,
        person=person,
        at=ctx.now,
        reason=reason[:500],
        office_notified=office,
    )
    ctx.keys.setdefault(complaint.pk, set()).add(key)
    ComplaintEvent.objects.create(
        complaint=complaint,
        at=ctx.now,
        actor_name="系统",
        action=kind,
        from_status=complaint.status,
        to_status=complaint.status,
        note=reason,
        data={"key": key, "level": level, "person": person.pk if person else None},
    )
    audit.record(
        kind,
        complaint,
        after={"key": key, "level": level, "person": person.pk if person else None},
        reason=reason,
    )
    result.steps[kind] += 1
    users = list({u.pk: u for u in recipients}.values())
    if users:
        from .services import complaint_link

        link = complaint_link(complaint)
        dedup = f"complaint:{complaint.pk}:{key}"
        # Through the outbox in this case's transaction (inbox, e-mail, SMS; never lost); the
        # batch reads templates and preferences once per recipient, not once per case.
        ctx.outbox.add_text(
            users,
            title=title,
            body=complaint.title,
            link=link,
            kind=f"complaint.{kind}",
            dedup_key=dedup,
        )
