"""Ledger writes: issues, rectification items, progress, close-out (销号), verification, reopening
and publication. Every function: keyword-only, atomic, validated, audited, a timeline event for
items, side effects (notifications) through the outbox in the same transaction.

Rules (issue #5, seed 001 "完成整改一项、核对销号一项，确保清零见底"): numbers WT/ZG + year +
6 digits, gap-free per year; an item's lifecycle is ``workflow.MACHINE`` (illegal → 409, a lost
race → 409); a close-out request needs a summary and at least one piece of evidence; only
``rectification.verify`` verifies, and never for the verifier's own unit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.campaigns.models import Campaign
from xiaoneng.core import audit, clock
from xiaoneng.core.errors import Conflict, Forbidden
from xiaoneng.core.models import Department, Person, StoredFile, Unit, User
from xiaoneng.core.notify import notify
from xiaoneng.core.scope import scope_for
from xiaoneng.core.services.base import (
    actor_name,
    fail,
    require,
    transition,
    unit_admins,
    user_of,
)

from . import deadlines
from .models import (
    CloseRequest,
    Issue,
    ItemEvent,
    LedgerSequence,
    Milestone,
    ProgressUpdate,
    RectificationItem,
)
from .vocab import Decision, IssueSource, ItemType, Severity
from .workflow import MACHINE, PROGRESS_STATUSES

ISSUE_PREFIX = "WT"
ITEM_PREFIX = "ZG"
SPOT_PREFIX = "CC"


# --- helpers -----------------------------------------------------------------------------------
def allocate_numbers(prefix: str, year: int, count: int = 1) -> int:
    """Reserve `count` consecutive numbers of `prefix`/`year` inside the caller's transaction;
    returns the first. ``UPDATE … SET last = last + n`` row-locks the counter until commit, so
    concurrent creators queue up and a rolled-back one gives its numbers back."""
    sequence = LedgerSequence.objects.filter(kind=prefix, year=year)
    if not sequence.update(last=F("last") + count):
        try:
            with transaction.atomic():
                LedgerSequence.objects.create(kind=prefix, year=year, last=count)
        except IntegrityError:
            sequence.update(last=F("last") + count)
    last = sequence.values_list("last", flat=True).get()
    return last - count + 1


def format_number(prefix: str, year: int, n: int) -> str:
    return f"{prefix}{year}{n:06d}"


def next_number(prefix: str, year: int | None = None) -> str:
    year = year or timezone.localtime(clock.now()).year
    return format_number(prefix, year, allocate_numbers(prefix, year))


def item_link(item: RectificationItem) -> str:
    try:
        return reverse("rectification:item", args=[item.pk])
    except NoReverseMatch:  # a link must never block a write
        return f"/rectification/items/{item.pk}/"


# TODO(issue #12): rectification/excel.py (being moved onto core/spreadsheet.py) still calls
# services._require; it should import core.services.base.require.
_require = require


def _in_scope(actor: User, unit: Unit, *, department_id=None, person_id=None) -> bool:
    scope = scope_for(actor)
    if scope.contains_unit(unit):
        return True
    if department_id and department_id in scope.department_ids:
        return True
    return bool(person_id and person_id == scope.person_id)


def _require_item_access(actor: User, item: RectificationItem) -> None:
    """rectification.manage and the item's unit (or department / person) in the actor's scope."""
    require(actor, "rectification.manage")
    if not _in_scope(
        actor,
        item.responsible_unit,
        department_id=item.responsible_department_id,
        person_id=item.responsible_person_id,
    ):
        raise Forbidden(_("This item is not in your data scope."))


def _event(
    item: RectificationItem,
    actor: User | None,
    action: str,
    *,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    at: datetime | None = None,
    **links,
) -> ItemEvent:
    return ItemEvent.objects.create(
        item=item,
        at=at or clock.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=actor_name(actor),
        action=action,
        from_status=from_status or item.status,
        to_status=to_status or item.status,
        note=note,
        **links,
    )


def _transition(
    item: RectificationItem, name: str, actor: User | None, *, note: str = "", links=None, **changes
) -> RectificationItem:
    """``core.services.base.transition`` (conditional UPDATE → Conflict on a lost race, audit)
    plus the item's timeline event."""
    now = clock.now()
    source = item.status
    target = transition(MACHINE, item, name, actor=actor, reason=note, updated_at=now, **changes)
    _event(
        item, actor, name, from_status=source, to_status=target, note=note, at=now, **(links or {})
    )
    return item


