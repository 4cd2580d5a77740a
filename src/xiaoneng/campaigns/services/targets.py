"""Targets (目标指标) and their measurements against the standard."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from xiaoneng.core import audit, clock
from xiaoneng.core.errors import Forbidden
from xiaoneng.core.models import StoredFile, Unit
from xiaoneng.core.services.base import require_writable

from .. import standards
from ..models import (
    Campaign,
    EvaluationMethod,
    Target,
    TargetMeasurement,
)
from .common import _invalid, _manage
from .submissions import _may_submit_for


# --- targets ---------------------------------------------------------------------------------------------
def _methods(values: Iterable[str]) -> list[str]:
    methods = list(dict.fromkeys(values or []))
    bad = [m for m in methods if m not in EvaluationMethod.values]
    if bad:
        _invalid("methods", _("Unknown evaluation method: %(m)s") % {"m": ", ".join(bad)})
    return methods


def _apply_standard(target: Target) -> None:
    parsed = standards.parse(target.standard)
    target.comparator = parsed.comparator
    target.value = parsed.value
    target.measure_unit = parsed.unit


@transaction.atomic
def target_create(
    *,
    actor,
    campaign: Campaign,
    number: str,
    content: str,
    standard: str,
    item: str = "",
    methods: Iterable[str] = (),
    leader_name: str = "",
    responsible_unit: Unit | None = None,
    responsible_office: str = "",
    responsible_person: str = "",
) -> Target:
    """A row of the target decomposition table; the standard is parsed ("≥95%" → ≥, 95, %)."""
    _manage(actor)
    number = str(number).strip()
    if not number:
        _invalid("number", _("This field is required."))
    if campaign.targets.filter(number=number).exists():
        _invalid("number", _("This number is already used in the campaign."))
    target = Target(
        campaign=campaign,
        number=number,
        item=item,
        content=content,
        standard=standard.strip(),
        methods=_methods(methods),
        leader_name=leader_name,
        responsible_unit=responsible_unit,
        responsible_office=responsible_office,
        responsible_person=responsible_person,
    )
    _apply_standard(target)
    target.save()
    audit.record("create", target, after=audit.snapshot(target), actor=actor)
    return target


TARGET_FIELDS = (
    "item",
    "content",
    "standard",
    "methods",
    "leader_name",
    "responsible_unit",
    "responsible_office",
    "responsible_person",
)


@transaction.atomic
def target_update(*, actor, target: Target, **changes) -> bool:
    """Change a target row; returns whether anything changed (measurements are re-judged when
    the standard changes)."""
    _manage(actor)
    unknown = set(changes) - set(TARGET_FIELDS)
    if unknown:
        _invalid(sorted(unknown)[0], _("This field cannot be changed here."))
    if "methods" in changes:
        changes["methods"] = _methods(changes["methods"])
    before = audit.snapshot(target)
    changed = [k for k, v in changes.items() if getattr(target, k) != v]
    if not changed:
        return False
    for key in changed:
        setattr(target, key, changes[key])
    _apply_standard(target)
    target.save()
    if "standard" in changed:
        for m in target.measurements.all():
            m.met = standards.judge(target.comparator, target.value, m.value)
            m.save(update_fields=["met"])
    audit.record("update", target, before=before, after=audit.snapshot(target), actor=actor)
    return True


@transaction.atomic
def measurement_record(
    *,
    actor,
    target: Target,
    period: str,
    value: Decimal,
    evidence: str = "",
    files: Iterable[StoredFile] = (),
) -> TargetMeasurement:
    """A measured value for a period, judged met / not met against the standard at once.
    The responsible unit (campaign.submit in its scope) or the office records it; recording
    the same period again replaces the value."""
    if not actor.has_permission("campaign.manage"):
        if target.responsible_unit is None:
            raise Forbidden(_("Only the office records measurements for this target."))
        _may_submit_for(actor, target.responsible_unit)
    else:
        require_writable(actor)
    period = (period or "").strip()
    if not period:
        _invalid("period", _("This field is required."))
    if value is None:
        _invalid("value", _("This field is required."))
    value = Decimal(value)
    met = standards.judge(target.comparator, target.value, value)
    existing = target.measurements.filter(period=period).first()
    before = audit.snapshot(existing) if existing else None
    m = existing or TargetMeasurement(target=target, period=period)
    m.value, m.evidence, m.met = value, evidence, met
    m.reported_by, m.reported_at = actor, clock.now()
    try:
        with transaction.atomic():
            m.save()
    except IntegrityError:  # a concurrent report of the same period
        from xiaoneng.core.errors import Conflict

        raise Conflict(
            _("Someone else recorded this period at the same time; reload and try again.")
        )
    files = list(files)
    if files:
        m.files.add(*files)
    audit.record(
        "create" if before is None else "update",
        m,
        before=before,
        after=audit.snapshot(m),
        actor=actor,
    )
    return m
