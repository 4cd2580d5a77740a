"""Visits and findings: the inspector's record (checklist answers, summary, GPS, evidence with
capture time), findings that become ledger issues, publication to the unit, 回头看 checks.

A finding becomes a ledger issue (source inspection) in the same transaction in which the unit
may first see it: at once for open visits, at publication for unannounced ones (暗访 stays
hidden from the unit until published). A severe finding also gets its 督办单 there.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.core import audit, clock
from xiaoneng.core.errors import Forbidden
from xiaoneng.core.models import Department, Person, StoredFile, User
from xiaoneng.core.notify import notify
from xiaoneng.rectification import services as ledger
from xiaoneng.rectification.vocab import IssueSource, ItemStatus
from xiaoneng.selfcheck.models import ChecklistItem

from ..models import Evidence, Finding, LookbackCheck, Visit, VisitAnswer
from ..vocab import LEDGER_SEVERITY, AnswerResult, FindingSeverity, LookbackResult, PlanKind
from ..vocab import VisitStatus as V
from ..workflow import VISIT, VISIT_OPEN
from .common import fail, link, require, text, unit_admins
from .orders import order_issue

Capture = tuple[StoredFile, datetime | None]


def is_inspector(actor: User, visit: Visit) -> bool:
    person_id = actor.person_id
    return person_id is not None and visit.team.filter(pk=person_id).exists()


def require_visit_writer(actor: User, visit: Visit) -> None:
    """The visit's team (inspection.inspect) or the office (inspection.manage)."""
    if actor is not None and actor.has_permission("inspection.manage"):
        require(actor, "inspection.manage")
        return
    require(actor, "inspection.inspect")
    if not is_inspector(actor, visit):
        raise Forbidden(_("You are not on this visit's team."))


def visible_to_unit(visit: Visit) -> bool:
    return visit.status == V.PUBLISHED or visit.plan.kind != PlanKind.UNANNOUNCED


def _evidence(visit: Visit, captures: Sequence[Capture], *, finding=None, lat=None, lng=None):
    now = clock.now()
    for file, captured_at in captures:
        if file is None:
            continue
        at = captured_at if captured_at is not None and captured_at <= now else now
        Evidence.objects.create(
            visit=visit, finding=finding, file=file, captured_at=at, latitude=lat, longitude=lng
        )


def _coordinate(value, limit: int, field: str, errors: dict) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except ArithmeticError:
        errors[field] = [_("Enter a number.")]
        return None
    if abs(number) > limit:
        errors[field] = [_("Enter a valid coordinate.")]
        return None
    return number


@transaction.atomic
def visit_record(
    *,
    actor: User,
    visit: Visit,
    answers: Sequence[dict] = (),
    summary: str = "",
    latitude=None,
    longitude=None,
    accuracy: int | None = None,
    files: Sequence[Capture] = (),
) -> Visit:
    """The form at the site: checklist answers (a "problem" answer becomes a general finding),
    a summary, the browser's GPS fix if given, evidence with capture times. Can be repeated
    until the visit is published."""
    require_visit_writer(actor, visit)
    VISIT.target(visit, "record")
    errors: dict[str, list[str]] = {}
    summary = text(summary, "summary", errors, required=False)
    lat = _coordinate(latitude, 90, "latitude", errors)
    lng = _coordinate(longitude, 180, "longitude", errors)
    template_id = visit.plan.template_id
    for row in answers:
        item = row.get("item")
        if not isinstance(item, ChecklistItem) or item.template_id != template_id:
            errors["answers"] = [_("An answer names an item outside the plan's checklist.")]
        elif row.get("result") not in AnswerResult.values:
            errors["answers"] = [_("Select a valid choice.")]
    fail(errors)
    now = clock.now()
    before = audit.snapshot(visit)
    for row in answers:
        VisitAnswer.objects.update_or_create(
            visit=visit,
            item=row["item"],
            defaults={"result": row["result"], "note": (row.get("note") or "").strip()},
        )
    VISIT.apply(
        visit,
        "record",
        summary=summary or visit.summary,
        latitude=lat if lat is not None else visit.latitude,
        longitude=lng if lng is not None else visit.longitude,
        location_accuracy=accuracy if lat is not None else visit.location_accuracy,
        visited_at=visit.visited_at or now,
        recorded_by=actor,
    )
    _evidence(visit, files, lat=lat, lng=lng)
    for row in answers:
        if row["result"] != AnswerResult.PROBLEM:
            continue
        item = row["item"]
        if visit.findings.filter(checklist_item=item).exists():
            continue
        finding_create(
            actor=actor,
            visit=visit,
            title=item.title,
            description=(row.get("note") or "").strip() or item.text,
            severity=FindingSeverity.GENERAL,
            checklist_item=item,
        )
    audit.record("record", visit, before=before, after=audit.snapshot(visit), actor=actor)
    return visit