def _files(files: Iterable[StoredFile] | None) -> list[StoredFile]:
    return [f for f in (files or ()) if f is not None]


def _text(value, field: str, errors: dict, *, required: bool = True, limit: int = 10000) -> str:
    text = (value or "").strip()
    if required and not text:
        errors[field] = [_("This field is required.")]
    elif len(text) > limit:
        errors[field] = [_("Ensure this field has no more than %(n)s characters.") % {"n": limit}]
    return text


def verifiers():
    """Users who may verify close-out requests (the office)."""
    users = User.objects.filter(is_active=True, roles__isnull=False).prefetch_related("roles")
    return [u for u in users.distinct() if u.has_permission("rectification.verify")]


def responsible_users(item: RectificationItem) -> list[User]:
    users = unit_admins(item.responsible_unit, permission="rectification.manage")
    person_user = user_of(item.responsible_person)
    if person_user is not None:
        users.append(person_user)
    return users


# --- issues ------------------------------------------------------------------------------------
@transaction.atomic
def issue_create(
    *,
    actor: User | None,
    unit: Unit,
    source: str,
    title: str,
    description: str,
    category=None,
    severity: str = "general",
    department: Department | None = None,
    people: Sequence[Person] = (),
    source_ref: str = "",
    campaign: Campaign | None = None,
    files: Sequence[StoredFile] = (),
    found_at: datetime | None = None,
    found_by: User | None = None,
    complaint=None,
    is_public: bool = False,
) -> Issue:
    """Record a problem in the list (问题清单). Staff need rectification.manage and the unit in
    their scope; ``actor=None`` is the system (e.g. a verified complaint)."""
    if actor is not None:
        require(actor, "rectification.manage")
    now = clock.now()
    errors: dict[str, list[str]] = {}
    title = _text(title, "title", errors, limit=200)
    description = _text(description, "description", errors)
    if source not in IssueSource.values:
        errors["source"] = [_("Select a valid choice.")]
    if severity not in Severity.values:
        errors["severity"] = [_("Select a valid choice.")]
    if unit is None or not unit.is_active:
        errors["unit"] = [_("Select a valid choice.")]
    else:
        if actor is not None and not scope_for(actor).contains_unit(unit):
            errors["unit"] = [_("This unit is outside your data scope.")]
        if department is not None and department.unit_id != unit.pk:
            errors["department"] = [_("This department does not belong to the unit.")]
    if category is not None and not getattr(category, "is_active", True):
        errors["category"] = [_("Select a valid choice.")]
    found_at = found_at or now
    if found_at > now:
        errors["found_at"] = [_("The time cannot be in the future.")]
    fail(errors)
    issue = Issue.objects.create(
        number=next_number(ISSUE_PREFIX, timezone.localtime(now).year),
        source=source,
        source_ref=(source_ref or "")[:100],
        complaint=complaint,
        campaign=campaign,
        unit=unit,
        department=department,
        category=category,
        severity=severity,
        title=title,
        description=description,
        found_at=found_at,
        found_by=found_by or (actor if actor is not None and actor.is_authenticated else None),
        is_public=is_public,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        created_at=now,
        updated_at=now,
    )
    if people:
        issue.people.set([p for p in people if p is not None])
    if files:
        issue.files.set(_files(files))
    audit.record("create", issue, after=audit.snapshot(issue), actor=actor)
    return issue


