"""Scoped reads of the self-inspection app. Every list starts from ``core.scope.scoped``;
configuration (templates, requirements, activity definitions) is reference data every
signed-in user may read."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from xiaoneng.core import clock
from xiaoneng.core.models import Person, Unit
from xiaoneng.core.scope import get_scoped_or_404, scope_for, scoped

from . import periods
from .models import (
    TEN_RULES,
    ActivityRecord,
    ChecklistAnswer,
    ChecklistAssignment,
    ChecklistItem,
    ChecklistTemplate,
    Commitment,
    InstitutionRule,
    LearningKind,
    LearningRecord,
    LearningRequirement,
    RecurringActivity,
    RuleType,
)


def today() -> dt.date:
    return timezone.localdate(clock.now())


# --- checklists ------------------------------------------------------------------------------------
def templates_for(user) -> QuerySet[ChecklistTemplate]:
    return ChecklistTemplate.objects.prefetch_related(
        Prefetch("items", queryset=ChecklistItem.objects.order_by("number"))
    )


def assignments_for(user) -> QuerySet[ChecklistAssignment]:
    return (
        scoped(user, ChecklistAssignment)
        .select_related("template", "unit", "person")
        .annotate(answered=Count("answers", distinct=True))
        .annotate(item_count=Count("template__items", distinct=True))
    )


def get_assignment(user, pk) -> ChecklistAssignment:
    return get_scoped_or_404(user, assignments_for(user), pk=pk)


def answers_of(assignment: ChecklistAssignment) -> QuerySet[ChecklistAnswer]:
    return assignment.answers.select_related("item").prefetch_related("files")


def my_assignments(user) -> QuerySet[ChecklistAssignment]:
    """What this user answers: their own personal checklists, and their units' checklists when
    they may submit for a unit."""
    qs = assignments_for(user).filter(status=ChecklistAssignment.Status.OPEN)
    mine = Q(person_id=user.person_id) if user.person_id else Q(pk__in=[])
    if user.has_permission("campaign.submit"):
        mine |= Q(person__isnull=True)
    return qs.filter(mine)


def is_overdue(assignment: ChecklistAssignment, on: dt.date | None = None) -> bool:
    return assignment.status == ChecklistAssignment.Status.OPEN and assignment.due_on < (
        on or today()
    )


def overdue_assignments(user=None, *, on: dt.date | None = None) -> QuerySet[ChecklistAssignment]:
    base = assignments_for(user) if user is not None else ChecklistAssignment.objects.all()
    return base.filter(status=ChecklistAssignment.Status.OPEN, due_on__lt=on or today())


@dataclass
class Completion:
    unit: Unit
    total: int = 0
    completed: int = 0
    overdue: int = 0
    unit_total: int = 0
    unit_completed: int = 0
    person_total: int = 0
    person_completed: int = 0

    @property
    def rate(self) -> float:
        return round(100 * self.completed / self.total, 1) if self.total else 0.0


def completion_by_unit(user, *, campaign_id=None, template=None) -> list[Completion]:
    """Completion of unit and personal checklists per unit (overdue = open past its due date)."""
    qs = scoped(user, ChecklistAssignment)
    if campaign_id:
        qs = qs.filter(campaign_id=campaign_id)
    if template is not None:
        qs = qs.filter(template=template)
    done = Q(status=ChecklistAssignment.Status.COMPLETED)
    rows = qs.values("unit").annotate(
        total=Count("pk"),
        completed=Count("pk", filter=done),
        overdue=Count("pk", filter=~done & Q(due_on__lt=today())),
        unit_total=Count("pk", filter=Q(person__isnull=True)),
        unit_completed=Count("pk", filter=done & Q(person__isnull=True)),
        person_total=Count("pk", filter=Q(person__isnull=False)),
        person_completed=Count("pk", filter=done & Q(person__isnull=False)),
    )
    units = Unit.objects.in_bulk([r["unit"] for r in rows])
    result = [
        Completion(
            unit=units[r["unit"]],
            total=r["total"],
            completed=r["completed"],
            overdue=r["overdue"],
            unit_total=r["unit_total"],
            unit_completed=r["unit_completed"],
            person_total=r["person_total"],
            person_completed=r["person_completed"],
        )
        for r in rows
        if r["unit"] in units
    ]
    return sorted(result, key=lambda c: c.unit.path)


# --- commitments -------------------------------------------------------------------------------------
def commitments_for(user) -> QuerySet[Commitment]:
    return scoped(user, Commitment).select_related("unit", "person")


@dataclass(frozen=True)
class PublicCommitment:
    id: int
    unit_name: str
    person_name: str  # empty unless the person agreed to be named
    content: str
    committed_on: dt.date
    audience: str
    fulfilment: str
    fulfilment_label: str
    campaign_id: int | None


def public_commitments(*, unit=None, campaign_id=None, limit: int | None = None):
    """What the public site (portal) shows: commitments marked public, with their unit, and the
    person only where they consented (seed 000: 单位整改情况和个人承诺事项…予以公开)."""
    qs = Commitment.objects.filter(is_public=True, unit__is_active=True).select_related(
        "unit", "person"
    )
    if unit is not None:
        qs = qs.filter(unit=unit)
    if campaign_id:
        qs = qs.filter(campaign_id=campaign_id)
    qs = qs.order_by("-committed_on", "-id")
    if limit:
        qs = qs[:limit]
    return [
        PublicCommitment(
            id=c.pk,
            unit_name=c.unit.name,
            person_name=c.person.name if c.person_consents and c.person is not None else "",
            content=c.content,
            committed_on=c.committed_on,
            audience=c.get_audience_display(),
            fulfilment=c.fulfilment,
            fulfilment_label=str(c.get_fulfilment_display()),
            campaign_id=c.campaign_id,
        )
        for c in qs
    ]


# --- learning ----------------------------------------------------------------------------------------
def requirements_for(user) -> QuerySet[LearningRequirement]:
    return LearningRequirement.objects.all()


def learning_records_for(user) -> QuerySet[LearningRecord]:
    return scoped(user, LearningRecord).select_related("person", "unit")


MEASURE_KIND = {
    LearningRequirement.Measure.SELF_STUDY: LearningKind.SELF_STUDY,
    LearningRequirement.Measure.GROUP: LearningKind.GROUP,
    LearningRequirement.Measure.LECTURE: LearningKind.LECTURE,
    LearningRequirement.Measure.TEST: LearningKind.TEST,
}


@dataclass
class RequirementResult:
    requirement: LearningRequirement
    actual: Decimal
    compliant: bool


@dataclass
class PersonCompliance:
    person: Person
    results: list[RequirementResult] = field(default_factory=list)

    @property
    def compliant(self) -> bool:
        return all(r.compliant for r in self.results)


@dataclass
class UnitCompliance:
    unit: Unit
    people: int
    compliant: int

    @property
    def rate(self) -> float:
        return round(100 * self.compliant / self.people, 1) if self.people else 0.0


def _measure(requirement: LearningRequirement, people_ids: list[int]) -> dict[int, Decimal]:
    records = LearningRecord.objects.filter(
        person_id__in=people_ids,
        date__gte=requirement.starts_on,
        date__lte=requirement.ends_on,
    )
    if requirement.campaign_id:
        records = records.filter(Q(campaign_id=requirement.campaign_id) | Q(campaign_id=None))
    measure = requirement.measure
    if measure == LearningRequirement.Measure.ESSAYS:
        rows = records.values("person_id").annotate(value=Count("essays"))
    elif measure == LearningRequirement.Measure.TEST:
        rows = (
            records.filter(kind=LearningKind.TEST).values("person_id").annotate(value=Count("pk"))
        )
    else:
        if measure != LearningRequirement.Measure.TOTAL:
            records = records.filter(kind=MEASURE_KIND[LearningRequirement.Measure(measure)])
        rows = records.values("person_id").annotate(value=Sum("hours"))
    return {r["person_id"]: Decimal(r["value"] or 0) for r in rows}


def compliance(user, *, unit=None, requirements=None) -> list[PersonCompliance]:
    """Each person in scope against each active requirement (≥ minimum is compliant)."""
    in_scope = scoped(user, Person).filter(is_active=True).select_related("unit")
    if unit is not None:
        in_scope = in_scope.filter(unit=unit)
    people = list(in_scope.order_by("unit__path", "id"))
    if requirements is None:
        requirements = list(LearningRequirement.objects.filter(is_active=True))
    ids = [p.pk for p in people]
    values = {r.pk: _measure(r, ids) for r in requirements}
    result = []
    for person in people:
        row = PersonCompliance(person=person)
        for requirement in requirements:
            actual = values[requirement.pk].get(person.pk, Decimal(0))
            row.results.append(
                RequirementResult(requirement, actual, actual >= requirement.minimum)
            )
        result.append(row)
    return result


def requirements_short(person_id: int, *, on: dt.date) -> int:
    """How many learning requirements in force on ``on`` the person has not met yet (one query
    for the requirements, one per requirement in force)."""
    requirements = LearningRequirement.objects.filter(
        is_active=True, starts_on__lte=on, ends_on__gte=on
    )
    return sum(
        1 for r in requirements if _measure(r, [person_id]).get(person_id, Decimal(0)) < r.minimum
    )


def compliance_by_unit(rows: list[PersonCompliance]) -> list[UnitCompliance]:
    grouped: dict[int, list[PersonCompliance]] = defaultdict(list)
    units: dict[int, Unit] = {}
    for row in rows:
        grouped[row.person.unit_id].append(row)
        units[row.person.unit_id] = row.person.unit
    return [
        UnitCompliance(units[uid], len(items), sum(1 for i in items if i.compliant))
        for uid, items in grouped.items()
    ]


# --- recurring activities (五个一) ------------------------------------------------------------------
def activities_for(user) -> QuerySet[RecurringActivity]:
    return RecurringActivity.objects.prefetch_related("units")


def activity_records_for(user) -> QuerySet[ActivityRecord]:
    return scoped(user, ActivityRecord).select_related("activity", "unit")


def owing_units(activity: RecurringActivity, units: QuerySet[Unit] | None = None) -> list[Unit]:
    """The units that owe the activity: every active unit except bureaus, or the chosen ones."""
    base = units if units is not None else Unit.objects.all()
    base = base.filter(is_active=True)
    if activity.all_units:
        return list(base.exclude(kind=Unit.Kind.BUREAU).order_by("path"))
    chosen = {u.pk for u in activity.units.all()}
    return [u for u in base.order_by("path") if u.pk in chosen]


def _is_owed(activity: RecurringActivity, period: str) -> bool:
    start, end = periods.bounds(period)
    if activity.active_from > end:
        return False
    return not (activity.active_until and activity.active_until < start)


@dataclass(frozen=True)
class Missing:
    activity: RecurringActivity
    unit: Unit
    period: str


def missing_occurrences(
    *, as_of: dt.datetime | dt.date | None = None, period: str | None = None, user=None
) -> list[Missing]:
    """Owed occurrences with no record: for `period` if given (only activities of its frequency),
    otherwise for each activity's last completed period as of `as_of` (default: now) — last
    month for monthly, last quarter for quarterly activities. `user` limits to their scope."""
    if as_of is None:
        day = today()
    elif isinstance(as_of, dt.datetime):
        day = timezone.localdate(as_of)
    else:
        day = as_of
    units = scoped(user, Unit) if user is not None else None
    activities = RecurringActivity.objects.filter(is_active=True).prefetch_related("units")
    result: list[Missing] = []
    for activity in activities:
        if period is not None:
            if periods.frequency_of(period) != activity.frequency:
                continue
            wanted = period
        else:
            wanted = periods.last_completed(day, activity.frequency)
        if not _is_owed(activity, wanted):
            continue
        owed = owing_units(activity, units)
        done = set(
            ActivityRecord.objects.filter(activity=activity, period=wanted).values_list(
                "unit_id", flat=True
            )
        )
        result += [Missing(activity, unit, wanted) for unit in owed if unit.pk not in done]
    return result


@dataclass
class MatrixCell:
    period: str
    owed: bool
    count: int
    current: bool  # the period is still running: not flagged yet

    @property
    def missing(self) -> bool:
        return self.owed and not self.count and not self.current


def activity_matrix(user, activity: RecurringActivity, *, as_of=None, count: int = 6):
    """Rows of (unit, [MatrixCell]) for the last `count` periods up to the current one."""
    day = as_of or today()
    columns = periods.recent(day, activity.frequency, count)
    current = periods.period_of(day, activity.frequency)
    units = owing_units(activity, scoped(user, Unit))
    counts = {
        (r["unit_id"], r["period"]): r["n"]
        for r in ActivityRecord.objects.filter(
            activity=activity, period__in=columns, unit__in=[u.pk for u in units]
        )
        .values("unit_id", "period")
        .annotate(n=Count("pk"))
    }
    rows = []
    for unit in units:
        cells = [
            MatrixCell(p, _is_owed(activity, p), counts.get((unit.pk, p), 0), p == current)
            for p in columns
        ]
        rows.append((unit, cells))
    return columns, rows


# --- institution register (十项制度) ----------------------------------------------------------------
def rules_for(user) -> QuerySet[InstitutionRule]:
    return scoped(user, InstitutionRule).select_related("unit", "owner", "document")


@dataclass
class RegisterRow:
    unit: Unit
    present: dict[str, list[InstitutionRule]]
    custom: list[InstitutionRule]

    @property
    def missing(self) -> list[RuleType]:
        return [t for t in TEN_RULES if not self.present.get(t.value)]

    @property
    def cells(self) -> list[tuple[RuleType, list[InstitutionRule]]]:
        return [(t, self.present.get(t.value, [])) for t in TEN_RULES]


def register(user, *, units=None) -> list[RegisterRow]:
    """For each unit in scope: which of the ten rules it has in force, and which are missing."""
    unit_qs = units if units is not None else scoped(user, Unit).filter(is_active=True)
    unit_list = list(unit_qs.order_by("path"))
    rows = {u.pk: RegisterRow(u, defaultdict(list), []) for u in unit_list}
    for rule in InstitutionRule.objects.filter(unit__in=unit_list, is_active=True).select_related(
        "owner"
    ):
        row = rows[rule.unit_id]
        if rule.rule_type == RuleType.CUSTOM:
            row.custom.append(rule)
        else:
            row.present[rule.rule_type].append(rule)
    return list(rows.values())


def rules_due_for_review(*, on: dt.date, within_days: int = 14) -> QuerySet[InstitutionRule]:
    return InstitutionRule.objects.filter(
        is_active=True,
        next_review_on__isnull=False,
        next_review_on__lte=on + dt.timedelta(days=within_days),
    ).select_related("unit")


def in_scope(user, unit: Unit) -> bool:
    return scope_for(user).contains_unit(unit)
