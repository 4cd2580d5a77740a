"""Plans and the draw: create a plan, run the 双随机 draw once (seed stored and audited), add a
visit by hand (a plan without a draw)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core import audit, clock
from xiaoneng.core.models import Person, Unit, User

from ..models import InspectionPlan, Visit
from ..vocab import PlanKind, PlanStatus
from ..workflow import PLAN
from .common import fail, require, text
from .draw import compute_draw, conflicted

MAX_SEED = 2**53  # exact in JSON and JavaScript


@transaction.atomic
def plan_create(
    *,
    actor: User,
    name: str,
    kind: str,
    starts_on: date,
    ends_on: date,
    units: Sequence[Unit],
    campaign=None,
    template=None,
    team: Sequence[Person] = (),
    inspector_pool: Sequence[Person] = (),
    unit_count: int | None = None,
    stratify: bool = False,
    inspector_count: int | None = None,
    lookback_of: InspectionPlan | None = None,
) -> InspectionPlan:
    """An inspection plan (明查/暗访/专项督查/回头看) by the office (inspection.manage)."""
    require(actor, "inspection.manage")
    errors: dict[str, list[str]] = {}
    name = text(name, "name", errors, limit=200)
    if kind not in PlanKind.values:
        errors["kind"] = [_("Select a valid choice.")]
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = [_("The end cannot be before the start.")]
    units = [u for u in units if u is not None]
    if not units:
        errors["units"] = [_("Choose the units.")]
    if unit_count is not None and unit_count < 1:
        errors["unit_count"] = [_("Ensure this value is greater than or equal to 1.")]
    if inspector_count and len(inspector_pool) < inspector_count:
        errors["inspector_pool"] = [_("The pool has fewer people than each visit needs.")]
    if lookback_of is not None and kind != PlanKind.LOOKBACK:
        errors["lookback_of"] = [_("Only a look-back plan looks back at another plan.")]
    fail(errors)
    plan = InspectionPlan.objects.create(
        name=name,
        kind=kind,
        campaign=campaign,
        starts_on=starts_on,
        ends_on=ends_on,
        template=template,
        unit_count=unit_count,
        stratify=stratify,
        inspector_count=inspector_count or None,
        lookback_of=lookback_of,
        created_by=actor,
        created_at=clock.now(),
    )
    plan.units.set(units)
    plan.team.set(team)
    plan.inspector_pool.set(inspector_pool)
    audit.record("create", plan, after=audit.snapshot(plan), actor=actor)
    return plan


def _start_date(plan: InspectionPlan) -> date:
    today = timezone.localdate(clock.now())
    return min(max(plan.starts_on, today), plan.ends_on)


@transaction.atomic
def plan_draw(*, actor: User, plan: InspectionPlan, seed: int | None = None) -> list[Visit]:
    """The 双随机 draw, once per plan: a visit per drawn unit with its drawn inspectors (or the
    plan's team). The seed (given, or a fresh random one) is stored and the draw audited, so the
    same seed reproduces it (``compute_draw``)."""
    require(actor, "inspection.manage")
    PLAN.target(plan, "draw")
    if seed is None:
        seed = secrets.randbelow(MAX_SEED)
    elif not 0 <= seed < MAX_SEED:
        fail({"seed": [_("Enter a whole number from 0 to 2^53.")]})
    units = list(plan.units.filter(is_active=True))
    pool = list(plan.inspector_pool.select_related("unit"))
    drawn = compute_draw(
        units=units,
        pool=pool,
        unit_count=plan.unit_count,
        stratify=plan.stratify,
        inspector_count=plan.inspector_count,
        seed=seed,
    )
    team = list(plan.team.select_related("unit"))
    now = clock.now()
    PLAN.apply(plan, "draw", seed=seed, drawn_at=now)
    visits = []
    for position, row in enumerate(drawn, start=1):
        visit = Visit.objects.create(
            plan=plan,
            unit=row.unit,
            scheduled_on=_start_date(plan),
            position=position,
            created_at=now,
        )
        visit.team.set(row.inspectors or [p for p in team if not conflicted(p, row.unit)])
        visits.append(visit)
    audit.record(
        "draw",
        plan,
        after={
            "seed": seed,
            "units": [row.unit.pk for row in drawn],
            "inspectors": {str(row.unit.pk): [p.pk for p in row.inspectors] for row in drawn},
        },
        actor=actor,
    )
    return visits


@transaction.atomic
def visit_create(
    *,
    actor: User,
    plan: InspectionPlan,
    unit: Unit,
    scheduled_on: date,
    team: Sequence[Person],
) -> Visit:
    """A visit added by hand (no draw): the team never includes people of the unit (回避)."""
    require(actor, "inspection.manage")
    errors: dict[str, list[str]] = {}
    if plan.status == PlanStatus.CLOSED:
        errors["plan"] = [_("This plan is finished.")]
    if unit is None or not unit.is_active:
        errors["unit"] = [_("Select a valid choice.")]
    team = [p for p in team if p is not None]
    if not team:
        errors["team"] = [_("Choose the team.")]
    elif unit is not None and any(conflicted(p, unit) for p in team):
        errors["team"] = [_("People of the inspected unit cannot inspect it.")]
    if scheduled_on is None:
        errors["scheduled_on"] = [_("This field is required.")]
    fail(errors)
    visit = Visit.objects.create(
        plan=plan,
        unit=unit,
        scheduled_on=scheduled_on,
        position=plan.visits.count() + 1,
        created_at=clock.now(),
    )
    visit.team.set(team)
    audit.record("create", visit, after=audit.snapshot(visit), actor=actor)
    return visit
