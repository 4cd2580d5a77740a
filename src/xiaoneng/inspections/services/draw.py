"""The 双随机 draw (PRODUCT.md capability 11, seed 001 "双随机"): N units from the plan's scope,
optionally stratified by unit type, and M inspectors for each from the pool, never a person of
the inspected unit (回避). A pure function of the inputs and the seed: the same seed gives the
same draw, so anyone can re-run it and check."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from xiaoneng.core.errors import ValidationFailed
from xiaoneng.core.models import Person, Unit


@dataclass(frozen=True)
class Drawn:
    unit: Unit
    inspectors: tuple[Person, ...]


def conflicted(person: Person, unit: Unit) -> bool:
    """回避: people of the inspected unit (or a unit under it) never inspect it."""
    return person.unit.path.startswith(unit.path)


def _allocate(groups: list[tuple[str, list[Unit]]], n: int) -> list[int]:
    """Proportional shares of ``n`` over the groups (largest remainder; ties in group order)."""
    total = sum(len(g) for _, g in groups)
    exact = [n * len(g) / total for _, g in groups]
    shares = [int(x) for x in exact]
    order = sorted(range(len(groups)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[: n - sum(shares)]:
        shares[i] += 1
    return shares


def pick_units(units: Sequence[Unit], n: int | None, *, stratify: bool, rng) -> list[Unit]:
    ordered = sorted(units, key=lambda u: u.pk)
    if n is None or n >= len(ordered):
        return ordered
    if not stratify:
        return rng.sample(ordered, n)
    by_kind: dict[str, list[Unit]] = {}
    for unit in ordered:
        by_kind.setdefault(unit.kind, []).append(unit)
    groups = sorted(by_kind.items())
    picked: list[Unit] = []
    for (_kind, members), share in zip(groups, _allocate(groups, n), strict=True):
        picked.extend(rng.sample(members, share))
    return picked


def compute_draw(
    *,
    units: Sequence[Unit],
    pool: Sequence[Person],
    unit_count: int | None,
    stratify: bool,
    inspector_count: int | None,
    seed: int,
) -> list[Drawn]:
    """Units first, then each unit's inspectors, all from one ``random.Random(seed)``."""
    if not units:
        raise ValidationFailed(
            _("Please correct the errors below."), errors={"units": [_("Choose the units.")]}
        )
    rng = random.Random(seed)
    chosen = pick_units(units, unit_count, stratify=stratify, rng=rng)
    people = sorted(pool, key=lambda p: p.pk)
    result = []
    for unit in chosen:
        if not inspector_count:
            result.append(Drawn(unit, ()))
            continue
        eligible = [p for p in people if p.is_active and not conflicted(p, unit)]
        if len(eligible) < inspector_count:
            raise ValidationFailed(
                _("Please correct the errors below."),
                errors={
                    "inspector_pool": [
                        _("Not enough inspectors outside %(unit)s in the pool.")
                        % {"unit": unit.name}
                    ]
                },
            )
        result.append(Drawn(unit, tuple(rng.sample(eligible, inspector_count))))
    return result
