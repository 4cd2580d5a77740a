"""The annual assessment (年度考核, seeds 000/002/003): weighted indicators computed per unit
from the other apps with an explanation each, manual adjustments with reasons, one-vote
vetoes that cap the grade, ranking, lock and publish."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.core import audit, clock
from xiaoneng.core.errors import Conflict, ValidationFailed
from xiaoneng.core.models import Unit, User
from xiaoneng.core.services.base import require_permission
from xiaoneng.core.workflow import StateMachine

from .. import indicators as registry
from ..models import Adjustment, Assessment, AssessmentLine, AssessmentScheme, Indicator, VetoRule
from ..seeddata import INDICATORS, VETOES, as_decimal
from ..vocab import Grade, SchemeStatus, ScoreRule, worse_grade

MANAGE = "assessment.manage"
SCHEME = StateMachine.define(
    "status",
    ("lock", SchemeStatus.DRAFT, SchemeStatus.LOCKED),
    ("unlock", SchemeStatus.LOCKED, SchemeStatus.DRAFT),
    ("publish", SchemeStatus.LOCKED, SchemeStatus.PUBLISHED),
)
ZERO = Decimal("0")
CENT = Decimal("0.01")


def _fail(field: str, message: str) -> None:
    raise ValidationFailed(_("Please correct the errors below."), errors={field: [message]})


def _require_draft(scheme: AssessmentScheme) -> None:
    if scheme.status != SchemeStatus.DRAFT:
        raise Conflict(_("The assessment is locked; unlock it first."))


@transaction.atomic
def scheme_create(
    *, actor: User | None, year: int, name: str = "", check: bool = True
) -> AssessmentScheme:
    """A year's scheme, starting from the default indicators and vetoes (editable after)."""
    if check:
        require_permission(actor, MANAGE)
    if not 2000 <= int(year) <= 2100:
        _fail("year", _("Enter a year from 2000 to 2100."))
    if AssessmentScheme.objects.filter(year=year).exists():
        raise Conflict(_("The %(year)s assessment already exists.") % {"year": year})
    scheme = AssessmentScheme.objects.create(
        year=year, name=name.strip() or f"{year}年度效能建设考核", created_by=actor
    )
    for i, (code, label, src, rule, weight, target, floor, per) in enumerate(INDICATORS):
        Indicator.objects.create(
            scheme=scheme,
            code=code,
            name=label,
            source=src,
            rule=rule,
            weight=Decimal(str(weight)),
            target=as_decimal(target),
            floor=as_decimal(floor),
            per_item=Decimal(str(per)),
            position=i,
        )
    for label, cond, params, cap in VETOES:
        VetoRule.objects.create(
            scheme=scheme, name=label, condition=cond, params=params, cap_grade=cap
        )
    audit.record("create", scheme, after=audit.snapshot(scheme), actor=actor)
    return scheme


@transaction.atomic
def indicator_save(
    *, actor: User, scheme: AssessmentScheme, indicator: Indicator | None = None, **fields: Any
) -> Indicator:
    require_permission(actor, MANAGE)
    _require_draft(scheme)
    if fields.get("source") and fields["source"] not in dict(registry.source_choices()):
        _fail("source", _("Select a valid choice."))
    if fields.get("rule") and fields["rule"] not in ScoreRule.values:
        _fail("rule", _("Select a valid choice."))
    if fields.get("weight") is not None and Decimal(fields["weight"]) < 0:
        _fail("weight", _("Enter a number of at least 0."))
    before = audit.snapshot(indicator) if indicator else None
    indicator = indicator or Indicator(scheme=scheme)
    for key, value in fields.items():
        setattr(indicator, key, value)
    indicator.save()
    audit.record(
        "indicator_save", scheme, before=before, after=audit.snapshot(indicator), actor=actor
    )
    return indicator


# --- computing ---------------------------------------------------------------------------------
def units_of(scheme: AssessmentScheme) -> list[Unit]:
    """Every active unit but the bureau itself (the units the bureau assesses)."""
    return list(Unit.objects.filter(is_active=True).exclude(kind=Unit.Kind.BUREAU).order_by("path"))


def line_score(indicator: Indicator, figure: registry.Figure | None) -> tuple[Decimal, str]:
    weight = indicator.weight
    if indicator.rule == ScoreRule.MANUAL:
        return weight, _("full points until the office adjusts them")
    if indicator.rule == ScoreRule.DEDUCT:
        count = figure.value if figure and figure.value is not None else ZERO
        score = max(ZERO, weight - indicator.per_item * count)
        text = figure.explanation if figure else _("none this year")
        return score.quantize(CENT), _("%(text)s; %(per)s off each") % {
            "text": text,
            "per": indicator.per_item.normalize(),
        }
    # Rate: full points at the target, none at or below the floor, in proportion between.
    if figure is None or figure.value is None:
        text = figure.explanation if figure else _("nothing to measure this year")
        return weight, _("%(text)s: full points") % {"text": text}
    target = indicator.target if indicator.target is not None else Decimal("100")
    floor = indicator.floor if indicator.floor is not None else ZERO
    if figure.value >= target:
        share = Decimal("1")
    elif figure.value <= floor or target <= floor:
        share = ZERO
    else:
        share = (figure.value - floor) / (target - floor)
    return (weight * share).quantize(CENT), figure.explanation


