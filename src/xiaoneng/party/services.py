"""Writes of 创先争优 (seed 004): keyword-only, validated, audited.

* party organisations and members are kept by the unit (party.edit) or the office
  (party.manage);
* a star rating's total and stars follow the scheme's criteria and level rules (data): they are
  computed here, never typed in;
* 先进基层党组织 / 优秀共产党员 nominations go through the accountability awards check
  (``accountability.services.awards``): a vetoed nominee is blocked unless the office overrides
  with an audited reason.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.accountability.models import Nomination
from xiaoneng.accountability.services import awards
from xiaoneng.core import audit, clock
from xiaoneng.core.errors import Forbidden, NotFound
from xiaoneng.core.models import Department, Person, Unit, User
from xiaoneng.core.scope import scope_for
from xiaoneng.core.services.base import fail, require, transition

from .models import (
    ContactPoint,
    ContactVisit,
    PartyMember,
    PartyNomination,
    PartyOrganisation,
    StarRating,
    StarScheme,
)
from .vocab import AWARD_NAMES, Award, OrgKind, Post
from .workflow import RATING

MANAGE = "party.manage"
EDIT = "party.edit"


def _require_keeper(actor: User, unit: Unit) -> None:
    """The office anywhere, a unit's keeper inside its scope."""
    if actor is None or not (actor.has_permission(MANAGE) or actor.has_permission(EDIT)):
        raise Forbidden(_("You do not have permission to do this."))
    require(actor, MANAGE if actor.has_permission(MANAGE) else EDIT)
    if not scope_for(actor).contains_unit(unit):
        raise NotFound(_("Not found."))


# --- organisations and members ----------------------------------------------------------------
@transaction.atomic
def organisation_create(
    *, actor: User, unit: Unit, name: str, kind: str = OrgKind.BRANCH,
    secretary: Person | None = None,
) -> PartyOrganisation:  # fmt: skip
    _require_keeper(actor, unit)
    errors: dict[str, list[str]] = {}
    if not (name or "").strip():
        errors["name"] = [_("This field is required.")]
    if kind not in OrgKind.values:
        errors["kind"] = [_("Select a valid choice.")]
    if secretary is not None and not secretary.unit.path.startswith(unit.path):
        errors["secretary"] = [_("The person does not belong to the unit.")]
    fail(errors)
    org = PartyOrganisation.objects.create(
        unit=unit, name=name.strip()[:100], kind=kind, secretary=secretary
    )
    audit.record("create", org, after=audit.snapshot(org), actor=actor)
    return org


def _member_errors(organisation: PartyOrganisation, person: Person | None, post: str,
                   post_name: str) -> dict[str, list[str]]:  # fmt: skip
    errors: dict[str, list[str]] = {}
    if person is None:
        errors["person"] = [_("This field is required.")]
    elif not person.unit.path.startswith(organisation.unit.path):
        errors["person"] = [_("The person does not belong to the unit.")]
    if post not in Post.values:
        errors["post"] = [_("Select a valid choice.")]
    elif post and not (post_name or "").strip():
        errors["post_name"] = [_("Name the post (e.g. 收费窗口党员示范岗).")]
    return errors


@transaction.atomic
def member_save(
    *,
    actor: User,
    organisation: PartyOrganisation,
    person: Person,
    joined_on: date | None = None,
    commitment: str = "",
    fulfilment: str = "",
    shows_identity: bool = False,
    post: str = "",
    post_name: str = "",
) -> PartyMember:
    """Record a party member (or update the record): 承诺践诺, 亮身份, 党员示范岗/先锋岗."""
    _require_keeper(actor, organisation.unit)
    post = post or ""
    fail(_member_errors(organisation, person, post, post_name))
    member = PartyMember.objects.filter(person=person).first()
    before = audit.snapshot(member) if member else None
    values = {
        "organisation": organisation,
        "joined_on": joined_on,
        "commitment": (commitment or "").strip(),
        "fulfilment": (fulfilment or "").strip(),
        "shows_identity": bool(shows_identity),
        "post": post,
        "post_name": (post_name or "").strip()[:100] if post else "",
    }
    if member is None:
        member = PartyMember.objects.create(person=person, **values)
        audit.record("create", member, after=audit.snapshot(member), actor=actor)
    else:
        if not scope_for(actor).contains_unit(member.organisation.unit):
            raise NotFound(_("Not found."))
        for key, value in values.items():
            setattr(member, key, value)
        member.save()
        b, a = audit.diff(before, audit.snapshot(member))
        audit.record("update", member, before=b, after=a, actor=actor)
    return member


