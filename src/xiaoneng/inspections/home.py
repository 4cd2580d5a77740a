"""Work-home providers: visits to do (inspectors), visits to publish and replies to verify
(the office), 督办单 to reply to (units), bulletins to approve (leaders), a bulletin due."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.core import clock, workhome

from . import selectors, services
from .models import InspectionRules
from .vocab import BulletinStatus, OrderStatus, VisitStatus


@workhome.provider(order=40)
def inspection_visits(user) -> list[workhome.Waiting]:
    if not user.has_permission("inspection.inspect"):
        return []
    count = selectors.visits_to_do(user).count()
    if not count:
        return []
    return [
        workhome.Waiting(
            key="inspections.visits_to_do",
            label=_("Inspection visits to do"),
            count=count,
            url=reverse("inspections:list") + "?mine=1",
        )
    ]


@workhome.provider(order=41)
def supervision_orders_to_reply(user) -> list[workhome.Waiting]:
    if not user.has_permission("rectification.manage"):
        return []
    qs = selectors.orders_for(user).filter(status__in=(OrderStatus.ISSUED, OrderStatus.RETURNED))
    if user.has_permission("inspection.manage"):
        return []  # the office waits for replies; it does not give them
    count = qs.count()
    if not count:
        return []
    overdue = qs.filter(item__deadline__lt=clock.now()).exists()
    return [
        workhome.Waiting(
            key="inspections.orders_to_reply",
            label=_("Supervision orders to reply to"),
            count=count,
            url=reverse("inspections:orders") + "?status=issued",
            tone="danger" if overdue else "warning",
        )
    ]


@workhome.provider(order=42)
def office_inspection_work(user) -> list[workhome.Waiting]:
    if not user.has_permission("inspection.manage"):
        return []
    items = []
    to_publish = selectors.visits_for(user).filter(status=VisitStatus.RECORDED).count()
    if to_publish:
        items.append(
            workhome.Waiting(
                key="inspections.visits_to_publish",
                label=_("Inspection visits to publish"),
                count=to_publish,
                url=reverse("inspections:list"),
            )
        )
    to_verify = selectors.orders_for(user).filter(status=OrderStatus.REPLIED).count()
    if to_verify:
        items.append(
            workhome.Waiting(
                key="inspections.orders_to_verify",
                label=_("Supervision order replies to verify"),
                count=to_verify,
                url=reverse("inspections:orders") + "?status=replied",
            )
        )
    now = clock.now()
    rules = InspectionRules.current()
    due = services.next_due(now, rules)
    if (due - timezone.localdate(now)).days <= rules.bulletin_remind_days:
        items.append(
            workhome.Waiting(
                key="inspections.bulletin_due",
                label=_("Exposure bulletin due"),
                count=1,
                url=reverse("inspections:bulletins"),
                tone="warning",
            )
        )
    return items


@workhome.provider(order=43)
def bulletins_to_approve(user) -> list[workhome.Waiting]:
    if not user.has_permission("bulletin.approve"):
        return []
    count = selectors.bulletins_for(user).filter(status=BulletinStatus.SUBMITTED).count()
    if not count:
        return []
    return [
        workhome.Waiting(
            key="inspections.bulletins_to_approve",
            label=_("Exposure bulletins to approve"),
            count=count,
            url=reverse("inspections:bulletins"),
        )
    ]