def issue_from_complaint(*, complaint, actor: User | None = None) -> Issue:
    """A complaint verified 属实 / 部分属实 becomes a ledger issue (source complaint), linked both
    ways (Issue.complaint ↔ complaint.ledger_issues). Called again for the same complaint it
    returns the existing issue."""
    existing = Issue.objects.filter(complaint=complaint).first()
    if existing is not None:
        return existing
    unit = complaint.unit or complaint.subject_unit
    department = complaint.department or complaint.subject_department
    if department is not None and department.unit_id != unit.pk:
        department = None
    people = [complaint.subject_person] if complaint.subject_person_id else []
    verification = complaint.get_verification_display() if complaint.verification else ""
    description = complaint.content
    if verification:
        description = f"{description}\n\n{_('Verification')}: {verification}"
    return issue_create(
        actor=None,
        unit=unit,
        source=IssueSource.COMPLAINT,
        title=complaint.title,
        description=description,
        category=complaint.category,
        severity=Severity.SERIOUS if complaint.importance == "important" else Severity.GENERAL,
        department=department,
        people=people,
        source_ref=complaint.number,
        files=list(complaint.attachments.all()),
        found_at=complaint.received_at,
        found_by=actor,
        complaint=complaint,
    )


@transaction.atomic
def issue_set_public(*, issue: Issue, actor: User, public: bool) -> Issue:
    """The office decides what is published (公示)."""
    require(actor, "rectification.verify")
    before = audit.snapshot(issue)
    Issue.objects.filter(pk=issue.pk).update(is_public=public, updated_at=clock.now())
    issue.is_public = public
    audit.record(
        "publish" if public else "unpublish",
        issue,
        before=before,
        after=audit.snapshot(issue),
        actor=actor,
    )
    return issue


# --- items -------------------------------------------------------------------------------------
def _deadline_of(value: datetime | date | None, item_type: str, start: datetime):
    if value is None:
        computed = deadlines.default_deadline(item_type, start)
        return computed.at, computed.uncertain
    if isinstance(value, datetime):
        return (timezone.make_aware(value) if timezone.is_naive(value) else value), False
    return deadlines.end_of_day(value), False


def _responsible_people_errors(
    unit: Unit | None, person: Person | None, leader: Person | None
) -> dict[str, list[str]]:
    """The responsible person works in the unit (or below); the leader may also sit above it."""
    errors: dict[str, list[str]] = {}
    if unit is None:
        return errors
    if person is not None and not person.unit.path.startswith(unit.path):
        errors["responsible_person"] = [_("This person does not work in the unit.")]
    if (
        leader is not None
        and not leader.unit.path.startswith(unit.path)
        and not unit.path.startswith(leader.unit.path)
    ):
        errors["responsible_leader"] = [_("This person does not work in the unit.")]
    return errors