# --- 评星定级 ---------------------------------------------------------------------------------
def compute_stars(scheme: StarScheme, scores: dict[int, Decimal]) -> tuple[Decimal, int]:
    """Total and stars by the scheme's level rules: the highest level whose minimum total is
    reached and (when set) whose minimum share of full marks is met on every criterion."""
    criteria = list(scheme.criteria.all())
    total = sum((scores.get(c.pk, Decimal(0)) for c in criteria), Decimal(0))
    for rule in scheme.levels.order_by("-stars"):
        if total < rule.min_total:
            continue
        if rule.min_each_percent is not None and any(
            scores.get(c.pk, Decimal(0)) * 100 < c.max_score * rule.min_each_percent
            for c in criteria
        ):
            continue
        return total, rule.stars
    return total, 0


def _clean_scores(scheme: StarScheme, raw: dict[Any, Any]) -> dict[int, Decimal]:
    errors: dict[str, list[str]] = {}
    scores: dict[int, Decimal] = {}
    given = {str(k): v for k, v in (raw or {}).items()}
    for c in scheme.criteria.all():
        value = given.get(str(c.pk))
        try:
            score = Decimal(str(value))
        except (InvalidOperation, ValueError, TypeError):
            errors[f"score_{c.pk}"] = [_("Score every criterion.")]
            continue
        if not score.is_finite() or score < 0 or score > c.max_score:
            errors[f"score_{c.pk}"] = [
                _("Between 0 and %(max)s.") % {"max": format(c.max_score.normalize(), "f")}
            ]
            continue
        scores[c.pk] = score
    unknown = set(given) - {str(c.pk) for c in scheme.criteria.all()}
    if unknown:
        errors["scores"] = [_("Unknown criteria: %(ids)s.") % {"ids": ", ".join(sorted(unknown))}]
    fail(errors)
    return scores


@transaction.atomic
def rating_create(
    *,
    actor: User,
    scheme: StarScheme,
    year: int,
    unit: Unit,
    subject_name: str,
    scores: dict[Any, Any],
    department: Department | None = None,
    person: Person | None = None,
) -> StarRating:
    """A yearly rating of a window, nurse or department; the stars follow the criteria."""
    _require_keeper(actor, unit)
    errors: dict[str, list[str]] = {}
    if not scheme.is_active:
        errors["scheme"] = [_("Select a valid choice.")]
    if not (subject_name or "").strip():
        errors["subject_name"] = [_("This field is required.")]
    if department is not None and department.unit_id != unit.pk:
        errors["department"] = [_("This department does not belong to the unit.")]
    if person is not None and not person.unit.path.startswith(unit.path):
        errors["person"] = [_("The person does not belong to the unit.")]
    if not 2000 <= year <= 2100:
        errors["year"] = [_("Enter a valid year.")]
    fail(errors)
    clean = _clean_scores(scheme, scores)
    total, stars = compute_stars(scheme, clean)
    rating = StarRating.objects.create(
        scheme=scheme,
        year=year,
        unit=unit,
        department=department,
        person=person,
        subject_name=subject_name.strip()[:100],
        scores={str(k): str(v) for k, v in clean.items()},
        total=total,
        stars=stars,
        created_by=actor,
    )
    audit.record("create", rating, after=audit.snapshot(rating), actor=actor)
    return rating


