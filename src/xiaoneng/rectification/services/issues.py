"""Issues (问题清单): record, from a verified complaint, publish."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.campaigns.models import Campaign
from xiaoneng.core import audit, clock, numbering
from xiaoneng.core.models import Department, Person, StoredFile, Unit, User
from xiaoneng.core.scope import scope_for
from xiaoneng.core.services.base import (
    check_department,
    fail,
    require,
)

from ..models import (
    Issue,
)
from ..vocab import IssueSource, Severity
from .common import ISSUE_KEY, ISSUE_PREFIX, _files, _text


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
        check_department(unit, department, errors)
    if category is not None and not getattr(category, "is_active", True):
        errors["category"] = [_("Select a valid choice.")]
    found_at = found_at or now
    if found_at > now:
        errors["found_at"] = [_("The time cannot be in the future.")]
    fail(errors)
    issue = Issue.objects.create(
        number=numbering.next_number(ISSUE_KEY, ISSUE_PREFIX, timezone.localtime(now).year),
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
