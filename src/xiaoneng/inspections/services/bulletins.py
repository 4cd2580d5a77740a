"""Exposure bulletins (曝光通报, seeds 000/001): compose from chosen findings, complaints and
the cases of registered sources (``bulletin_sources``: accountability cases),
the office submits, a leader approves (choosing the cases and where names may appear), the
office publishes on the public site with a number and issue date; exposed units record their
检讨发言 / 整改表态; a reminder when the next bulletin is due (every N months, rules)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.complaints.models import Complaint
from xiaoneng.core import audit, clock, numbering
from xiaoneng.core import calendar as work_calendar
from xiaoneng.core.errors import Forbidden
from xiaoneng.core.models import StoredFile, Unit, User
from xiaoneng.core.notify import notify
from xiaoneng.core.scope import scope_for

from .. import bulletin_sources
from ..models import Bulletin, BulletinEntry, BulletinResponse, Finding, InspectionRules
from ..vocab import BulletinStatus, FindingSeverity, ResponseKind, VisitStatus
from ..workflow import BULLETIN
from .common import BULLETIN_KEY, fail, link, require, text, unit_admins, users_with


def _finding_entry(finding: Finding) -> dict:
    order = getattr(finding, "order", None)
    handling = _("Supervision order %(number)s issued.") % {"number": order.number} if order else ""
    return {
        "finding": finding,
        "unit": finding.unit,
        "title": finding.title,
        "text": finding.description,
        "handling": handling,
        "names": "、".join(p.name for p in finding.people.all())[:200],
    }


def _complaint_entry(complaint: Complaint) -> dict:
    person = complaint.subject_person
    subject = person.name if person is not None else ""
    return {
        "complaint": complaint,
        "unit": complaint.unit or complaint.subject_unit,
        "title": complaint.title,
        "text": complaint.content,
        "handling": complaint.get_verification_display() if complaint.verification else "",
        "names": subject,
    }


def _source_entries(
    actor: User, sources: Mapping[str, Sequence[int]], errors: dict[str, list[str]]
) -> list[dict]:
    """Entry rows of the registered sources (e.g. accountability cases) for the chosen ids;
    an unknown source or a case the actor may not see is an error."""
    rows: list[dict] = []
    for key, ids in sources.items():
        source = bulletin_sources.get(key)
        wanted = set(ids)
        if source is None:
            errors.setdefault("sources", []).append(_("Unknown source of cases."))
            continue
        if not wanted:
            continue
        found = source.entries(actor, sorted(wanted))
        if len(found) != len(wanted):
            errors.setdefault("sources", []).append(_("Choose cases you may see."))
        rows.extend(found)
    for row in rows:
        obj = row.pop("source_object", None)
        if obj is not None:
            row["source_type"] = ContentType.objects.get_for_model(obj)
            row["source_pk"] = obj.pk
    return rows


@transaction.atomic
def bulletin_create(
    *,
    actor: User,
    title: str,
    period_start: date,
    period_end: date,
    intro: str = "",
    findings: Sequence[Finding] = (),
    complaints: Sequence[Complaint] = (),
    sources: Mapping[str, Sequence[int]] | None = None,
) -> Bulletin:
    """The office composes a bulletin from chosen typical cases (published findings only;
    ``sources``: ids per registered source, e.g. ``{"accountability": [case ids]}``)."""
    require(actor, "inspection.manage")
    errors: dict[str, list[str]] = {}
    title = text(title, "title", errors, limit=200)
    intro = text(intro, "intro", errors, required=False)
    if period_start and period_end and period_end < period_start:
        errors["period_end"] = [_("The end cannot be before the start.")]
    if any(f.visit.status != VisitStatus.PUBLISHED for f in findings):
        errors["findings"] = [_("Only findings of published visits can be exposed.")]
    extra = _source_entries(actor, sources or {}, errors)
    if not findings and not complaints and not extra:
        errors["findings"] = [_("Choose at least one case.")]
    fail(errors)
    bulletin = Bulletin.objects.create(
        title=title,
        intro=intro,
        period_start=period_start,
        period_end=period_end,
        created_by=actor,
        created_at=clock.now(),
    )
    rows = [_finding_entry(f) for f in findings] + [_complaint_entry(c) for c in complaints]
    rows += extra
    for position, row in enumerate(rows, start=1):
        BulletinEntry.objects.create(bulletin=bulletin, position=position, **row)
    audit.record("create", bulletin, after=audit.snapshot(bulletin), actor=actor)
    return bulletin


def _move(bulletin: Bulletin, name: str, actor: User, *, reason: str = "", **changes) -> Bulletin:
    before = audit.snapshot(bulletin)
    BULLETIN.apply(bulletin, name, **changes)
    audit.record(name, bulletin, before=before, after=audit.snapshot(bulletin), actor=actor,
                 reason=reason[:500])  # fmt: skip
    return bulletin


@transaction.atomic
def bulletin_submit(*, actor: User, bulletin: Bulletin) -> Bulletin:
    """The office has reviewed it: it goes to the leaders for approval."""
    require(actor, "inspection.manage")
    _move(bulletin, "submit", actor, submitted_at=clock.now(), return_reason="")
    notify(
        event="bulletin_submitted",
        dedup_key=f"inspections:bulletin:{bulletin.pk}:submitted:{bulletin.submitted_at}",
        recipients=users_with("bulletin.approve"),
        subject=_("Exposure bulletin to approve: %(title)s") % {"title": bulletin.title},
        body=bulletin.intro[:500],
        link=link("inspections:bulletin", bulletin.pk),
    )
    return bulletin


def _require_approver(actor: User) -> None:
    # Leaders' role is read-only; approving a bulletin is the one write it grants.
    if actor is None or not actor.has_permission("bulletin.approve"):
        raise Forbidden(_("You do not have permission to do this."))


@transaction.atomic
def bulletin_approve(
    *,
    actor: User,
    bulletin: Bulletin,
    entries: Sequence[int] | None = None,
    names_for: Sequence[int] = (),
) -> Bulletin:
    """A leader approves: only the cases chosen (default all) are published, and personal
    names only for the cases ticked (``names_for``) — none without the tick."""
    _require_approver(actor)
    BULLETIN.target(bulletin, "approve")
    ids = set(bulletin.entries.values_list("pk", flat=True))
    chosen = ids if entries is None else set(entries) & ids
    if not chosen:
        fail({"entries": [_("Approve at least one case.")]})
    named = set(names_for) & chosen
    for entry in bulletin.entries.all():
        entry.approved = entry.pk in chosen
        entry.show_names = entry.pk in named
        entry.save(update_fields=["approved", "show_names"])
    return _move(bulletin, "approve", actor, approved_at=clock.now(), approved_by=actor)


@transaction.atomic
def bulletin_return(*, actor: User, bulletin: Bulletin, reason: str) -> Bulletin:
    _require_approver(actor)
    errors: dict[str, list[str]] = {}
    reason = text(reason, "reason", errors, limit=2000)
    fail(errors)
    return _move(bulletin, "return", actor, reason=reason, return_reason=reason)


def ranking(period_start: date, period_end: date) -> dict:
    """Counts by severity and the ranking of units by findings of published visits in the
    period (most findings first)."""
    qs = Finding.objects.filter(
        visit__status=VisitStatus.PUBLISHED,
        found_at__date__gte=period_start,
        found_at__date__lte=period_end,
    )
    severities = Counter(qs.values_list("severity", flat=True))
    per_unit = Counter(qs.values_list("unit_id", flat=True))
    names = dict(Unit.objects.filter(pk__in=per_unit).values_list("pk", "name"))
    rows = sorted(per_unit.items(), key=lambda kv: (-kv[1], names.get(kv[0], "")))
    return {
        "findings": sum(severities.values()),
        "by_severity": {code: severities.get(code, 0) for code in FindingSeverity.values},
        "units": [{"unit": names.get(pk, ""), "count": n} for pk, n in rows],
    }


@transaction.atomic
def bulletin_publish(*, actor: User, bulletin: Bulletin) -> Bulletin:
    """Publish on the public site: a gap-free number (效能曝光〔year〕N号), the issue date, the
    counts and ranking frozen; the exposed units are asked for their 检讨发言."""
    require(actor, "inspection.manage")
    BULLETIN.target(bulletin, "publish")
    now = clock.now()
    year = timezone.localtime(now).year
    number = f"效能曝光〔{year}〕{numbering.next_value(BULLETIN_KEY, year)}号"
    _move(
        bulletin,
        "publish",
        actor,
        number=number,
        issued_on=timezone.localdate(now),
        published_at=now,
        stats=ranking(bulletin.period_start, bulletin.period_end),
    )
    for unit in exposed_units(bulletin):
        notify(
            event="bulletin_published",
            dedup_key=f"inspections:bulletin:{bulletin.pk}:exposed:{unit.pk}",
            recipients=unit_admins(unit),
            subject=_("Your unit is named in exposure bulletin %(number)s") % {"number": number},
            body=_("Record the self-criticism and rectification pledge of your unit."),
            link=link("inspections:bulletin", bulletin.pk),
        )
    return bulletin


def exposed_units(bulletin: Bulletin) -> list[Unit]:
    ids = bulletin.entries.filter(approved=True).values("unit_id")
    return list(Unit.objects.filter(pk__in=ids).order_by("path"))


@transaction.atomic
def response_record(
    *,
    actor: User,
    bulletin: Bulletin,
    unit: Unit,
    kind: str,
    speaker: str,
    text_: str,
    files: Sequence[StoredFile] = (),
) -> BulletinResponse:
    """An exposed unit's 检讨发言 (its principal head, seed 001) or 整改表态, recorded against the
    published bulletin by the unit or the office."""
    if actor is None or not actor.has_permission("inspection.manage"):
        require(actor, "rectification.manage")
        if unit is None or not scope_for(actor).contains_unit(unit):
            raise Forbidden(_("This unit is outside your data scope."))
    else:
        require(actor, "inspection.manage")
    if bulletin.status != BulletinStatus.PUBLISHED:
        fail({"bulletin": [_("The bulletin is not published yet.")]})
    errors: dict[str, list[str]] = {}
    if unit is None or unit not in exposed_units(bulletin):
        errors["unit"] = [_("This unit is not named in the bulletin.")]
    if kind not in ResponseKind.values:
        errors["kind"] = [_("Select a valid choice.")]
    speaker = text(speaker, "speaker", errors, limit=50)
    content = text(text_, "text", errors)
    fail(errors)
    response = BulletinResponse.objects.create(
        bulletin=bulletin,
        unit=unit,
        kind=kind,
        speaker=speaker,
        text=content,
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    response.files.set([f for f in files if f is not None])
    audit.record("create", response, after=audit.snapshot(response), actor=actor)
    return response


def next_due(now: datetime | None = None, rules: InspectionRules | None = None) -> date:
    """When the next bulletin is due: N months (rules) after the last issue date."""
    now = now or clock.now()
    rules = rules or InspectionRules.current()
    last = (
        Bulletin.objects.filter(status=BulletinStatus.PUBLISHED, issued_on__isnull=False)
        .order_by("-issued_on")
        .values_list("issued_on", flat=True)
        .first()
    )
    if last is None:
        return timezone.localdate(now)
    return timezone.localdate(work_calendar.add_months(last, rules.bulletin_interval_months).at)


def remind_bulletin_due(*, now: datetime | None = None) -> bool:
    """The periodic cadence check: from N days (rules) before the due date, remind the office
    once per due date (the outbox dedups)."""
    now = now or clock.now()
    rules = InspectionRules.current()
    due = next_due(now, rules)
    if (due - timezone.localdate(now)).days > rules.bulletin_remind_days:
        return False
    notify(
        event="bulletin_due",
        dedup_key=f"inspections:bulletin_due:{due.isoformat()}",
        recipients=users_with("inspection.manage"),
        subject=_("An exposure bulletin is due on %(date)s") % {"date": due.isoformat()},
        body=_("Exposure bulletins are published every %(n)s months.")
        % {"n": rules.bulletin_interval_months},
        link=reverse("inspections:bulletins"),
    )
    return True