def open_ledger_issue(finding: Finding, *, actor: User | None):
    """The finding's ledger issue (source inspection, linked both ways) and, when severe, its
    督办单 — in the caller's transaction."""
    if finding.issue_id:
        return finding.issue
    visit = finding.visit
    plan = visit.plan
    issue = ledger.issue_create(
        actor=None,
        unit=finding.unit,
        source=IssueSource.INSPECTION,
        title=f"【{plan.get_kind_display()}】{finding.title}"[:200],
        description=f"{finding.description}\n\n{_('Inspection')}: {plan.name}",
        category=finding.category,
        severity=LEDGER_SEVERITY[finding.severity],
        department=finding.department,
        people=list(finding.people.all()),
        source_ref=f"inspection.finding:{finding.pk}",
        campaign=plan.campaign,
        files=[e.file for e in finding.evidence.select_related("file")],
        found_at=finding.found_at,
        found_by=finding.recorded_by,
    )
    Finding.objects.filter(pk=finding.pk).update(issue=issue)
    finding.issue = issue
    if finding.severity == FindingSeverity.SEVERE:
        order_issue(finding=finding, actor=actor)
    return issue


@transaction.atomic
def finding_create(
    *,
    actor: User,
    visit: Visit,
    title: str,
    description: str,
    severity: str = FindingSeverity.GENERAL,
    category=None,
    department: Department | None = None,
    people: Sequence[Person] = (),
    files: Sequence[Capture] = (),
    checklist_item: ChecklistItem | None = None,
) -> Finding:
    """A finding with its evidence; it opens its ledger issue (and 督办单 when severe) now if
    the unit may see the visit, else when the visit is published."""
    require_visit_writer(actor, visit)
    if visit.status not in VISIT_OPEN:
        VISIT.target(visit, "record")  # a published visit takes no more findings: 409
    errors: dict[str, list[str]] = {}
    title = text(title, "title", errors, limit=200)
    description = text(description, "description", errors)
    if severity not in FindingSeverity.values:
        errors["severity"] = [_("Select a valid choice.")]
    if category is not None and not category.is_active:
        errors["category"] = [_("Select a valid choice.")]
    if department is not None and department.unit_id != visit.unit_id:
        errors["department"] = [_("This department does not belong to the unit.")]
    people = [p for p in people if p is not None]
    if any(not p.unit.path.startswith(visit.unit.path) for p in people):
        errors["people"] = [_("This person does not work in the unit.")]
    fail(errors)
    now = clock.now()
    finding = Finding.objects.create(
        visit=visit,
        unit=visit.unit,
        department=department,
        category=category,
        severity=severity,
        title=title,
        description=description,
        checklist_item=checklist_item,
        found_at=now,
        recorded_by=actor,
        created_at=now,
    )
    finding.people.set(people)
    _evidence(visit, files, finding=finding, lat=visit.latitude, lng=visit.longitude)
    audit.record("create", finding, after=audit.snapshot(finding), actor=actor)
    if visible_to_unit(visit):
        open_ledger_issue(finding, actor=actor)
    return finding


@transaction.atomic
def visit_publish(*, actor: User, visit: Visit) -> Visit:
    """The office publishes a recorded visit: the unit now sees it and its findings; findings
    of an unannounced visit open their ledger issues (and 督办单) now."""
    require(actor, "inspection.manage")
    before = audit.snapshot(visit)
    VISIT.apply(visit, "publish", published_at=clock.now())
    for finding in visit.findings.filter(issue__isnull=True).order_by("pk"):
        open_ledger_issue(finding, actor=actor)
    audit.record("publish", visit, before=before, after=audit.snapshot(visit), actor=actor)
    count = visit.findings.count()
    notify(
        event="inspection_published",
        dedup_key=f"inspections:visit:{visit.pk}:published",
        recipients=unit_admins(visit.unit),
        subject=_("Inspection results for %(unit)s: %(count)s finding(s)")
        % {"unit": visit.unit.name, "count": count},
        body=visit.summary[:500],
        link=link("inspections:visit", visit.pk),
    )
    return visit


@transaction.atomic
def lookback_check(
    *, actor: User, visit: Visit, finding: Finding, result: str, note: str = ""
) -> LookbackCheck:
    """回头看: a look-back visit checks an earlier finding of the same unit; "not rectified"
    reopens its closed ledger items (through the ledger's own reopen, flagged)."""
    require(actor, "inspection.manage")
    errors: dict[str, list[str]] = {}
    if visit.plan.kind != PlanKind.LOOKBACK:
        errors["visit"] = [_("Only a look-back visit checks earlier findings.")]
    if finding.unit_id != visit.unit_id or finding.visit_id == visit.pk:
        errors["finding"] = [_("Choose an earlier finding of this unit.")]
    if result not in LookbackResult.values:
        errors["result"] = [_("Select a valid choice.")]
    note = text(note, "note", errors, required=result == LookbackResult.NOT_RECTIFIED)
    if LookbackCheck.objects.filter(visit=visit, finding=finding).exists():
        errors["finding"] = [_("This finding was already checked on this visit.")]
    fail(errors)
    reopened = 0
    issue = finding.issue if result == LookbackResult.NOT_RECTIFIED else None
    if issue is not None:
        reason = _("Look-back inspection: not rectified. %(note)s") % {"note": note}
        for item in issue.items.filter(status=ItemStatus.CLOSED).order_by("pk"):
            ledger.reopen(item=item, actor=actor, reason=reason, flag=True)
            reopened += 1
    check = LookbackCheck.objects.create(
        visit=visit,
        finding=finding,
        result=result,
        note=note,
        reopened_items=reopened,
        checked_by=actor,
        checked_at=clock.now(),
    )
    audit.record("lookback", finding, after=audit.snapshot(check), actor=actor)
    return check
