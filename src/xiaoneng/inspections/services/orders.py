"""督办单 (supervision orders): issued with a severe finding, replied by the unit, verified by
the office, escalated while overdue. The work itself is the linked ledger item, so the reply
and the verification follow the ledger's rules (a summary and evidence; nobody verifies their
own unit; deadline and lights by the ledger's calendar rules)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit, clock, numbering
from xiaoneng.core import calendar as work_calendar
from xiaoneng.core.models import Person, StoredFile, User
from xiaoneng.core.notify import notify
from xiaoneng.core.services.base import user_of
from xiaoneng.rectification import services as ledger
from xiaoneng.rectification.vocab import Decision, ItemType

from ..models import Finding, InspectionRules, SupervisionOrder
from ..vocab import OrderStatus
from ..workflow import ORDER
from .common import (
    ORDER_KEY,
    ORDER_PREFIX,
    fail,
    link,
    require,
    require_unit,
    this_year,
    unit_admins,
    users_with,
)

ESCALATE_STATUSES = (OrderStatus.ISSUED, OrderStatus.RETURNED)


def _leader_of(finding: Finding) -> Person | None:
    department = finding.department
    if department is not None and department.leader_in_charge_id:
        return department.leader_in_charge
    return finding.unit.principal


def order_issue(
    *,
    finding: Finding,
    actor: User | None,
    requirements: str = "",
    responsible_leader: Person | None = None,
) -> SupervisionOrder:
    """A 督办单 for a severe finding (PRODUCT.md capability 11: 限期整改): number DB + year +
    6 digits, deadline = now + the rules' working days, the unit's responsible leader; a
    rectification item on the finding's ledger issue carries the work. Runs inside the
    finding's transaction (called by ``open_ledger_issue``)."""
    issue = finding.issue
    assert issue is not None, "open_ledger_issue opens the finding's issue first"
    now = clock.now()
    rules = InspectionRules.current()
    deadline = work_calendar.add_working_days(now, rules.order_deadline_working_days).at
    leader = responsible_leader or _leader_of(finding)
    requirements = requirements or _(
        "Rectify within %(days)s working days and reply with the evidence of rectification."
    ) % {"days": rules.order_deadline_working_days}
    item = ledger.item_create(
        actor=None,
        issue=issue,
        type=ItemType.IMMEDIATE,
        measures=requirements,
        target=_("Rectified as the supervision order requires."),
        deadline=deadline,
        responsible_unit=finding.unit,
        responsible_department=finding.department,
        responsible_leader=leader,
    )
    year = this_year()
    order = SupervisionOrder.objects.create(
        number=numbering.next_number(ORDER_KEY, ORDER_PREFIX, year),
        finding=finding,
        unit=finding.unit,
        issue=issue,
        item=item,
        requirements=requirements,
        responsible_leader=leader,
        issued_at=now,
        deadline=item.deadline,
        issued_by=actor if actor is not None and actor.is_authenticated else None,
    )
    audit.record("create", order, after=audit.snapshot(order), actor=actor)
    recipients = unit_admins(finding.unit)
    leader_user = user_of(leader)
    if leader_user is not None:
        recipients.append(leader_user)
    notify(
        event="supervision_order_issued",
        dedup_key=f"inspections:order:{order.pk}:issued",
        recipients=recipients,
        subject=_("Supervision order %(number)s: %(title)s")
        % {"number": order.number, "title": finding.title},
        body=requirements[:500],
        link=link("inspections:order", order.pk),
    )
    return order


@transaction.atomic
def order_reply(
    *, actor: User, order: SupervisionOrder, reply: str, files: Sequence[StoredFile] = ()
) -> SupervisionOrder:
    """The unit replies (整改回复): the ledger's close-out request on the item (a summary and at
    least one piece of evidence), then the order waits for verification."""
    require(actor, "rectification.manage")
    require_unit(actor, order.unit)
    ORDER.target(order, "reply")
    ledger.close_request(item=order.item, actor=actor, summary=reply, files=files)
    before = audit.snapshot(order)
    ORDER.apply(order, "reply", reply=reply.strip(), replied_at=clock.now())
    audit.record("reply", order, before=before, after=audit.snapshot(order), actor=actor)
    return order


@transaction.atomic
def order_verify(
    *, actor: User, order: SupervisionOrder, decision: str, reason: str = ""
) -> SupervisionOrder:
    """The office verifies the reply (核对销号 of the item): accept closes the order, reject
    returns it with the reason (the deadline stands; overdue escalation goes on)."""
    require(actor, "inspection.manage")
    if decision not in Decision.values:
        fail({"decision": [_("Select a valid choice.")]})
    name = "accept" if decision == Decision.ACCEPT else "reject"
    ORDER.target(order, name)
    ledger.verify(item=order.item, actor=actor, decision=decision, reason=reason)
    before = audit.snapshot(order)
    now = clock.now()
    changes: dict[str, object] = {"verify_reason": (reason or "").strip()}
    if name == "accept":
        changes["closed_at"] = now
    ORDER.apply(order, name, **changes)
    audit.record(name, order, before=before, after=audit.snapshot(order), actor=actor)
    return order


def is_overdue(order: SupervisionOrder, now: datetime) -> bool:
    return order.status != OrderStatus.CLOSED and now > order.item.deadline


def escalate_overdue(*, now: datetime | None = None) -> int:
    """The periodic sweep: an unanswered order past its deadline escalates through the outbox —
    first to the unit's admins, its responsible leader and the office, then, every N working
    days it stays overdue (rules), one level up to the bureau's leaders too. Idempotent: the
    level reached is stored, and dedup keys name it."""
    now = now or clock.now()
    rules = InspectionRules.current()
    step = max(1, rules.escalate_after_working_days)
    office = users_with("inspection.manage")
    leaders = users_with("bulletin.approve")
    escalated = 0
    orders = SupervisionOrder.objects.filter(
        status__in=ESCALATE_STATUSES, item__deadline__lt=now
    ).select_related("item", "unit", "responsible_leader", "finding")
    for order in orders.iterator(chunk_size=200):
        late = work_calendar.working_days_between(order.item.deadline, now)
        level = 1 + late // step
        if level <= order.escalation_level:
            continue
        recipients = [*unit_admins(order.unit), *office]
        leader_user = user_of(order.responsible_leader)
        if leader_user is not None:
            recipients.append(leader_user)
        if level >= 2:
            recipients.extend(leaders)
        with transaction.atomic():
            updated = SupervisionOrder.objects.filter(
                pk=order.pk, escalation_level=order.escalation_level
            ).update(escalation_level=level, escalated_at=now)
            if not updated:  # another worker got there first
                continue
            notify(
                event="supervision_order_overdue",
                dedup_key=f"inspections:order:{order.pk}:escalate:{level}",
                recipients=recipients,
                subject=_("Supervision order %(number)s is overdue (deadline %(deadline)s)")
                % {
                    "number": order.number,
                    "deadline": timezone.localtime(order.item.deadline).strftime("%Y-%m-%d"),
                },
                body=order.finding.title,
                link=link("inspections:order", order.pk),
            )
            audit.record(
                "escalate",
                order,
                before={"escalation_level": order.escalation_level},
                after={"escalation_level": level},
                actor=None,
            )
        escalated += 1
    return escalated