@transaction.atomic
def item_create(
    *,
    actor: User | None,
    issue: Issue,
    type: str,
    measures: str,
    target: str,
    deadline: datetime | date | None = None,
    responsible_unit: Unit | None = None,
    responsible_department: Department | None = None,
    responsible_person: Person | None = None,
    responsible_leader: Person | None = None,
    responsible_person_name: str = "",
    responsible_leader_name: str = "",
    milestones: Sequence[dict] = (),
    is_public: bool = False,
) -> RectificationItem:
    """Add a rectification item (整改事项) to an issue. Without a deadline the type's default
    applies (``ItemTypeRule`` through the calendar service); responsible unit, person and leader
    are recorded (领导负责制)."""
    if actor is not None:
        require(actor, "rectification.manage")
    now = clock.now()
    unit = responsible_unit or issue.unit
    errors: dict[str, list[str]] = {}
    if type not in ItemType.values:
        errors["type"] = [_("Select a valid choice.")]
    measures = _text(measures, "measures", errors)
    target = _text(target, "target", errors)
    if unit is None or not unit.is_active:
        errors["responsible_unit"] = [_("Select a valid choice.")]
    elif actor is not None and not scope_for(actor).contains_unit(unit):
        errors["responsible_unit"] = [_("This unit is outside your data scope.")]
    if actor is not None and not _in_scope(actor, issue.unit, department_id=issue.department_id):
        errors["issue"] = [_("This issue is outside your data scope.")]
    if (
        responsible_department is None
        and unit is not None
        and issue.department is not None
        and issue.department.unit_id == unit.pk
    ):
        responsible_department = issue.department
    if responsible_department is not None and unit and responsible_department.unit_id != unit.pk:
        errors["responsible_department"] = [_("This department does not belong to the unit.")]
    errors |= _responsible_people_errors(unit, responsible_person, responsible_leader)
    if type in ItemType.values:
        at, uncertain = _deadline_of(deadline, type, now)
        if at <= now:
            errors["deadline"] = [_("The deadline must be in the future.")]
    if type != ItemType.LONG_TERM and milestones:
        errors["milestones"] = [_("Only long-term items have milestones.")]
    fail(errors)
    year = timezone.localtime(now).year
    item = RectificationItem.objects.create(
        number=next_number(ITEM_PREFIX, year),
        issue=issue,
        type=type,
        measures=measures,
        target=target,
        started_at=now,
        deadline=at,
        deadline_uncertain=uncertain,
        yellow_at=deadlines.yellow_at(now, at),
        responsible_unit=unit,
        responsible_department=responsible_department,
        responsible_person=responsible_person,
        responsible_person_name=(
            responsible_person.name if responsible_person else responsible_person_name
        )[:50],
        responsible_leader=responsible_leader,
        responsible_leader_name=(
            responsible_leader.name if responsible_leader else responsible_leader_name
        )[:50],
        is_public=is_public,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        created_at=now,
        updated_at=now,
    )
    for m in milestones:
        Milestone.objects.create(item=item, title=m["title"][:200], due_on=m["due_on"])
    _event(item, actor, "create", to_status=item.status, at=now)
    audit.record("create", item, after=audit.snapshot(item), actor=actor)
    notify(
        event="rectification_item_assigned",
        dedup_key=f"rectification:item:{item.pk}:assigned",
        recipients=responsible_users(item),
        subject=_("New rectification item %(number)s") % {"number": item.number},
        body=issue.title,
        link=item_link(item),
    )
    return item


@transaction.atomic
def milestone_done(*, milestone: Milestone, actor: User) -> Milestone:
    _require_item_access(actor, milestone.item)
    if milestone.done_at is None:
        milestone.done_at = clock.now()
        milestone.save(update_fields=["done_at"])
        _event(milestone.item, actor, "milestone", note=milestone.title)
        audit.record("milestone", milestone.item, after={"milestone": milestone.title}, actor=actor)
    return milestone


@transaction.atomic
def progress_add(
    *,
    item: RectificationItem,
    actor: User,
    text: str,
    percent: int,
    files: Sequence[StoredFile] = (),
    at: datetime | None = None,
) -> ProgressUpdate:
    """A progress report (进展情况) with evidence; the first one starts the item (整改中)."""
    _require_item_access(actor, item)
    if item.status not in PROGRESS_STATUSES:
        raise Conflict(
            _("The action “%(action)s” is not allowed in the current state (%(state)s).")
            % {"action": "progress", "state": item.status}
        )
    errors: dict[str, list[str]] = {}
    text = _text(text, "text", errors)
    try:
        percent = int(percent)
    except (TypeError, ValueError):
        percent = -1
    if not 0 <= percent <= 100:
        errors["percent"] = [_("Enter a whole number from 0 to 100.")]
    fail(errors)
    now = at or clock.now()
    update = ProgressUpdate.objects.create(
        item=item, text=text, percent=percent, at=now, author=actor, author_name=actor_name(actor)
    )
    if files:
        update.files.set(_files(files))
    changes = {"percent": percent, "latest_progress": text}
    if MACHINE.can(item, "start"):
        _transition(item, "start", actor, note=text, links={"progress": update}, **changes)
    else:
        before = audit.snapshot(item)
        RectificationItem.objects.filter(pk=item.pk).update(updated_at=now, **changes)
        for key, value in changes.items():
            setattr(item, key, value)
        _event(item, actor, "progress", note=text, at=now, progress=update)
        b, a = audit.diff(before, audit.snapshot(item))
        audit.record("progress", item, before=b, after=a, actor=actor)
    return update


