"""Writes of social supervision: the roster (appoint, edit, end, re-appoint), a supervisor's
report, the office's triage (a complaint with channel 监督员, a ledger issue, or noted with an
answer) and ballot links of an evaluation round handed to the supervisors.

Keyword-only, atomic, audited; notices go through the outbox after commit. The complaint and the
issue are made by their own apps' services (``complaints.services.complaint_register``,
``rectification.services.issue_create``), which check the office's own permissions too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.complaints import services as complaint_services
from xiaoneng.core import audit, clock
from xiaoneng.core.errors import Conflict, Forbidden
from xiaoneng.core.models import Person, StoredFile, Unit, User
from xiaoneng.core.notify import outbox_deliver
from xiaoneng.core.services.base import fail, require, transition, user_of
from xiaoneng.evaluations.models import EvaluationRound, EvaluatorGroup
from xiaoneng.evaluations.services import rounds as evaluation_services
from xiaoneng.rectification import services as ledger_services
from xiaoneng.rectification.vocab import IssueSource
from xiaoneng.selfcheck.models import ActivityRecord

from .models import ActivityParticipation, Report, Supervisor
from .vocab import ReportKind, SupervisorKind, SupervisorStatus
from .workflow import REPORT, SUPERVISOR

MANAGE = "supervision.manage"
REPORT_PERMISSION = "supervision.report"


def _today() -> dt.date:
    return timezone.localdate(clock.now())


def _link(name: str, *args) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # a link must never block a write
        return ""


def _term_errors(starts_on, ends_on, errors: dict[str, list[str]]) -> None:
    if not starts_on:
        errors["term_starts_on"] = [_("This field is required.")]
    if not ends_on:
        errors["term_ends_on"] = [_("This field is required.")]
    if starts_on and ends_on and ends_on < starts_on:
        errors["term_ends_on"] = [_("The end must not be before the start.")]


# --- the roster -----------------------------------------------------------------------------------------
@transaction.atomic
def supervisor_appoint(
    *,
    actor: User,
    person: Person,
    kind: str,
    term_starts_on: dt.date,
    term_ends_on: dt.date,
    affiliation: str = "",
    appointment_doc: str = "",
) -> Supervisor:
    """聘任: a person of the org chart is put on the roster for a term (typically two years)."""
    require(actor, MANAGE)
    errors: dict[str, list[str]] = {}
    if person is None or not person.is_active:
        errors["person"] = [_("Select a valid choice.")]
    elif Supervisor.objects.filter(person=person).exists():
        errors["person"] = [_("This person is already on the roster; re-appoint them there.")]
    if kind not in SupervisorKind.values:
        errors["kind"] = [_("Select a valid choice.")]
    _term_errors(term_starts_on, term_ends_on, errors)
    fail(errors)
    supervisor = Supervisor.objects.create(
        person=person,
        kind=kind,
        term_starts_on=term_starts_on,
        term_ends_on=term_ends_on,
        affiliation=(affiliation or "").strip()[:200],
        appointment_doc=(appointment_doc or "").strip()[:100],
        created_at=clock.now(),
        created_by=actor,
    )
    audit.record("create", supervisor, after=audit.snapshot(supervisor), actor=actor)
    return supervisor


@transaction.atomic
def supervisor_update(
    *,
    actor: User,
    supervisor: Supervisor,
    kind: str,
    term_starts_on: dt.date,
    term_ends_on: dt.date,
    affiliation: str = "",
    appointment_doc: str = "",
) -> Supervisor:
    require(actor, MANAGE)
    errors: dict[str, list[str]] = {}
    if kind not in SupervisorKind.values:
        errors["kind"] = [_("Select a valid choice.")]
    _term_errors(term_starts_on, term_ends_on, errors)
    fail(errors)
    before = audit.snapshot(supervisor)
    supervisor.kind = kind
    supervisor.term_starts_on, supervisor.term_ends_on = term_starts_on, term_ends_on
    supervisor.affiliation = (affiliation or "").strip()[:200]
    supervisor.appointment_doc = (appointment_doc or "").strip()[:100]
    supervisor.save()
    audit.record("update", supervisor, before=before, after=audit.snapshot(supervisor), actor=actor)
    return supervisor


@transaction.atomic
def supervisor_end(*, actor: User, supervisor: Supervisor, reason: str) -> Supervisor:
    """解聘: the appointment ends early (or is closed at the end of the term), with the reason."""
    require(actor, MANAGE)
    reason = (reason or "").strip()
    if not reason:
        fail({"reason": [_("Give the reason.")]})
    transition(SUPERVISOR, supervisor, "end", actor=actor, reason=reason, ended_reason=reason[:200])
    return supervisor


@transaction.atomic
def supervisor_reappoint(
    *,
    actor: User,
    supervisor: Supervisor,
    term_starts_on: dt.date,
    term_ends_on: dt.date,
    appointment_doc: str = "",
) -> Supervisor:
    """续聘: a new term on the same roster row."""
    require(actor, MANAGE)
    errors: dict[str, list[str]] = {}
    _term_errors(term_starts_on, term_ends_on, errors)
    fail(errors)
    transition(
        SUPERVISOR,
        supervisor,
        "reappoint",
        actor=actor,
        term_starts_on=term_starts_on,
        term_ends_on=term_ends_on,
        appointment_doc=(appointment_doc or supervisor.appointment_doc)[:100],
        ended_reason="",
    )
    return supervisor


def in_term(supervisor: Supervisor | None, day: dt.date | None = None) -> bool:
    day = day or _today()
    return bool(
        supervisor is not None
        and supervisor.status == SupervisorStatus.ACTIVE
        and supervisor.term_starts_on <= day <= supervisor.term_ends_on
    )


def supervisor_of(user: User) -> Supervisor | None:
    if not user.person_id:
        return None
    return Supervisor.objects.filter(person_id=user.person_id).select_related("person").first()


# --- reports --------------------------------------------------------------------------------------------
def office_users() -> list[User]:
    users = User.objects.filter(is_active=True).prefetch_related("roles").order_by("id")
    return [u for u in users if u.has_permission(MANAGE)]


@transaction.atomic
def report_file(
    *,
    actor: User,
    kind: str,
    unit: Unit,
    title: str,
    content: str,
    place: str = "",
    observed_at: dt.datetime | None = None,
    files: Iterable[StoredFile] = (),
) -> Report:
    """A supervisor in term files what they saw (an observation or a problem clue); the office is
    told and decides what it becomes."""
    require(actor, REPORT_PERMISSION)
    supervisor = supervisor_of(actor)
    if not in_term(supervisor):
        raise Forbidden(_("Only an appointed supervisor within the term may file reports."))
    assert supervisor is not None
    now = clock.now()
    observed_at = observed_at or now
    errors: dict[str, list[str]] = {}
    if kind not in ReportKind.values:
        errors["kind"] = [_("Select a valid choice.")]
    if unit is None or not unit.is_active:
        errors["unit"] = [_("Select a valid choice.")]
    if not (title or "").strip():
        errors["title"] = [_("This field is required.")]
    if not (content or "").strip():
        errors["content"] = [_("This field is required.")]
    if observed_at > now:
        errors["observed_at"] = [_("The time cannot be in the future.")]
    fail(errors)
    report = Report.objects.create(
        supervisor=supervisor,
        kind=kind,
        unit=unit,
        place=(place or "").strip()[:200],
        observed_at=observed_at,
        title=title.strip()[:200],
        content=content.strip(),
        submitted_at=now,
    )
    files = list(files)
    if files:
        report.files.set(files)
    audit.record(
        "create",
        report,
        after={**audit.snapshot(report), "files": [f.pk for f in files]},
        actor=actor,
    )
    outbox_deliver(
        office_users(),
        title=f"【监督员报送】{report.title}",
        body=f"{supervisor.person.name}（{supervisor.get_kind_display()}）报送了"
        f"{report.get_kind_display()}：{report.unit.name}。请研判处理。",
        link=_link("supervision:triage", report.pk),
        kind="supervision.report_filed",
        dedup_key=f"supervision:report:{report.pk}:filed",
    )
    return report


def _locked(report: Report) -> Report:
    return (
        Report.objects.select_for_update()
        .select_related("supervisor__person", "unit")
        .get(pk=report.pk)
    )


def _tell_supervisor(report: Report, what: str) -> None:
    outbox_deliver(
        [u for u in [user_of(report.supervisor.person)] if u is not None],
        title=f"【报送处理】{report.title}",
        body=f"您报送的「{report.title}」{what}",
        link=_link("supervision:report", report.pk),
        kind="supervision.report_triaged",
        dedup_key=f"supervision:report:{report.pk}:triaged",
    )


def _pending(report: Report) -> None:
    if not REPORT.can(report, "note"):
        raise Conflict(_("The office has already decided on this report."))


@transaction.atomic
def report_to_complaint(
    *,
    actor: User,
    report: Report,
    category,
    type: str = "complaint",
    matter: str = "general",
    answer: str = "",
) -> Report:
    """Triage: the report becomes a complaint with channel 监督员 (the supervisor as the named
    complainant, so the complaint's public answer reaches them), handled by the complaint rules."""
    require(actor, MANAGE)
    report = _locked(report)
    _pending(report)
    person = report.supervisor.person
    details = [report.content]
    if report.place:
        details.append(f"地点：{report.place}")
    details.append(f"时间：{timezone.localtime(report.observed_at):%Y-%m-%d %H:%M}")
    complaint = complaint_services.complaint_register(
        actor=actor,
        channel="supervisor",
        type=type,
        category=category,
        subject_unit=report.unit,
        title=report.title,
        content="\n".join(details),
        received_at=report.submitted_at,
        matter=matter,
        complainant={"name": person.name, "phone": person.phone},
        attachments=list(report.files.all()),
        external_ref=f"JD-{report.pk}",
    )
    transition(
        REPORT,
        report,
        "to_complaint",
        actor=actor,
        complaint=complaint,
        answer=(answer or "").strip(),
        triaged_at=clock.now(),
        triaged_by=actor,
    )
    _tell_supervisor(report, f"已转为投诉件（编号 {complaint.number}）办理，办理结果将在此公开。")
    return report


@transaction.atomic
def report_to_issue(
    *,
    actor: User,
    report: Report,
    severity: str = "general",
    category=None,
    answer: str = "",
) -> Report:
    """Triage: the report is entered in the rectification ledger (问题清单) of the unit."""
    require(actor, MANAGE)
    report = _locked(report)
    _pending(report)
    issue = ledger_services.issue_create(
        actor=actor,
        unit=report.unit,
        source=IssueSource.SUPERVISOR,
        source_ref=f"监督员报送 JD-{report.pk}",
        title=report.title,
        description=report.content + (f"\n地点：{report.place}" if report.place else ""),
        severity=severity,
        category=category,
        found_at=report.observed_at,
        files=list(report.files.all()),
    )
    transition(
        REPORT,
        report,
        "to_issue",
        actor=actor,
        issue=issue,
        answer=(answer or "").strip(),
        triaged_at=clock.now(),
        triaged_by=actor,
    )
    _tell_supervisor(report, f"已列入整改台账（编号 {issue.number}），整改进展将在此公开。")
    return report


@transaction.atomic
def report_note(*, actor: User, report: Report, answer: str) -> Report:
    """Triage: noted (阅知) without a case — the answer to the supervisor is required."""
    require(actor, MANAGE)
    answer = (answer or "").strip()
    if not answer:
        fail({"answer": [_("Write the answer to the supervisor.")]})
    report = _locked(report)
    _pending(report)
    transition(
        REPORT,
        report,
        "note",
        actor=actor,
        answer=answer,
        triaged_at=clock.now(),
        triaged_by=actor,
    )
    _tell_supervisor(report, f"已阅知。答复：{answer}")
    return report


# --- evaluation rounds ------------------------------------------------------------------------------------
@transaction.atomic
def ballots_send(
    *, actor: User, round: EvaluationRound, group: EvaluatorGroup
) -> Sequence[Supervisor]:
    """The supervisors in term vote in a round as an evaluator group (e.g. 监督员 30 %): one
    one-time ballot link each, delivered to their inbox. Which link went to whom is not kept
    (the ballot stays anonymous). Returns the supervisors served."""
    require(actor, MANAGE)
    today = _today()
    roster = [
        s
        for s in Supervisor.objects.filter(status=SupervisorStatus.ACTIVE).select_related("person")
        if in_term(s, today)
    ]
    people = [(s, user_of(s.person)) for s in roster]
    served = [(s, u) for s, u in people if u is not None]
    if not served:
        fail({"group": [_("No supervisor in term has an account to receive a ballot link.")]})
    links = evaluation_services.tokens_create(
        actor=actor, round=round, group=group, count=len(served)
    )
    for (_supervisor, user), link in zip(served, links, strict=True):
        outbox_deliver(
            [user],
            title=f"【民主评议】{round.title}",
            body=f"请以「{group.name}」身份参加评议，链接仅可使用一次。",
            link=_link("evaluations_public:ballot", link.token),
            kind="supervision.ballot",
            dedup_key=f"supervision:ballot:{link.pk}",
        )
    audit.record(
        "ballot_links",
        round,
        after={"group": group.name, "supervisors": len(served)},
        actor=actor,
    )
    return [s for s, _u in served]


# --- 五个一 activities ---------------------------------------------------------------------------
@transaction.atomic
def activity_add(
    *, actor: User, supervisor: Supervisor, record: ActivityRecord
) -> ActivityParticipation:
    """The office adds a supervisor to a 五个一 activity (issue 20: supervisors "appear in the
    五个一 … where the office adds them"); once per activity."""
    require(actor, MANAGE)
    errors: dict[str, list[str]] = {}
    if record is None:
        errors["record"] = [_("Select a valid choice.")]
    elif ActivityParticipation.objects.filter(supervisor=supervisor, record=record).exists():
        errors["record"] = [_("This supervisor is already in that activity.")]
    fail(errors)
    row = ActivityParticipation.objects.create(
        supervisor=supervisor, record=record, added_at=clock.now(), added_by=actor
    )
    audit.record("create", row, after=audit.snapshot(row), actor=actor)
    return row


@transaction.atomic
def activity_remove(*, actor: User, participation: ActivityParticipation) -> None:
    """The office takes a supervisor off a 五个一 activity (audited)."""
    require(actor, MANAGE)
    audit.record("delete", participation, before=audit.snapshot(participation), actor=actor)
    participation.delete()
