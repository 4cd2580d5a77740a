"""Medical-ethics file writes (医德医风考评档案, seeds 000 and 003, PRODUCT.md 16).

One file per medical worker per year: the worker's self-evaluation, the department's and the
unit's evaluations (each with a score), patient-evaluation figures pulled from the surveys and
from complaints verified 属实 against the person, veto items (一票否决) and the final grade with
its reviewer. Any veto item forces 较差 whatever the scores.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from xiaoneng.core import audit, clock
from xiaoneng.core.errors import Conflict, Forbidden
from xiaoneng.core.models import Department, Person, Unit, User
from xiaoneng.core.scope import scope_for, scoped

from .. import rates
from ..models import EthicsFile, EthicsRule, VetoItem
from ..vocab import EthicsGrade, EthicsStage, EthicsStatus
from ..workflow import ETHICS
from .common import fail, require, rounded

MEDICAL_KINDS = (Department.Kind.CLINICAL, Department.Kind.MEDTECH)
ZERO, HUNDRED = Decimal(0), Decimal(100)


def rule() -> EthicsRule:
    found = EthicsRule.objects.order_by("id").first()
    if found is None:  # the seed migration makes one; a flushed test database may not have it
        found = EthicsRule.objects.create(
            self_weight=20, department_weight=30, unit_weight=50, complaint_deduction=10,
            excellent_min=90, good_min=80, average_min=60,
        )  # fmt: skip
    return found


def suggested(file: EthicsFile) -> tuple[Decimal | None, str]:
    """The weighted score of the stages filled in (re-weighted over them), less the deduction
    per verified complaint, and its grade; any veto item forces 较差."""
    r = rule()
    parts = [
        (file.self_score, r.self_weight),
        (file.department_score, r.department_weight),
        (file.unit_score, r.unit_weight),
    ]
    given = [(s, w) for s, w in parts if s is not None and w]
    score = None
    if given:
        total = sum((w for _s, w in given), ZERO)
        score = sum((s * w for s, w in given), ZERO) / total
        score -= r.complaint_deduction * file.verified_complaints
        score = rounded(min(max(score, ZERO), HUNDRED))
    if file.pk and file.vetoes.exists():
        return score, EthicsGrade.POOR
    if score is None:
        return None, ""
    if score >= r.excellent_min:
        return score, EthicsGrade.EXCELLENT
    if score >= r.good_min:
        return score, EthicsGrade.GOOD
    if score >= r.average_min:
        return score, EthicsGrade.AVERAGE
    return score, EthicsGrade.POOR


def _pull(file: EthicsFile) -> None:
    figures = rates.patient_figures(file.person, file.year, file.department)
    file.patient_responses = figures.valid
    file.patient_satisfaction = figures.rate
    file.verified_complaints = figures.verified_complaints
    file.figures_at = clock.now()
    file.suggested_score, _grade = suggested(file)


def _require_either(actor: User) -> None:
    """Department heads (ethics.evaluate) and unit reviewers (ethics.grade) keep the files."""
    require(actor, "ethics.grade" if actor.has_permission("ethics.grade") else "ethics.evaluate")


def _may_manage_person(actor: User, person: Person) -> bool:
    return scoped(actor, Person).filter(pk=person.pk).exists()


@transaction.atomic
def file_create(*, actor: User, person: Person, year: int) -> EthicsFile:
    """Open the year's file for a worker (once per person and year)."""
    _require_either(actor)
    if not _may_manage_person(actor, person):
        raise Forbidden(_("This person is outside your data scope."))
    if not 2000 <= int(year) <= 2100:
        fail({"year": [_("Give a valid year.")]})
    department = person.departments.order_by("sort_order", "id").first()
    file = EthicsFile(
        person=person, unit=person.unit, department=department, year=year, created_at=clock.now()
    )
    _pull(file)
    try:
        with transaction.atomic():
            file.save()
    except IntegrityError as exc:
        raise Conflict(_("This person already has a file for %(year)s.") % {"year": year}) from exc
    audit.record("create", file, after=audit.snapshot(file), actor=actor)
    return file


@transaction.atomic
def files_open_for_unit(*, actor: User, unit: Unit, year: int) -> int:
    """A file for every active medical worker (clinical and medical-technical departments) of
    the unit who has none for the year; returns how many were opened."""
    require(actor, "ethics.grade")
    if not scope_for(actor).contains_unit(unit):
        raise Forbidden(_("This unit is outside your data scope."))
    having = EthicsFile.objects.filter(year=year, unit=unit).values("person_id")
    people = (
        Person.objects.filter(unit=unit, is_active=True, departments__kind__in=MEDICAL_KINDS)
        .exclude(pk__in=having)
        .distinct()
    )
    count = 0
    for person in people:
        file_create(actor=actor, person=person, year=year)
        count += 1
    return count