def vetoes_for(
    scheme: AssessmentScheme, *, unit_ids: list[int], person_ids: list[int] | None = None
) -> dict[tuple[str, int], list[tuple[VetoRule, str]]]:
    registry.discover()
    found: dict[tuple[str, int], list[tuple[VetoRule, str]]] = {}
    for rule in scheme.vetoes.all():
        entry = registry.CONDITIONS.get(rule.condition)
        if entry is None:
            continue
        hits = entry[1](unit_ids, person_ids or [], scheme.year, rule.params or {})
        for key, texts in hits.items():
            found.setdefault(key, []).extend((rule, t) for t in texts)
    return found


@transaction.atomic
def compute(*, scheme: AssessmentScheme, actor: User | None, check: bool = True) -> int:
    """(Re)compute every unit's lines, total, grade (capped by vetoes) and rank. Manual
    adjustments are kept. A locked scheme cannot change (409)."""
    if check:
        require_permission(actor, MANAGE)
    scheme = AssessmentScheme.objects.select_for_update().get(pk=scheme.pk)
    _require_draft(scheme)
    registry.discover()
    units = units_of(scheme)
    unit_ids = [u.pk for u in units]
    indicators = list(scheme.indicators.all())
    figures = {}
    for ind in indicators:
        entry = registry.SOURCES.get(ind.source)
        figures[ind.pk] = entry[1](unit_ids, scheme.year) if entry else {}
    vetoes = vetoes_for(scheme, unit_ids=unit_ids)
    now = clock.now()
    existing = {a.unit_id: a for a in Assessment.objects.filter(scheme=scheme)}
    Assessment.objects.filter(scheme=scheme).exclude(unit_id__in=unit_ids).delete()
    for unit in units:
        assessment = existing.get(unit.pk) or Assessment.objects.create(scheme=scheme, unit=unit)
        AssessmentLine.objects.filter(assessment=assessment).delete()
        lines = []
        total = ZERO
        for ind in indicators:
            figure = figures[ind.pk].get(unit.pk)
            score, text = line_score(ind, figure)
            total += score
            lines.append(
                AssessmentLine(
                    assessment=assessment,
                    indicator=ind,
                    value=figure.value if figure else None,
                    score=score,
                    explanation=text[:500],
                )
            )
        AssessmentLine.objects.bulk_create(lines)
        assessment.computed_score = total
        assessment.vetoes = [
            {"rule": rule.name, "cap": rule.cap_grade, "text": text}
            for rule, text in vetoes.get(("unit", unit.pk), [])
        ]
        assessment.computed_at = now
        _total(scheme, assessment)
    _rank(scheme)
    AssessmentScheme.objects.filter(pk=scheme.pk).update(computed_at=now)
    scheme.computed_at = now
    audit.record("compute", scheme, after={"units": len(units)}, actor=actor)
    return len(units)


def _total(scheme: AssessmentScheme, assessment: Assessment) -> None:
    adjustment = sum((a.delta for a in assessment.adjustments.all()), ZERO)
    assessment.adjustment = adjustment
    assessment.score = max(ZERO, assessment.computed_score + adjustment)
    grade = scheme.grade_for(assessment.score)
    for veto in assessment.vetoes:
        grade = worse_grade(grade, veto["cap"])
    assessment.grade = grade
    assessment.save()


def _rank(scheme: AssessmentScheme) -> None:
    rows = list(Assessment.objects.filter(scheme=scheme).order_by("-score", "unit__path"))
    previous, rank = None, 0
    for i, a in enumerate(rows, start=1):
        if a.score != previous:
            rank, previous = i, a.score
        a.rank = rank
    Assessment.objects.bulk_update(rows, ["rank"])


@transaction.atomic
def adjust(
    *,
    assessment: Assessment,
    actor: User,
    delta: Decimal,
    reason: str,
    indicator: Indicator | None = None,
) -> Adjustment:
    """A manual change of points with its reason (kept across recomputes, audited)."""
    require_permission(actor, MANAGE)
    scheme = assessment.scheme
    _require_draft(scheme)
    reason = (reason or "").strip()
    if not reason:
        _fail("reason", _("Give the reason."))
    if delta is None or Decimal(delta) == 0:
        _fail("delta", _("Enter a number other than 0."))
    if indicator is not None and indicator.scheme_id != scheme.pk:
        _fail("indicator", _("Select a valid choice."))
    row = Adjustment.objects.create(
        assessment=assessment,
        indicator=indicator,
        delta=Decimal(delta),
        reason=reason[:500],
        actor=actor,
        at=clock.now(),
    )
    _total(scheme, assessment)
    _rank(scheme)
    audit.record(
        "adjust",
        assessment,
        after={"delta": str(delta), "score": str(assessment.score)},
        actor=actor,
        reason=reason,
    )
    return row


@transaction.atomic
def scheme_transition(*, scheme: AssessmentScheme, actor: User, action: str) -> AssessmentScheme:
    require_permission(actor, MANAGE)
    if action not in SCHEME.transitions:
        _fail("action", _("Unknown action."))
    scheme.refresh_from_db()
    if action == "lock" and not scheme.computed_at:
        raise Conflict(_("Compute the assessment before locking it."))
    now = clock.now()
    field = {"lock": "locked_at", "unlock": "locked_at", "publish": "published_at"}[action]
    changes: dict[str, Any] = {field: None if action == "unlock" else now}
    before = {"status": scheme.status}
    SCHEME.apply(scheme, action, **changes)
    audit.record(action, scheme, before=before, after={"status": scheme.status}, actor=actor)
    return scheme


def grade_label(grade: str) -> str:
    return str(Grade(grade).label) if grade in Grade.values else ""