@transaction.atomic
def rating_act(*, actor: User, rating: StarRating, action: str) -> StarRating:
    """The office confirms (or reopens) a rating; the stars are recomputed on confirmation so
    a criterion edited meanwhile counts."""
    require(actor, MANAGE)
    if action not in RATING.transitions:
        fail({"action": [_("Unknown action.")]})
    changes: dict[str, Any] = {}
    if action == "confirm":
        clean = {int(k): Decimal(v) for k, v in rating.scores.items()}
        changes["total"], changes["stars"] = compute_stars(rating.scheme, clean)
    transition(RATING, rating, action, actor=actor, **changes)
    return rating


# --- nominations ------------------------------------------------------------------------------
@transaction.atomic
def nominate(
    *,
    actor: User,
    year: int,
    award: str,
    organisation: PartyOrganisation,
    member: PartyMember | None = None,
    reason: str = "",
) -> PartyNomination:
    """Nominate a 先进基层党组织 or an 优秀共产党员 (seed 004); the accountability check runs at
    once and its findings travel with the nomination."""
    errors: dict[str, list[str]] = {}
    if award not in Award.values:
        errors["award"] = [_("Select a valid choice.")]
    if award == Award.MEMBER and member is None:
        errors["member"] = [_("Select the party member.")]
    if member is not None and member.organisation_id != organisation.pk:
        errors["member"] = [_("The member does not belong to the party organisation.")]
    fail(errors)
    if award == Award.ORGANISATION:
        member = None
    base = awards.nominate(
        actor=actor,
        year=year,
        award=AWARD_NAMES[Award(award)],
        unit=organisation.unit if member is None else member.person.unit,
        person=member.person if member is not None else None,
        reason=reason or organisation.name,
    )
    nomination = PartyNomination.objects.create(
        award=award, organisation=organisation, member=member, nomination=base
    )
    audit.record("create", nomination, after={"nomination": base.pk}, actor=actor)
    return nomination


def decide(
    *, actor: User, nomination: PartyNomination, action: str, override_reason: str = ""
) -> Nomination:
    """Confirm or reject through the awards check: a vetoed nominee is blocked (409) unless
    the office gives an override reason (audited by accountability)."""
    return awards.decide(
        nomination=nomination.nomination,
        actor=actor,
        action=action,
        override_reason=override_reason,
    )


# --- 领导干部联系点 -----------------------------------------------------------------------------
@transaction.atomic
def contact_create(
    *, actor: User, leader: Person, unit: Unit, since: date | None = None, note: str = ""
) -> ContactPoint:
    require(actor, MANAGE)
    if ContactPoint.objects.filter(leader=leader, unit=unit).exists():
        fail({"unit": [_("This leader is already linked to the unit.")]})
    point = ContactPoint.objects.create(
        leader=leader, unit=unit, since=since or clock.now().date(), note=(note or "")[:300]
    )
    audit.record("create", point, after=audit.snapshot(point), actor=actor)
    return point


@transaction.atomic
def visit_record(
    *, actor: User, point: ContactPoint, visited_on: date, findings: str, help_given: str = ""
) -> ContactVisit:
    """A leader's visit to the contact point: the situation found and the help given."""
    if not (actor.has_permission(MANAGE) or (actor.person_id == point.leader_id)):
        raise Forbidden(_("You do not have permission to do this."))
    errors: dict[str, list[str]] = {}
    if not (findings or "").strip():
        errors["findings"] = [_("This field is required.")]
    if visited_on and visited_on > clock.now().date():
        errors["visited_on"] = [_("The date cannot be in the future.")]
    fail(errors)
    visit = ContactVisit.objects.create(
        point=point,
        visited_on=visited_on,
        findings=findings.strip(),
        help_given=(help_given or "").strip(),
        recorded_by=actor,
    )
    audit.record("create", visit, after=audit.snapshot(visit), actor=actor)
    return visit