def _score(value, errors: dict) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        score = Decimal(str(value))
    except (InvalidOperation, ValueError):
        score = Decimal(-1)
    if not ZERO <= score <= HUNDRED:
        errors["score"] = [_("Give a score from 0 to 100.")]
        return None
    return rounded(score)


@transaction.atomic
def file_evaluate(
    *, actor: User, file: EthicsFile, stage: str, text: str, score=None
) -> EthicsFile:
    """Write one stage: the worker's own self-evaluation, the department's (ethics.evaluate)
    or the unit's (ethics.grade). A graded file is reopened first (409 otherwise)."""
    if stage == EthicsStage.SELF:
        if not actor.person_id or actor.person_id != file.person_id:
            raise Forbidden(_("Only the worker writes the self-evaluation."))
    elif stage == EthicsStage.DEPARTMENT:
        require(actor, "ethics.evaluate")
    elif stage == EthicsStage.UNIT:
        require(actor, "ethics.grade")
    else:
        fail({"stage": [_("Select a valid choice.")]})
    if stage != EthicsStage.SELF and not _may_manage_person(actor, file.person):
        raise Forbidden(_("This person is outside your data scope."))
    if file.status != EthicsStatus.OPEN:
        raise Conflict(_("The file has been graded; reopen it to change the evaluations."))
    errors: dict[str, list[str]] = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = [_("This field is required.")]
    value = _score(score, errors)
    fail(errors)
    before = audit.snapshot(file)
    now = clock.now()
    setattr(file, f"{stage}_text", text[:5000])
    setattr(file, f"{stage}_score", value)
    setattr(file, f"{stage}_at", now)
    if stage != EthicsStage.SELF:
        setattr(file, f"{stage}_by", actor)
    file.suggested_score, _grade = suggested(file)
    file.save()
    audit.record(f"evaluate_{stage}", file, before=before, after=audit.snapshot(file), actor=actor)
    return file


@transaction.atomic
def file_refresh_figures(*, actor: User, file: EthicsFile) -> EthicsFile:
    _require_either(actor)
    if file.status != EthicsStatus.OPEN:
        raise Conflict(_("The file has been graded; reopen it to change the evaluations."))
    before = audit.snapshot(file)
    _pull(file)
    file.save()
    audit.record("refresh_figures", file, before=before, after=audit.snapshot(file), actor=actor)
    return file


@transaction.atomic
def file_grade(
    *,
    actor: User,
    file: EthicsFile,
    grade: str = "",
    note: str = "",
    vetoes: Sequence[VetoItem] = (),
    veto_note: str = "",
) -> EthicsFile:
    """The final grade with its reviewer. Without ``grade`` the suggested one applies; any veto
    item (一票否决) forces 较差 whatever the scores and whatever grade was asked for."""
    require(actor, "ethics.grade")
    if not _may_manage_person(actor, file.person):
        raise Forbidden(_("This person is outside your data scope."))
    errors: dict[str, list[str]] = {}
    if grade and grade not in EthicsGrade.values:
        errors["grade"] = [_("Select a valid choice.")]
    vetoes = list(vetoes)
    if any(not v.is_active for v in vetoes):
        errors["vetoes"] = [_("Select a valid choice.")]
    if vetoes and not (veto_note or "").strip():
        errors["veto_note"] = [_("Record the facts behind the veto item.")]
    fail(errors)
    before = audit.snapshot(file)
    file.vetoes.set(vetoes)
    score, proposed = suggested(file)
    final = grade or proposed
    if not final:
        fail({"grade": [_("No scores yet: choose the grade.")]})
    note = (note or "").strip()
    if vetoes and final != EthicsGrade.POOR:
        final = EthicsGrade.POOR
        with translation.override(settings.LANGUAGE_CODE):  # kept in the file: site language
            forced = _("Veto item: graded poor whatever the scores.")
        note = (note + " " if note else "") + forced
    ETHICS.apply(
        file,
        "grade",
        grade=final,
        grade_note=note[:500],
        veto_note=(veto_note or "").strip()[:500],
        suggested_score=score,
        reviewer=actor,
        graded_at=clock.now(),
    )
    audit.record("grade", file, before=before, after=audit.snapshot(file), actor=actor)
    return file


@transaction.atomic
def file_reopen(*, actor: User, file: EthicsFile, reason: str) -> EthicsFile:
    require(actor, "ethics.grade")
    if not (reason or "").strip():
        fail({"reason": [_("This field is required.")]})
    before = audit.snapshot(file)
    ETHICS.apply(file, "reopen")
    audit.record("reopen", file, before=before, after=audit.snapshot(file), actor=actor,
                 reason=reason)  # fmt: skip
    return file