@transaction.atomic
def close_request(
    *, item: RectificationItem, actor: User, summary: str, files: Sequence[StoredFile] = ()
) -> CloseRequest:
    """申请销号: a summary and at least one piece of evidence; the office is told."""
    _require_item_access(actor, item)
    MACHINE.target(item, "request_close")
    errors: dict[str, list[str]] = {}
    summary = _text(summary, "summary", errors)
    files = _files(files)
    if not files:
        errors["files"] = [_("Attach at least one piece of evidence.")]
    fail(errors)
    now = clock.now()
    request = CloseRequest.objects.create(
        item=item, summary=summary, requested_at=now, requested_by=actor
    )
    request.files.set(files)
    _transition(
        item,
        "request_close",
        actor,
        note=summary,
        links={"close_request": request},
        close_requested_at=now,
        latest_progress=summary,
    )
    notify(
        event="rectification_close_requested",
        dedup_key=f"rectification:close_request:{request.pk}",
        recipients=verifiers(),
        subject=_("Close-out requested: %(number)s") % {"number": item.number},
        body=summary[:500],
        link=item_link(item),
    )
    return request


def can_verify(actor: User, item: RectificationItem) -> bool:
    """rectification.verify, the item in scope, and not the verifier's own unit."""
    if actor is None or not actor.has_permission("rectification.verify"):
        return False
    if actor.person is not None and actor.person.unit_id == item.responsible_unit_id:
        return False
    return _in_scope(actor, item.responsible_unit)


@transaction.atomic
def verify(
    *, item: RectificationItem, actor: User, decision: str, reason: str = ""
) -> RectificationItem:
    """核对销号: accept → 已销号 with verifier and date; reject → back to 整改中 with the reason.
    Only ``rectification.verify``, and nobody verifies their own unit's item."""
    require(actor, "rectification.verify")
    if actor.person is not None and actor.person.unit_id == item.responsible_unit_id:
        raise Forbidden(_("Nobody verifies their own unit's item."))
    if not _in_scope(actor, item.responsible_unit):
        raise Forbidden(_("This item is not in your data scope."))
    errors: dict[str, list[str]] = {}
    if decision not in Decision.values:
        errors["decision"] = [_("Select a valid choice.")]
    reason = (reason or "").strip()
    if decision == Decision.REJECT and not reason:
        errors["reason"] = [_("Give the reason for returning it.")]
    fail(errors)
    name = "accept" if decision == Decision.ACCEPT else "reject"
    MACHINE.target(item, name)
    now = clock.now()
    pending = item.close_requests.filter(decision="").order_by("-requested_at", "-id").first()
    if name == "accept":
        _transition(
            item,
            "accept",
            actor,
            note=reason,
            links={"close_request": pending},
            closed_at=now,
            closed_by=actor,
            percent=100,
            reject_reason="",
        )
    else:
        _transition(
            item,
            "reject",
            actor,
            note=reason,
            links={"close_request": pending},
            reject_reason=reason,
            close_requested_at=None,
        )
    if pending is not None:
        CloseRequest.objects.filter(pk=pending.pk).update(
            decision=decision, reason=reason, decided_at=now, decided_by=actor
        )
    notify(
        event="rectification_verified",
        dedup_key=f"rectification:item:{item.pk}:verified:{pending.pk if pending else now.isoformat()}",
        recipients=responsible_users(item),
        subject=(_("Closed: %(number)s") if name == "accept" else _("Returned: %(number)s"))
        % {"number": item.number},
        body=reason[:500],
        link=item_link(item),
    )
    return item


