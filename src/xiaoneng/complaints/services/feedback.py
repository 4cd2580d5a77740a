"""Verification, return visit (回访, 重办), reopen and close (办结)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.core import clock
from xiaoneng.core.models import User
from xiaoneng.core.services.base import fail

from .. import sla
from ..models import Complaint
from ..signals import complaint_verified, complaint_verified_true
from ..vocab import Satisfaction, Verification
from .common import _allow, _require_state, _required_text, _transition


@transaction.atomic
def complaint_verify(*, complaint: Complaint, actor: User, result: str) -> Complaint:
    """属实 / 部分属实 / 不属实 / 无法核实; true or partly true tells the rectification ledger."""
    _allow(actor, complaint, "verify")
    _require_state(complaint, "verify")
    if result not in Verification.values:
        fail({"result": [_("Select a valid choice.")]})
    _transition(complaint, "verify", actor, data={"result": result}, verification=result)
    complaint_verified.send(sender=Complaint, complaint=complaint, result=result, actor=actor)
    if result in (Verification.TRUE, Verification.PARTLY_TRUE):
        transaction.on_commit(
            lambda: complaint_verified_true.send(sender=Complaint, complaint=complaint)
        )
    return complaint


@transaction.atomic
def complaint_return_visit(
    *, complaint: Complaint, actor: User, satisfaction: str, note: str = ""
) -> Complaint:
    """回访; unsatisfied → 重办: back to handling with a fresh clock from now."""
    _allow(actor, complaint, "return_visit")
    _require_state(complaint, "return_visit")
    if satisfaction not in Satisfaction.values:
        fail({"satisfaction": [_("Select a valid choice.")]})
    _transition(
        complaint,
        "return_visit",
        actor,
        note=note,
        data={"satisfaction": satisfaction},
        satisfaction=satisfaction,
    )
    if satisfaction == Satisfaction.UNSATISFIED:
        _restart(complaint, actor, "redo", note=note)
    return complaint


def _restart(complaint: Complaint, actor: User, name: str, *, note: str) -> None:
    """A new handling round (重办 / reopen): fresh deadlines from now, escalation starts again."""
    now = clock.now()
    deadlines = sla.compute_deadlines(complaint.sla_policy, now)
    _transition(
        complaint,
        name,
        actor,
        note=note,
        data={"round": complaint.redo_count + 1},
        clock_started_at=now,
        feedback_by=deadlines.feedback_by,
        resolve_by=deadlines.resolve_by,
        deadline_uncertain=deadlines.uncertain,
        overdue_since=None,
        escalation_level=0,
        redo_count=complaint.redo_count + 1,
        closed_at=None,
    )


@transaction.atomic
def complaint_reopen(*, complaint: Complaint, actor: User, reason: str) -> Complaint:
    """The office reopens a closed (or visited) case: a new handling round with a fresh clock."""
    _allow(actor, complaint, "reopen")
    _require_state(complaint, "reopen")
    reason = _required_text(reason, "reason")
    _restart(complaint, actor, "reopen", note=reason)
    return complaint


@transaction.atomic
def complaint_close(*, complaint: Complaint, actor: User, note: str = "") -> Complaint:
    """办结 (public)."""
    _allow(actor, complaint, "close")
    return _transition(complaint, "close", actor, note=note, public=True, closed_at=clock.now())
