"""Rectification items (整改事项): create, progress, milestones, close-out request, verification, reopen, publish, referral."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit, clock, numbering
from xiaoneng.core.errors import Conflict, Forbidden
from xiaoneng.core.models import Department, Person, StoredFile, Unit, User
from xiaoneng.core.notify import notify
from xiaoneng.core.scope import scope_for
from xiaoneng.core.services.base import (
    actor_name,
    check_department,
    fail,
    require,
)

from .. import deadlines
from ..models import (
    CloseRequest,
    Issue,
    Milestone,
    ProgressUpdate,
    RectificationItem,
)
from ..vocab import Decision, ItemType
from ..workflow import MACHINE, PROGRESS_STATUSES
from .common import (
    ITEM_KEY,
    ITEM_PREFIX,
    _event,
    _files,
    _in_scope,
    _require_item_access,
    _text,
    _transition,
    item_link,
    responsible_users,
    verifiers,
)


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
    check_department(unit, responsible_department, errors, "responsible_department")
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
        number=numbering.next_number(ITEM_KEY, ITEM_PREFIX, year),
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
