"""Duplicate detection and merging (issue 4, "Duplicate detection").

After intake (``services.complaint_register`` marks the case ``duplicates_pending`` and, once the
transaction commits, queues ``check_pending`` in the worker; a periodic task catches any case
whose queuing was lost) the new case is compared with
- cases from the same phone (blind index, no decryption) received within 30 days, and
- open cases about the same unit received within 90 days (at most TEXT_CANDIDATE_LIMIT, newest
  first), by Chinese-aware text similarity (``textsim``: character bigrams + numbers, cosine).
Each hit is stored as a ``DuplicateSuggestion`` with its reason and score. The office
(complaint.dispatch) merges a duplicate into its parent (``complaint_merge``) or dismisses the
suggestion (``suggestion_dismiss``). A merged duplicate is kept, linked by ``Complaint.parent``,
leaves the clock and the queues (state ``merged``) and shows the parent's public status and reply
(``selectors.public_view``).

The rule and its measured precision/recall: ``bench/duplicates/`` (make_pairs.py, measure.py).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import NamedTuple

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.core import audit, clock
from xiaoneng.core.errors import Conflict
from xiaoneng.core.models import User
from xiaoneng.core.notify import outbox_deliver
from xiaoneng.core.services.base import fail

from . import policies, textsim
from .models import ComplainantIdentity, Complaint, ComplaintPause, DuplicateSuggestion
from .vocab import OPEN_STATUSES, Status, SuggestionStatus

logger = logging.getLogger(__name__)

TEXT_CANDIDATE_LIMIT = 300
MAX_SUGGESTIONS = 10
# What the rule reads of a candidate (a few hundred per intake: plain rows, not model objects),
# the candidate's phone index joined in.
CANDIDATE_FIELDS = (
    "pk",
    "title",
    "content",
    "received_at",
    "status",
    "parent_id",
    "subject_unit_id",
    "identity__phone_index",
)


class Candidate(NamedTuple):
    pk: int
    title: str
    content: str
    received_at: datetime
    status: str
    parent_id: int | None
    subject_unit_id: int
    phone_index: str | None


# --- detection ---------------------------------------------------------------------------------
def _text(case: Complaint | Candidate) -> str:
    return f"{case.title}。{case.content}"


def _doc(case: Complaint | Candidate, phone_index: str) -> textsim.Doc:
    return textsim.Doc(
        unit=case.subject_unit_id,
        text=_text(case),
        received_at=case.received_at,
        phone_key=phone_index or "",
        open=case.status in OPEN_STATUSES,
    )


def _phone_index(complaint: Complaint) -> str:
    return (
        ComplainantIdentity.objects.filter(complaint=complaint)
        .values_list("phone_index", flat=True)
        .first()
        or ""
    )


def _rows(qs) -> list[Candidate]:
    return [Candidate(*row) for row in qs.values_list(*CANDIDATE_FIELDS)]


def find_candidates(complaint: Complaint) -> list[tuple[Candidate, textsim.Verdict]]:
    """Earlier cases the complaint may repeat, best first (nothing is stored)."""
    phone_index = _phone_index(complaint)
    new = _doc(complaint, phone_index)
    received = complaint.received_at
    pool: dict[int, Candidate] = {}
    if phone_index:
        window = timedelta(days=textsim.PHONE_WINDOW_DAYS)
        same_phone = Complaint.objects.filter(
            identity__phone_index=phone_index,
            received_at__gte=received - window,
            received_at__lte=received + window,
        ).exclude(pk=complaint.pk)
        pool.update((c.pk, c) for c in _rows(same_phone[:TEXT_CANDIDATE_LIMIT]))
    window = timedelta(days=textsim.TEXT_WINDOW_DAYS)
    same_unit = (
        Complaint.objects.filter(
            subject_unit_id=complaint.subject_unit_id,
            status__in=OPEN_STATUSES,
            received_at__gte=received - window,
            received_at__lte=received + window,
        )
        .exclude(pk=complaint.pk)
        .order_by("-received_at", "-id")
    )
    pool.update((c.pk, c) for c in _rows(same_unit[:TEXT_CANDIDATE_LIMIT]))
    # A merged case stands for its parent: suggest the parent instead.
    parents = {c.parent_id for c in pool.values() if c.parent_id and c.parent_id not in pool}
    if parents:
        pool.update((c.pk, c) for c in _rows(Complaint.objects.filter(pk__in=parents)))
    pool.pop(complaint.pk, None)
    found: dict[int, tuple[Candidate, textsim.Verdict]] = {}
    for case in pool.values():
        verdict = textsim.judge(new, _doc(case, case.phone_index or ""))
        if verdict is None:
            continue
        target = case
        if case.status == Status.MERGED and case.parent_id:
            target = pool.get(case.parent_id) or case
            if target.pk == complaint.pk:
                continue
        best = found.get(target.pk)
        if best is None or verdict.score > best[1].score:
            found[target.pk] = (target, verdict)
    ranked = sorted(found.values(), key=lambda hit: (-hit[1].score, -hit[0].pk))
    return ranked[:MAX_SUGGESTIONS]


def detect(complaint: Complaint) -> list[DuplicateSuggestion]:
    """Find the possible duplicates of a (new) complaint and store them as open suggestions."""
    now = clock.now()
    rows = [
        DuplicateSuggestion(
            complaint=complaint,
            candidate_id=case.pk,
            reason=verdict.reason,
            score=round(verdict.score, 4),
            created_at=now,
        )
        for case, verdict in find_candidates(complaint)
    ]
    if rows:
        DuplicateSuggestion.objects.bulk_create(rows, ignore_conflicts=True)
    return rows


def check_pending(pk: int) -> int:
    """Run the detector once for a case still marked pending; the number of suggestions stored.

    The mark is cleared in the same transaction that stores the suggestions, so a worker killed
    mid-way leaves it for the next run, and two workers on one case do the work once. A broken
    detector is logged and the mark cleared (it is not retried forever).
    """
    with transaction.atomic():
        if not Complaint.objects.filter(pk=pk, duplicates_pending=True).update(
            duplicates_pending=False
        ):
            return 0
        complaint = Complaint.objects.get(pk=pk)
        try:
            with transaction.atomic():
                return len(detect(complaint))
        except Exception:
            logger.exception("duplicate detection failed for complaint %s", pk)
            return 0


def check_all_pending(limit: int = 1000) -> int:
    """The catch-up: every case still pending (oldest first, at most `limit`)."""
    ids = list(
        Complaint.objects.filter(duplicates_pending=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(check_pending(pk) for pk in ids)


def queue_check(pk: int) -> None:
    """Ask the worker to check one case (after commit); the periodic catch-up covers a failure."""
    from .tasks import check_duplicates

    try:
        check_duplicates(pk)
    except Exception:
        logger.exception("could not queue the duplicate check of complaint %s", pk)


# --- the office's decisions --------------------------------------------------------------------
@transaction.atomic
def complaint_merge(
    *, duplicate: Complaint, parent: Complaint, actor: User, note: str = ""
) -> Complaint:
    """Merge `duplicate` into `parent` (complaint.dispatch): both are kept and linked.

    The duplicate moves to ``merged`` (any open state; it leaves the clock, the sweeps and the
    queues), cases already merged into it now point at `parent`, open suggestions between the
    two are marked merged, both timelines get an event and both are audited.
    """
    from . import services  # services imports this module for intake

    policies.require(actor, duplicate, "merge")
    if parent is None:
        fail({"parent": [_("This field is required.")]})
    if parent.pk == duplicate.pk:
        fail({"parent": [_("A case cannot be merged into itself.")]})
    if not policies.can(actor, parent, "merge"):
        fail({"parent": [_("Select a valid case.")]})
    # Lock both rows (in a fixed order) so that two opposite merges cannot make a cycle.
    locked = {
        c.pk: c
        for c in Complaint.objects.select_for_update()
        .filter(pk__in=[duplicate.pk, parent.pk])
        .order_by("pk")
    }
    current_parent = locked[parent.pk]
    if current_parent.status == Status.MERGED:
        fail(
            {
                "parent": [
                    _("That case is itself merged into another case; merge into that one instead.")
                ]
            }
        )
    if current_parent.status == Status.REJECTED:
        fail({"parent": [_("A case that was not accepted cannot carry duplicates.")]})
    duplicate.status = locked[duplicate.pk].status
    services._require_state(duplicate, "merge")
    now = clock.now()
    note = (note or "").strip()
    changes: dict = {"parent": parent, "merged_at": now}
    if duplicate.status == Status.PAUSED:
        changes.update(paused_at=None, status_before_pause="")
        ComplaintPause.objects.filter(complaint=duplicate, ended_at__isnull=True).update(
            ended_at=now
        )
    services._transition(
        duplicate,
        "merge",
        actor,
        note=note,
        data={"parent": parent.pk, "parent_number": parent.number},
        reason=note,
        **changes,
    )
    moved = list(Complaint.objects.filter(parent=duplicate).values_list("pk", flat=True))
    if moved:
        Complaint.objects.filter(pk__in=moved).update(parent=parent, updated_at=now)
    services._event(
        parent,
        actor,
        "merge_in",
        note=note,
        at=now,
        data={"duplicate": duplicate.pk, "duplicate_number": duplicate.number, "moved": moved},
        from_status=current_parent.status,
        to_status=current_parent.status,
    )
    audit.record(
        "merge_in",
        parent,
        after={"duplicate": duplicate.pk, "moved": moved},
        actor=actor,
        reason=note,
    )
    pair = DuplicateSuggestion.objects.filter(
        complaint_id__in=[duplicate.pk, parent.pk],
        candidate_id__in=[duplicate.pk, parent.pk],
        status=SuggestionStatus.OPEN,
    )
    pair.update(status=SuggestionStatus.MERGED, decided_by=actor, decided_at=now)
    if duplicate.unit_id:
        unit = duplicate.unit
        outbox_deliver(
            lambda: services.users_with_role("unit_admin", unit=unit),
            title=_("Case %(number)s merged into %(parent)s")
            % {"number": duplicate.number, "parent": parent.number},
            body=note,
            link=services.complaint_link(parent),
            kind="complaint.merged",
        )
    return duplicate


@transaction.atomic
def suggestion_dismiss(
    *, suggestion: DuplicateSuggestion, actor: User, reason: str = ""
) -> DuplicateSuggestion:
    """Not a duplicate: the office closes the suggestion (complaint.dispatch; audited)."""
    from . import services

    policies.require(actor, suggestion.complaint, "dismiss_duplicate")
    now = clock.now()
    reason = (reason or "").strip()
    updated = DuplicateSuggestion.objects.filter(
        pk=suggestion.pk, status=SuggestionStatus.OPEN
    ).update(status=SuggestionStatus.DISMISSED, decided_by=actor, decided_at=now)
    if updated != 1:
        raise Conflict(_("This suggestion has already been decided."))
    suggestion.refresh_from_db()
    complaint = suggestion.complaint
    services._event(
        complaint,
        actor,
        "dismiss_duplicate",
        note=reason,
        at=now,
        data={"suggestion": suggestion.pk, "candidate": suggestion.candidate_id},
        from_status=complaint.status,
        to_status=complaint.status,
    )
    audit.record(
        "dismiss_duplicate",
        complaint,
        before={"suggestion": suggestion.pk, "status": SuggestionStatus.OPEN},
        after={"suggestion": suggestion.pk, "status": SuggestionStatus.DISMISSED},
        actor=actor,
        reason=reason,
    )
    return suggestion