@transaction.atomic
def reopen(
    *, item: RectificationItem, actor: User, reason: str, flag: bool = False
) -> RectificationItem:
    """重新打开 a closed item (after a failed spot check, or by the office), with the reason."""
    require(actor, "rectification.verify")
    if not _in_scope(actor, item.responsible_unit):
        raise Forbidden(_("This item is not in your data scope."))
    errors: dict[str, list[str]] = {}
    reason = _text(reason, "reason", errors, limit=2000)
    fail(errors)
    MACHINE.target(item, "reopen")
    now = clock.now()
    new_deadline = max(item.deadline, deadlines.default_deadline(ItemType.IMMEDIATE, now).at)
    changes: dict[str, Any] = {
        "closed_at": None,
        "closed_by": None,
        "close_requested_at": None,
        "reopen_count": item.reopen_count + 1,
        "deadline": new_deadline,
        "yellow_at": deadlines.yellow_at(now, new_deadline),
        "started_at": now,
    }
    if flag:
        changes |= {"flagged": True, "flag_reason": reason[:500]}
    _transition(item, "reopen", actor, note=reason, **changes)
    notify(
        event="rectification_reopened",
        dedup_key=f"rectification:item:{item.pk}:reopened:{item.reopen_count}",
        recipients=responsible_users(item),
        subject=_("Reopened: %(number)s") % {"number": item.number},
        body=reason[:500],
        link=item_link(item),
    )
    return item


@transaction.atomic
def item_set_public(*, item: RectificationItem, actor: User, public: bool) -> RectificationItem:
    """The office marks an item public (公示) or withdraws it."""
    require(actor, "rectification.verify")
    before = audit.snapshot(item)
    RectificationItem.objects.filter(pk=item.pk).update(is_public=public, updated_at=clock.now())
    item.is_public = public
    audit.record(
        "publish" if public else "unpublish",
        item,
        before=before,
        after=audit.snapshot(item),
        actor=actor,
    )
    return item


# --- reminders ---------------------------------------------------------------------------------
def send_reminders(*, now: datetime | None = None) -> dict[str, int]:
    """Before the deadline (yellow) and at/after it (red): remind the responsible unit's admins
    and person. Dedup keys name the deadline, so a sweep can run any number of times and a new
    deadline (reopened item) reminds again."""
    from .vocab import OPEN_STATUSES

    now = now or clock.now()
    sent = {"due_soon": 0, "overdue": 0}
    open_items = RectificationItem.objects.filter(status__in=OPEN_STATUSES).select_related(
        "responsible_unit", "responsible_person"
    )
    buckets = (
        ("due_soon", open_items.filter(yellow_at__lte=now, deadline__gte=now)),
        ("overdue", open_items.filter(deadline__lt=now)),
    )
    admins_by_unit: dict[int, list[User]] = {}
    for kind, qs in buckets:
        for item in qs.iterator(chunk_size=500):
            key = f"{kind}:{item.deadline.isoformat()}"
            if item.last_reminder == key:
                continue
            if item.responsible_unit_id not in admins_by_unit:
                admins_by_unit[item.responsible_unit_id] = unit_admins(
                    item.responsible_unit, permission="rectification.manage"
                )
            recipients = list(admins_by_unit[item.responsible_unit_id])
            person_user = user_of(item.responsible_person)
            if person_user is not None:
                recipients.append(person_user)
            deadline = timezone.localtime(item.deadline).strftime("%Y-%m-%d %H:%M")
            with transaction.atomic():
                notify(
                    event=f"rectification_{kind}",
                    dedup_key=f"rectification:item:{item.pk}:{kind}:{item.deadline.isoformat()}",
                    recipients=recipients,
                    subject=(
                        _("Rectification item %(number)s is due on %(deadline)s")
                        if kind == "due_soon"
                        else _("Rectification item %(number)s is overdue (deadline %(deadline)s)")
                    )
                    % {"number": item.number, "deadline": deadline},
                    body=item.measures[:500],
                    link=item_link(item),
                )
                RectificationItem.objects.filter(pk=item.pk).update(last_reminder=key)
            sent[kind] += 1
    return sent
