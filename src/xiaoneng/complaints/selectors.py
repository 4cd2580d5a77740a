"""Scoped reads of the complaint engine: lists, detail, timeline, counts and work queues."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast, Coalesce

from xiaoneng.core import calendar as work_calendar
from xiaoneng.core import clock
from xiaoneng.core.scope import get_scoped_or_404, scope_for, scoped
from xiaoneng.core.snapshot import Snapshot

from .models import Complaint, ComplaintEvent, DuplicateSuggestion, ExtensionRequest
from .vocab import CLOCK_STATUSES, OPEN_STATUSES, PublicStatus, Status, SuggestionStatus

LIST_RELATED = (
    "category",
    "subject_unit",
    "subject_department",
    "unit",
    "department",
    "handler",
    "sla_policy",
)
# What list pages and the list export show; each join more costs the planner at 2M rows.
PAGE_RELATED = ("category", "subject_unit", "unit", "department")
# What the case page and the API detail join.
COMPLAINT_RELATED = (
    "category",
    "subject_unit",
    "subject_department",
    "subject_person",
    "unit",
    "department",
    "handler",
    "first_inquiry_person",
    "sla_policy",
)
# The case page: what it shows, less the two small tables it reads from a snapshot (category,
# SLA policy; attach_reference_rows): 9 joins cost PostgreSQL 5-25 ms of planning per view, 6
# about 1-2 ms (issue #18).
CASE_PAGE_RELATED = (
    "subject_unit",
    "subject_department",
    "subject_person",
    "unit",
    "department",
    "handler",
)
UNIT_BUCKETS = ("to_sign", "handling", "due_soon", "overdue")


def complaints_for(user, related: tuple[str, ...] = LIST_RELATED) -> QuerySet[Complaint]:
    """Every complaint the user may see (data scope), with `related` joined."""
    return scoped(user, Complaint).select_related(*related)


def is_overdue(complaint: Complaint, now) -> bool:
    """The resolution deadline has passed while the clock runs (same rule as ?overdue=true)."""
    return bool(
        complaint.status in CLOCK_STATUSES and complaint.resolve_by and complaint.resolve_by < now
    )


def get_complaint(user, pk) -> Complaint:
    """One complaint in scope; missing and out of scope are the same 404."""
    return get_scoped_or_404(
        user, Complaint.objects.select_related(*LIST_RELATED, "first_inquiry_person"), pk=pk
    )


HISTORY_LIMIT = 200  # audit records the case page's history tab lists


def get_case_page_complaint(user, pk) -> Complaint:
    """One complaint in scope for the case page, in one query: COMPLAINT_RELATED joined, and
    what the page would otherwise ask one query each for (issue #18): whether an extension
    request is pending, whether duplicates were merged into it, how many audit records it has
    (the history tab's badge)."""
    from xiaoneng.core.audit import object_type
    from xiaoneng.core.models import AuditRecord

    history = (
        AuditRecord.objects.filter(
            object_type=object_type(Complaint), object_id=Cast(OuterRef("pk"), CharField())
        )
        .order_by()
        .values("object_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = Complaint.objects.select_related(*CASE_PAGE_RELATED).annotate(
        pending_extension=Exists(
            ExtensionRequest.objects.filter(complaint=OuterRef("pk"), approved__isnull=True)
        ),
        has_merged=Exists(Complaint.objects.filter(parent=OuterRef("pk"), status=Status.MERGED)),
        history_count=Coalesce(Subquery(history), 0),
    )
    complaint = get_scoped_or_404(user, qs, pk=pk)
    attach_reference_rows(complaint)
    return complaint


def attach_reference_rows(complaint: Complaint) -> None:
    """Category and SLA policy from this process's snapshot instead of two more joins (a row
    added by another process within the snapshot's minute is read by the usual lazy query)."""
    categories, policies = _reference_rows.get()
    if complaint.category_id in categories:
        Complaint.category.field.set_cached_value(complaint, categories[complaint.category_id])
    if complaint.sla_policy_id is None or complaint.sla_policy_id in policies:
        Complaint.sla_policy.field.set_cached_value(
            complaint, policies.get(complaint.sla_policy_id)
        )


def _load_reference_rows() -> tuple[dict, dict]:
    from .models import Category, SlaPolicy

    return (
        {c.pk: c for c in Category.objects.all()},
        {p.pk: p for p in SlaPolicy.objects.all()},
    )


# Both tables are a few dozen rows an administrator edits a few times a year.
_reference_rows = Snapshot(
    _load_reference_rows, models=("complaints.Category", "complaints.SlaPolicy")
)


def timeline(complaint: Complaint, *, public_only: bool = False) -> QuerySet[ComplaintEvent]:
    events = ComplaintEvent.objects.filter(complaint=complaint).select_related("actor")
    return events.filter(public=True) if public_only else events.order_by("at", "id")


def counts_by_status(user) -> list[tuple[str, int]]:
    rows = (
        scoped(user, Complaint)
        .order_by()
        .values_list("status")
        .annotate(n=Count("*"))  # COUNT(*): an index-only scan of the status index
        .values_list("status", "n")
    )
    return sorted(rows)


def office_queue(user, filters: dict | None = None) -> QuerySet[Complaint]:
    """The office's work: registered and accepted cases to dispatch, replies to verify, etc.

    filters: status (str or list), unit, overdue (bool), importance.
    """
    filters = filters or {}
    qs = complaints_for(user)
    status = filters.get("status")
    if status:
        qs = qs.filter(status__in=[status] if isinstance(status, str) else list(status))
    else:
        qs = qs.filter(
            status__in=(
                Status.REGISTERED,
                Status.ACCEPTED,
                Status.REPLIED,
                Status.VERIFIED,
                Status.VISITED,
            )
        )
    if filters.get("unit"):
        qs = qs.filter(unit=filters["unit"])
    if filters.get("importance"):
        qs = qs.filter(importance=filters["importance"])
    if filters.get("overdue"):
        qs = qs.filter(status__in=CLOCK_STATUSES, resolve_by__lt=filters.get("now") or clock.now())
    return qs.order_by("resolve_by", "id")


def due_soon_before(now: datetime) -> datetime:
    """The instant before which a deadline counts as 'due soon' (yellow by remaining days)."""
    from .sla import current_rules

    days = current_rules().yellow_remaining_working_days
    return work_calendar.add_working_days(now, days).at


def unit_queue(
    user, bucket: str, *, now: datetime | None = None, related: tuple[str, ...] = LIST_RELATED
) -> QuerySet[Complaint]:
    """The unit's work: to_sign (dispatched), handling (signed/handling/paused),
    due_soon (running and near the deadline, not yet overdue), overdue (past resolve_by)."""
    now = now or clock.now()
    qs = complaints_for(user, related=related)
    if bucket == "to_sign":
        qs = qs.filter(status=Status.DISPATCHED).order_by("sign_by", "id")
    elif bucket == "handling":
        qs = qs.filter(status__in=(Status.SIGNED, Status.HANDLING, Status.PAUSED)).order_by(
            "resolve_by", "id"
        )
    elif bucket == "due_soon":
        qs = qs.filter(
            status__in=CLOCK_STATUSES, resolve_by__gte=now, resolve_by__lte=due_soon_before(now)
        ).order_by("resolve_by", "id")
    elif bucket == "overdue":
        qs = qs.filter(status__in=CLOCK_STATUSES, resolve_by__lt=now).order_by("resolve_by", "id")
    else:
        raise ValueError(f"unknown bucket {bucket!r}; use one of {', '.join(UNIT_BUCKETS)}")
    return qs


def unit_queue_counts(user, *, now: datetime | None = None) -> dict[str, int]:
    """The size of every ``unit_queue`` bucket, in one pass over the unit's cases."""
    now = now or clock.now()
    running = Q(status__in=CLOCK_STATUSES)
    statuses = {*CLOCK_STATUSES, Status.DISPATCHED, Status.SIGNED, Status.HANDLING, Status.PAUSED}
    return (
        complaints_for(user)
        .filter(status__in=statuses)
        .aggregate(
            to_sign=Count("id", filter=Q(status=Status.DISPATCHED)),
            handling=Count(
                "id", filter=Q(status__in=(Status.SIGNED, Status.HANDLING, Status.PAUSED))
            ),
            due_soon=Count(
                "id", filter=running & Q(resolve_by__gte=now, resolve_by__lte=due_soon_before(now))
            ),
            overdue=Count("id", filter=running & Q(resolve_by__lt=now)),
        )
    )


def find_by_tracking_code(code: str) -> Complaint | None:
    """The public tracking lookup (pair it with services.tracking_matches for the phone check)."""
    code = (code or "").strip().upper()
    if not code:
        return None
    return Complaint.objects.filter(tracking_code=code).first()


# --- duplicates and the public view (issue 4) ---------------------------------------------------
PUBLIC_STATUS: dict[str, PublicStatus] = {
    Status.REGISTERED: PublicStatus.RECEIVED,
    Status.ACCEPTED: PublicStatus.RECEIVED,
    Status.DISPATCHED: PublicStatus.IN_PROGRESS,
    Status.SIGNED: PublicStatus.IN_PROGRESS,
    Status.HANDLING: PublicStatus.IN_PROGRESS,
    Status.PAUSED: PublicStatus.IN_PROGRESS,
    Status.REPLIED: PublicStatus.ANSWERED,
    Status.VERIFIED: PublicStatus.ANSWERED,
    Status.VISITED: PublicStatus.ANSWERED,
    Status.CLOSED: PublicStatus.CLOSED,
    Status.REJECTED: PublicStatus.NOT_ACCEPTED,
}
MAX_PARENT_HOPS = 10


def public_status(status: str) -> str:
    """An internal state in the complainant's words (已受理 / 办理中 / 已答复 / 已办结 / 不予受理).

    ``merged`` has no public word of its own: use ``public_view``, which follows the parent.
    """
    return PUBLIC_STATUS.get(status, PublicStatus.IN_PROGRESS)


def handling_case(complaint: Complaint) -> Complaint:
    """The case that carries this one: itself, or for a merged duplicate its parent (followed up
    the chain, which merging keeps one level deep)."""
    case, hops = complaint, 0
    while case.status == Status.MERGED and case.parent_id and hops < MAX_PARENT_HOPS:
        case = Complaint.objects.get(pk=case.parent_id)
        hops += 1
    return case


@dataclass(frozen=True)
class PublicView:
    """What the complainant may see of a case (PRODUCT.md: never internal notes, staff names or
    other complainants' data). For a merged duplicate, status, reply and dates are the parent's;
    number, tracking code and received_at stay the duplicate's own."""

    number: str
    tracking_code: str
    received_at: datetime
    status: str  # PublicStatus value
    status_label: str
    reject_reason: str
    reply: str
    replied_at: datetime | None
    closed_at: datetime | None
    resolve_by: datetime | None
    satisfaction: str
    merged: bool
    events: list[dict]


def public_view(complaint: Complaint) -> PublicView:
    """The public tracking view of a case; a merged duplicate follows its parent.

    ``events``: [{"at", "action", "status"}] — the case's own public events, and after a merge the
    parent's public events from the merge on (no notes, no actors).
    """
    case = handling_case(complaint)
    status = public_status(case.status)
    own = ComplaintEvent.objects.filter(complaint=complaint, public=True).order_by("at", "id")
    events = [
        {"at": e.at, "action": e.action, "status": public_status(e.to_status or complaint.status)}
        for e in own
    ]
    if case.pk != complaint.pk:
        events.append(
            {"at": complaint.merged_at, "action": "merge", "status": public_status(case.status)}
        )
        later = ComplaintEvent.objects.filter(
            complaint=case, public=True, at__gte=complaint.merged_at or complaint.received_at
        ).order_by("at", "id")
        events += [
            {"at": e.at, "action": e.action, "status": public_status(e.to_status or case.status)}
            for e in later
        ]
    return PublicView(
        number=complaint.number,
        tracking_code=complaint.tracking_code,
        received_at=complaint.received_at,
        status=str(status),
        status_label=str(PublicStatus(status).label),
        reject_reason=case.reject_reason if case.status == Status.REJECTED else "",
        reply=case.reply,
        replied_at=case.replied_at,
        closed_at=case.closed_at,
        resolve_by=case.resolve_by,
        satisfaction=complaint.satisfaction,
        merged=case.pk != complaint.pk,
        events=events,
    )


def merged_cases(complaint: Complaint) -> QuerySet[Complaint]:
    """The duplicates merged into this case (their complainants follow its reply)."""
    return Complaint.objects.filter(parent=complaint, status=Status.MERGED).order_by("received_at")


def suggestions_of(complaint: Complaint) -> QuerySet[DuplicateSuggestion]:
    """Suggestions in both directions: this case may repeat X, or X may repeat this case."""
    return (
        DuplicateSuggestion.objects.filter(Q(complaint=complaint) | Q(candidate=complaint))
        .select_related(
            "complaint", "candidate", "complaint__subject_unit", "candidate__subject_unit"
        )
        .select_related("decided_by")
        .order_by("status", "-score", "id")
    )


def open_suggestions(user) -> QuerySet[DuplicateSuggestion]:
    """The office's list: open suggestions whose two cases are both in the user's scope and whose
    newer case is not merged yet."""
    visible = scoped(user, Complaint).values("pk")
    return (
        DuplicateSuggestion.objects.filter(
            status=SuggestionStatus.OPEN, complaint__in=visible, candidate__in=visible
        )
        .exclude(complaint__status=Status.MERGED)
        .select_related(
            "complaint", "candidate", "complaint__subject_unit", "candidate__subject_unit"
        )
        .order_by("-created_at", "-score", "id")
    )


# --- the work home and the leader's list (issue 13) ---------------------------------------------
def browses_all(user) -> bool:
    """Whether the user gets the office's filterable list at /complaints/: the office, and
    roles that only read (no sign-for/handling) with a scope wider than their own records —
    a bureau leader (全部), the discipline office, an inspector given selected units."""
    if user.has_permission("complaint.dispatch"):
        return True
    if user.has_permission("complaint.handle"):
        return False
    scope = scope_for(user)
    return bool(scope.everything or scope.unit_paths or scope.unit_ids)


def extension_pending_q() -> Q:
    """Cases with an extension request waiting for the office's decision."""
    waiting = ExtensionRequest.objects.filter(approved__isnull=True).values("complaint_id")
    return Q(pk__in=waiting)


def home_counts(user, *, now: datetime | None = None) -> dict[str, int]:
    """Everything the office's work home counts about cases in scope, in one query: cases to
    accept, dispatch, verify, visit and close, near or past their deadline, and cases with an
    extension request waiting for a decision."""
    now = now or clock.now()
    running = Q(status__in=CLOCK_STATUSES)
    return (
        scoped(user, Complaint)
        .filter(status__in=OPEN_STATUSES)  # the status index: closed cases are never read
        .order_by()
        .aggregate(
            to_accept=Count("id", filter=Q(status=Status.REGISTERED)),
            to_dispatch=Count("id", filter=Q(status=Status.ACCEPTED)),
            to_verify=Count("id", filter=Q(status=Status.REPLIED)),
            to_visit=Count("id", filter=Q(status=Status.VERIFIED)),
            to_close=Count("id", filter=Q(status=Status.VISITED)),
            due_soon=Count(
                "id", filter=running & Q(resolve_by__gte=now, resolve_by__lte=due_soon_before(now))
            ),
            overdue=Count("id", filter=running & Q(resolve_by__lt=now)),
            extension_pending=Count("id", filter=extension_pending_q()),
        )
    )
