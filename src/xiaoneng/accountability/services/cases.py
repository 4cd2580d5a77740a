"""Accountability cases: registration from any source, 一案双查 subjects, the workflow with
working-day step limits, serving the decision, appeal and close (seeds 000, 001, 003)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit, calendar, clock, numbering
from xiaoneng.core.errors import Conflict, ValidationFailed
from xiaoneng.core.models import Department, Person, Unit, User
from xiaoneng.core.notify import outbox_deliver
from xiaoneng.core.selectors import escalation_chain
from xiaoneng.core.services.base import require_permission, users_with

from ..models import Case, CaseEvent, Measure, StepLimit, Subject
from ..vocab import CaseStatus, SourceKind, SubjectRole
from ..workflow import ACTION_PERMISSION, CASE, EDITABLE, MANAGE

PREFIX = "WZ"
NUMBER_KEY = "accountability.case"  # core.numbering counter (carried over by migration 0004)


# --- helpers -----------------------------------------------------------------------------------
def _name(actor: User | None) -> str:
    if actor is None:
        return "系统"
    return actor.display_name if actor.person_id else actor.username


def _event(case: Case, kind: str, actor: User | None, note: str = "") -> None:
    CaseEvent.objects.create(
        case=case, kind=kind, at=clock.now(), actor=actor, actor_name=_name(actor), note=note
    )


def _step_due(status: str, start):
    limit = StepLimit.objects.filter(status=status).values_list("working_days", flat=True).first()
    if not limit:
        return None
    return calendar.add_working_days(start, limit).at


def case_link(case: Case) -> str:
    return reverse("accountability:case", args=[case.pk])


# --- 一案双查 -------------------------------------------------------------------------------------
def proposed_subjects(
    *, unit: Unit, department: Department | None = None, person: Person | None = None
) -> list[dict[str, Any]]:
    """The direct responsibility holder plus the leaders who answer for the area (一案双查):
    部门负责人 → 分管领导 → 主要领导 from the org chart (gaps skipped, nobody twice)."""
    rows: list[dict[str, Any]] = []
    seen: set[int] = set()

    def add(p: Person | None, role: str) -> None:
        if p is not None and p.pk not in seen:
            seen.add(p.pk)
            rows.append({"person": p, "role": role})

    add(person, SubjectRole.DIRECT)
    if department is not None:
        chain = escalation_chain(department)
        roles = {}
        if department.head_id:
            roles[department.head_id] = SubjectRole.DEPARTMENT_HEAD
        if department.leader_in_charge_id:
            roles.setdefault(department.leader_in_charge_id, SubjectRole.LEADER_IN_CHARGE)
        for p in chain:
            add(p, roles.get(p.pk, SubjectRole.PRINCIPAL))
    else:
        add(unit.principal, SubjectRole.PRINCIPAL)
    return rows


def _add_subjects(case: Case, rows: list[dict[str, Any]]) -> None:
    start = case.subjects.count()
    for i, row in enumerate(rows):
        person = row.get("person")
        Subject.objects.create(
            case=case,
            person=person,
            name=(row.get("name") or (person.name if person else ""))[:50],
            position=(row.get("position") or (person.position if person else ""))[:50],
            role=row["role"],
            finding=row.get("finding", ""),
            measure=row.get("measure"),
            position_order=start + i,
        )


# --- registration ------------------------------------------------------------------------------
@transaction.atomic
def case_create(
    *,
    actor: User | None,
    title: str,
    unit: Unit,
    source: str = SourceKind.MANUAL,
    summary: str = "",
    department: Department | None = None,
    person: Person | None = None,
    complaint=None,
    item=None,
    referral=None,
    finding=None,
    supervision_order=None,
    consequence=None,
    fast_track: bool = False,
    subjects: list[dict[str, Any]] | None = None,
    check: bool = True,
) -> Case:
    """Register a clue (线索登记); the people examined are proposed from the org chart unless
    given (一案双查), and stay editable until a leader approves."""
    if check:
        require_permission(actor, MANAGE)
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("This field is required.")]
    if source not in SourceKind.values:
        errors["source"] = [_("Select a valid choice.")]
    if department is not None and department.unit_id != unit.pk:
        errors["department"] = [_("The department does not belong to the unit.")]
    if person is not None and person.unit_id != unit.pk:
        errors["person"] = [_("The person does not belong to the unit.")]
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), errors=errors)
    now = clock.now()
    case = Case.objects.create(
        number=numbering.next_number(NUMBER_KEY, PREFIX, timezone.localtime(now).year),
        title=title[:200],
        summary=summary or "",
        source=source,
        unit=unit,
        department=department,
        complaint=complaint,
        item=item,
        referral=referral,
        finding=finding,
        supervision_order=supervision_order,
        consequence=consequence,
        fast_track=fast_track,
        step_started_at=now,
        step_due_at=_step_due(CaseStatus.REGISTERED, now),
        created_by=actor,
        created_at=now,
    )
    if subjects is None:
        subjects = proposed_subjects(unit=unit, department=department, person=person)
    _add_subjects(case, subjects)
    _event(case, "registered", actor)
    audit.record(
        "create",
        case,
        after=audit.snapshot(case) | {"subjects": [s.name for s in case.subjects.all()]},
        actor=actor,
    )
    return case


def case_from_referral(*, referral, actor: User | None = None) -> Case:
    """A failed spot check (整改不到位/虚假整改) opens a case against the item's unit with its
    responsible person and the leaders in charge proposed (一案双查)."""
    existing = Case.objects.filter(referral=referral).first()
    if existing is not None:
        return existing
    item = referral.item
    case = case_create(
        actor=actor,
        check=False,
        title=f"抽查未通过：{item.number}",  # record data (Chinese, like the seeds), not UI text
        summary=referral.note,
        source=SourceKind.SPOT_CHECK,
        unit=item.responsible_unit,
        department=item.responsible_department,
        person=item.responsible_person,
        item=item,
        referral=referral,
    )
    type(referral).objects.filter(pk=referral.pk).update(picked_up=True)
    return case


def case_from_complaint(*, complaint, actor: User) -> Case:
    """A complaint verified 属实/部分属实 opens a case against the unit and person complained about."""
    require_permission(actor, MANAGE)
    if complaint.verification not in ("true", "partly_true"):
        raise Conflict(_("Only a complaint verified as true or partly true can open a case."))
    unit = complaint.subject_unit or complaint.unit
    if unit is None:
        raise Conflict(_("The complaint has no unit to hold to account."))
    department = (
        complaint.department
        if complaint.department_id and (complaint.department.unit_id == unit.pk)
        else None
    )
    person = (
        complaint.subject_person
        if complaint.subject_person_id and (complaint.subject_person.unit_id == unit.pk)
        else None
    )
    return case_create(
        actor=actor,
        title=complaint.title,
        summary=complaint.reply or "",
        source=SourceKind.COMPLAINT,
        unit=unit,
        department=department,
        person=person,
        complaint=complaint,
    )


def case_from_finding(*, finding, actor: User) -> Case:
    """An inspection finding (明查暗访) opens a case against its unit and the people involved."""
    require_permission(actor, MANAGE)
    people = list(finding.people.filter(unit_id=finding.unit_id))
    department = finding.department if finding.department_id else None
    rows = proposed_subjects(
        unit=finding.unit, department=department, person=people[0] if people else None
    )
    known = {r["person"].pk for r in rows}
    rows += [{"person": p, "role": SubjectRole.DIRECT} for p in people[1:] if p.pk not in known]
    return case_create(
        actor=actor,
        title=finding.title,
        summary=finding.description,
        source=SourceKind.FINDING,
        unit=finding.unit,
        department=department,
        finding=finding,
        subjects=rows,
    )


def case_from_order(*, order, actor: User) -> Case:
    """A 督办单 left unanswered past its deadline holds its responsible leader to account."""
    require_permission(actor, MANAGE)
    from xiaoneng.inspections.services.orders import is_overdue

    if order.replied_at is None and not is_overdue(order, clock.now()):
        raise Conflict(_("The supervision order is not overdue."))
    rows = proposed_subjects(unit=order.unit)
    leader = order.responsible_leader
    if leader is not None and all(r["person"].pk != leader.pk for r in rows):
        rows.insert(0, {"person": leader, "role": SubjectRole.LEADER_IN_CHARGE})
    return case_create(
        actor=actor,
        title=f"督办单 {order.number} 逾期未办结",  # record data, Chinese like the seeds
        summary=order.requirements,
        source=SourceKind.SUPERVISION_ORDER,
        unit=order.unit,
        finding=order.finding,
        supervision_order=order,
        subjects=rows,
    )


# An evaluation consequence's measure → the accountability measure proposed for the person.
CONSEQUENCE_MEASURES = {
    "reminder_letter": "reminder_talk",
    "admonishing_talk": "admonition_talk",
    "removal": "organisational",
}


def case_from_consequence(*, consequence, actor: User | None = None) -> Case | None:
    """A confirmed 差 result's consequence (提醒函 / 诫勉谈话 / 调离免职) becomes a case with the
    measure proposed for the person concerned; commendations and rectification do not."""
    code = CONSEQUENCE_MEASURES.get(consequence.measure)
    if code is None:
        return None
    existing = Case.objects.filter(consequence=consequence).first()
    if existing is not None:
        return existing
    person = consequence.person
    unit = consequence.unit
    if person is not None and person.unit_id == unit.pk:
        rows = [{"person": person, "role": SubjectRole.DIRECT}]
    else:
        rows = proposed_subjects(unit=unit)
    measure = Measure.objects.filter(code=code, is_active=True).first()
    for row in rows:
        row["measure"] = measure
    return case_create(
        actor=actor,
        check=False,
        title=f"{consequence.round.title}：{consequence.get_measure_display()}",
        summary=consequence.reason,
        source=SourceKind.EVALUATION,
        unit=unit,
        consequence=consequence,
        subjects=rows,
    )


def case_from_source(*, source: str, pk: int, actor: User) -> Case:
    """Open a case from a source the actor can see (anything else is a 404)."""
    from django.http import Http404

    from xiaoneng.complaints.models import Complaint
    from xiaoneng.core.scope import scoped
    from xiaoneng.inspections.models import Finding, SupervisionOrder

    models_by_source: dict[str, tuple[type[Model], Callable[..., Case], str]] = {
        "complaint": (Complaint, case_from_complaint, "complaint"),
        "finding": (Finding, case_from_finding, "finding"),
        "supervision_order": (SupervisionOrder, case_from_order, "order"),
    }
    if source not in models_by_source:
        raise ValidationFailed(
            _("Unknown source."), errors={"source": [_("Select a valid choice.")]}
        )
    model, make, arg = models_by_source[source]
    obj = scoped(actor, model).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return make(**{arg: obj, "actor": actor})


# --- people examined ---------------------------------------------------------------------------
def _require_editable(case: Case) -> None:
    if case.status not in EDITABLE:
        raise Conflict(
            _("The people examined can no longer change: the proposal is with the leader.")
        )


@transaction.atomic
def subject_add(
    *, case: Case, actor: User, person: Person | None, role: str, name: str = ""
) -> Subject:
    require_permission(actor, MANAGE)
    _require_editable(case)
    if role not in SubjectRole.values:
        raise ValidationFailed(
            _("Please correct the errors below."), errors={"role": [_("Select a valid choice.")]}
        )
    if person is None and not name.strip():
        raise ValidationFailed(
            _("Please correct the errors below."), errors={"person": [_("This field is required.")]}
        )
    if person is not None and case.subjects.filter(person=person).exists():
        raise Conflict(_("This person is already examined in this case."))
    _add_subjects(case, [{"person": person, "role": role, "name": name}])
    subject = case.subjects.order_by("-id")[0]
    _event(case, "subject_added", actor, subject.name)
    audit.record("subject_add", case, after={"subject": subject.name, "role": role}, actor=actor)
    return subject


@transaction.atomic
def subject_update(
    *,
    subject: Subject,
    actor: User,
    finding: str | None = None,
    measure: Measure | None = None,
    clear_measure: bool = False,
    measure_note: str | None = None,
    referral_outcome: str | None = None,
) -> Subject:
    """Record one person's finding and the proposed measure (or, for a referral to 纪检监察,
    the outcome reported back; the system never decides a sanction)."""
    require_permission(actor, MANAGE)
    case = subject.case
    before = audit.snapshot(subject)
    if referral_outcome is not None:
        # The outcome of a referral arrives after the decision: allowed until the case closes.
        if case.status == CaseStatus.CLOSED or not (
            subject.measure and subject.measure.referral_only
        ):
            raise Conflict(_("Only a referral to discipline inspection has an outcome to record."))
        subject.referral_outcome = referral_outcome.strip()
    if finding is not None or measure is not None or clear_measure or measure_note is not None:
        _require_editable(case)
        if finding is not None:
            subject.finding = finding.strip()
        if measure is not None:
            if not measure.is_active:
                raise ValidationFailed(
                    _("Please correct the errors below."),
                    errors={"measure": [_("This measure is no longer in use.")]},
                )
            subject.measure = measure
        elif clear_measure:
            subject.measure = None
        if measure_note is not None:
            subject.measure_note = measure_note.strip()[:500]
    subject.save()
    audit.record("subject_update", case, before=before, after=audit.snapshot(subject), actor=actor)
    return subject


@transaction.atomic
def subject_remove(*, subject: Subject, actor: User, reason: str) -> None:
    require_permission(actor, MANAGE)
    _require_editable(subject.case)
    if not (reason or "").strip():
        raise ValidationFailed(
            _("Please correct the errors below."), errors={"reason": [_("Give the reason.")]}
        )
    case = subject.case
    audit.record(
        "subject_remove", case, before={"subject": subject.name}, actor=actor, reason=reason
    )
    _event(case, "subject_removed", actor, f"{subject.name}：{reason.strip()}")
    subject.delete()


# --- the workflow ------------------------------------------------------------------------------
def _need(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(
            _("Please correct the errors below."), errors={field: [_("This field is required.")]}
        )
    return value


def _propose(case: Case, note: str, now, actor, data) -> dict[str, Any]:
    if case.status == CaseStatus.REGISTERED and not case.fast_track:
        raise Conflict(_("Only a fast-track case goes straight from the clue to a proposal."))
    subjects = list(case.subjects.all())
    if not subjects:
        raise Conflict(_("Add at least one person examined before proposing."))
    missing = [s.name for s in subjects if not s.finding.strip()]
    if missing:
        raise Conflict(_("Record the finding for: %(names)s") % {"names": "、".join(missing)})
    return {"proposal": _need(note or data.get("proposal", ""), "note")}


def _appeal(case: Case, note: str, now, actor, data) -> dict[str, Any]:
    if case.appeal_by and now > case.appeal_by:
        raise Conflict(_("The appeal period ended on %(date)s.") % {"date": _local(case.appeal_by)})
    return {"appeal_text": _need(note, "note")}


def _close(case: Case, note: str, now, actor, data) -> dict[str, Any]:
    if case.status == CaseStatus.APPEALING:
        return {"appeal_outcome": _need(note, "note"), "closed_at": now}
    if case.appeal_by and now <= case.appeal_by and not data.get("appeal_waived"):
        raise Conflict(
            _(
                "The appeal period runs until %(date)s; close after it or record that the appeal was waived."
            )
            % {"date": _local(case.appeal_by)}
        )
    return {"closed_at": now}


def _send_back(case: Case, note: str, now, actor, data) -> dict[str, Any]:
    _need(note, "note")
    return {}


# What each step checks and records besides the state (the appeal period starts on serving).
STEP_CHANGES = {
    "dismiss": lambda case, note, now, actor, data: {"dismiss_reason": _need(note, "note")},
    "propose": _propose,
    "send_back": _send_back,
    "approve": lambda case, note, now, actor, data: {
        "approved_by": actor,
        "approved_at": now,
        "decision": note.strip() or case.proposal,
    },
    "serve": lambda case, note, now, actor, data: {
        "served_at": now,
        "appeal_by": _step_due(CaseStatus.SERVED, now),
    },
    "appeal": _appeal,
    "close": _close,
}


@transaction.atomic
def transition(case: Case, action: str, *, actor: User, note: str = "", **data: Any) -> Case:
    """Take one workflow step; illegal in the current state → 409, lacking the role → 403."""
    if action not in CASE.transitions:
        raise ValidationFailed(_("Unknown action."), errors={"action": [_("Unknown action.")]})
    case = Case.objects.select_for_update().get(pk=case.pk)
    CASE.target(case, action)  # an illegal step is a 409 whoever asks
    require_permission(actor, ACTION_PERMISSION[action])
    now = clock.now()
    step = STEP_CHANGES.get(action)
    changes: dict[str, Any] = step(case, note, now, actor, data) if step else {}
    before = {"status": case.status}
    target = CASE.target(case, action)
    changes.update(
        step_started_at=now,
        step_due_at=None if action == "serve" else _step_due(target, now),
        step_reminded_at=None,
    )
    if action == "serve":
        changes["step_due_at"] = changes["appeal_by"]
    CASE.apply(case, action, **changes)
    _event(case, action, actor, note.strip())
    audit.record(
        "transition",
        case,
        before=before,
        after={"status": case.status, "action": action},
        actor=actor,
        reason=note.strip(),
    )
    if action == "serve":
        _notify_served(case)
    elif action == "propose":
        _notify_approvers(case)
    return case


def _local(at) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d")


def _notify_served(case: Case) -> None:
    people = [s.person_id for s in case.subjects.all() if s.person_id]
    users = list(User.objects.filter(person__in=people, is_active=True))
    if users:
        outbox_deliver(
            users,
            kind="accountability.decision_served",
            title=_("A decision has been served on you: %(number)s") % {"number": case.number},
            body=_("Read the decision and, if you disagree, appeal within the period."),
            link=reverse("accountability:my-decisions"),
            dedup_key=f"accountability.served:{case.pk}",
        )


def _notify_approvers(case: Case) -> None:
    users = users_with("accountability.approve")
    if users:
        outbox_deliver(
            users,
            kind="accountability.proposal",
            title=_("Handling proposed for approval: %(number)s") % {"number": case.number},
            body=case.title,
            link=case_link(case),
            dedup_key=f"accountability.proposal:{case.pk}:{case.step_started_at.isoformat()}",
        )


# --- the overdue sweep -------------------------------------------------------------------------
def remind_overdue(*, now=None) -> dict[str, int]:
    """Remind the office of every case past its step limit, once per step (idempotent)."""
    now = now or clock.now()
    due = list(
        Case.objects.filter(step_due_at__lt=now, step_reminded_at__isnull=True).exclude(
            status__in=(CaseStatus.DISMISSED, CaseStatus.CLOSED, CaseStatus.SERVED)
        )
    )
    if not due:
        return {"reminded": 0}
    managers = users_with(MANAGE)
    reminded = 0
    for case in due:
        with transaction.atomic():
            if not Case.objects.filter(pk=case.pk, step_reminded_at__isnull=True).update(
                step_reminded_at=now
            ):
                continue
            if managers:
                outbox_deliver(
                    managers,
                    kind="accountability.step_overdue",
                    title=_("Accountability case past its time limit: %(number)s")
                    % {"number": case.number},
                    body=_("%(title)s — step: %(step)s")
                    % {"title": case.title, "step": case.get_status_display()},
                    link=case_link(case),
                    dedup_key=f"accountability.overdue:{case.pk}:{case.step_started_at.isoformat()}",
                )
            _event(case, "step_overdue", None, case.get_status_display())
            reminded += 1
    return {"reminded": reminded}
