"""SLA clocks: which time rule applies to a complaint, its deadlines, and the traffic light.

The rules are data (``SlaPolicy`` rows seeded by migration 0003 from PRODUCT.md "Time rules");
the arithmetic is the working-day calendar's (``core.calendar``):
- working_days: 23:59:59 of the Nth working day after the day the clock starts;
- working_hours: only hours of working days count (24 h from Friday 17:00 → Monday 17:00);
- natural_days: 23:59:59 of day N (0 = the same day);
- months: the end of the same date N months later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from xiaoneng.core import calendar as work_calendar
from xiaoneng.core.snapshot import Snapshot

from .models import Complaint, ComplaintRules, SlaPolicy
from .vocab import CLOCK_STATUSES, Light, LimitUnit, Status

BOOLEAN_CONDITIONS = ("price_related", "complex_matter", "multi_department")
LIST_CONDITIONS = ("type", "channel", "matter")


@dataclass(frozen=True)
class Deadlines:
    sign_by: datetime | None
    feedback_by: datetime | None
    resolve_by: datetime | None
    uncertain: bool = False


# --- policy matching ---------------------------------------------------------------------------
def matches(policy: SlaPolicy, complaint: Complaint) -> bool:
    """Every condition present on the policy holds for the complaint (absent keys match anything)."""
    conditions = policy.conditions or {}
    for key in LIST_CONDITIONS:
        if key in conditions and getattr(complaint, key) not in (conditions[key] or []):
            return False
    if "category" in conditions:
        code = complaint.category.code if complaint.category_id else None
        if code not in (conditions["category"] or []):
            return False
    for key in BOOLEAN_CONDITIONS:
        if key in conditions and bool(getattr(complaint, key)) != bool(conditions[key]):
            return False
    return not (
        "real_name" in conditions and (not complaint.anonymous) != bool(conditions["real_name"])
    )


def active_policies() -> list[SlaPolicy]:
    return list(_policies.get())


def select_policy(
    complaint: Complaint, policies: list[SlaPolicy] | None = None
) -> SlaPolicy | None:
    """The first active policy (lowest priority number) whose conditions the complaint meets."""
    for policy in active_policies() if policies is None else policies:
        if matches(policy, complaint):
            return policy
    return None


# --- deadlines ---------------------------------------------------------------------------------
def deadline_after(start: datetime, value: int | None, unit: str) -> work_calendar.Deadline | None:
    if value is None or not unit:
        return None
    if unit == LimitUnit.WORKING_DAYS:
        return work_calendar.add_working_days(start, value)
    if unit == LimitUnit.WORKING_HOURS:
        return work_calendar.add_hours(start, value)
    if unit == LimitUnit.NATURAL_DAYS:
        return work_calendar.add_natural_days(start, value)
    if unit == LimitUnit.MONTHS:
        return work_calendar.add_months(start, value)
    raise ValueError(f"unknown limit unit {unit!r}")


def compute_deadlines(policy: SlaPolicy | None, start: datetime) -> Deadlines:
    """Sign-for, feedback and resolution deadlines of `policy` for a clock started at `start`."""
    if policy is None:
        return Deadlines(None, None, None, False)
    sign = deadline_after(start, policy.sign_value, policy.sign_unit)
    feedback = deadline_after(start, policy.feedback_value, policy.feedback_unit)
    resolve = deadline_after(start, policy.resolve_value, policy.resolve_unit)
    parts = [d for d in (sign, feedback, resolve) if d is not None]
    return Deadlines(
        sign.at if sign else None,
        feedback.at if feedback else None,
        resolve.at if resolve else None,
        any(d.uncertain for d in parts),
    )


# --- engine settings and policies (snapshots: every intake and list row reads them) ----------
_rules = Snapshot(ComplaintRules.current, models=("complaints.ComplaintRules",))
_policies = Snapshot(
    lambda: list(SlaPolicy.objects.filter(is_active=True).order_by("priority", "id")),
    models=("complaints.SlaPolicy",),
)


def current_rules() -> ComplaintRules:
    return _rules.get()


def invalidate_rules(**_kwargs) -> None:
    _rules.invalidate()


# --- the traffic light -------------------------------------------------------------------------
def light(complaint: Complaint, now: datetime, rules: ComplaintRules | None = None) -> str:
    """green / yellow (≤ N working days left or > P % of the time used) / red (overdue) / none.

    Only while the resolution clock runs; a paused case shows its light as of the pause.
    """
    if complaint.status == Status.PAUSED and complaint.paused_at:
        now = complaint.paused_at
    elif complaint.status not in CLOCK_STATUSES:
        return Light.NONE
    due = complaint.resolve_by
    if due is None:
        return Light.NONE
    if now > due:
        return Light.RED
    rules = rules or current_rules()
    if work_calendar.working_days_between(now, due) <= rules.yellow_remaining_working_days:
        return Light.YELLOW
    start = complaint.clock_started_at or complaint.received_at
    total = (due - start).total_seconds() if start else 0
    if total > 0 and (now - start).total_seconds() * 100 > rules.yellow_elapsed_percent * total:
        return Light.YELLOW
    return Light.GREEN
