"""Writes of inspections: keyword-only, atomic, validated, audited; side effects via the outbox."""

from .bulletins import (
    bulletin_approve,
    bulletin_create,
    bulletin_publish,
    bulletin_return,
    bulletin_submit,
    next_due,
    ranking,
    remind_bulletin_due,
    response_record,
)
from .draw import compute_draw
from .orders import escalate_overdue, is_overdue, order_reply, order_verify
from .plans import plan_create, plan_draw, visit_create
from .visits import (
    finding_create,
    is_inspector,
    lookback_check,
    visible_to_unit,
    visit_publish,
    visit_record,
)

__all__ = [
    "bulletin_approve",
    "bulletin_create",
    "bulletin_publish",
    "bulletin_return",
    "bulletin_submit",
    "compute_draw",
    "escalate_overdue",
    "finding_create",
    "is_inspector",
    "is_overdue",
    "lookback_check",
    "next_due",
    "order_reply",
    "order_verify",
    "plan_create",
    "plan_draw",
    "ranking",
    "remind_bulletin_due",
    "response_record",
    "visible_to_unit",
    "visit_create",
    "visit_publish",
    "visit_record",
]
