"""Award nominations (评先评优) checked against vetoes and open cases (seed 000: 考评结果作为
单位和主要负责人评先评优的重要依据，列入"一票否决"范畴; seed 004)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.core import audit, clock
from xiaoneng.core.errors import Conflict, ValidationFailed
from xiaoneng.core.models import Person, Unit, User
from xiaoneng.core.scope import scope_for
from xiaoneng.core.services.base import require_permission
from xiaoneng.core.workflow import StateMachine

from ..models import Assessment, AssessmentScheme, Case, Nomination
from ..vocab import CaseStatus, NominationStatus
from .assessment import vetoes_for

DECIDE = "award.decide"
NOMINATION = StateMachine.define(
    "status",
    ("confirm", NominationStatus.NOMINATED, NominationStatus.CONFIRMED),
    ("reject", NominationStatus.NOMINATED, NominationStatus.REJECTED),
)


@transaction.atomic
def nominate(
    *,
    actor: User,
    year: int,
    award: str,
    unit: Unit,
    person: Person | None = None,
    reason: str = "",
) -> Nomination:
    """Recommended bottom-up: a unit admin nominates inside its scope, the office anywhere."""
    if not (actor.has_permission("award.nominate") or actor.has_permission(DECIDE)):
        require_permission(actor, "award.nominate")
    errors: dict[str, list[str]] = {}
    if not (award or "").strip():
        errors["award"] = [_("This field is required.")]
    if not scope_for(actor).contains_unit(unit):
        errors["unit"] = [_("Select a unit in your scope.")]
    if person is not None and person.unit_id != unit.pk:
        errors["person"] = [_("The person does not belong to the unit.")]
    if errors:
        raise ValidationFailed(_("Please correct the errors below."), errors=errors)
    nomination = Nomination.objects.create(
        year=year,
        award=award.strip()[:100],
        unit=unit,
        person=person,
        reason=reason or "",
        nominated_by=actor,
        nominated_at=clock.now(),
    )
    run_check(nomination)
    audit.record("create", nomination, after=audit.snapshot(nomination), actor=actor)
    return nomination


def check(nomination: Nomination) -> list[dict]:
    """Every veto (blocking) and every open case (shown) against the nominee for the year."""
    findings: list[dict] = []
    scheme = AssessmentScheme.objects.filter(year=nomination.year).first()
    person_ids = [nomination.person_id] if nomination.person_id else []
    if scheme is not None:
        hits = vetoes_for(scheme, unit_ids=[nomination.unit_id], person_ids=person_ids)
        key = (
            ("person", nomination.person_id)
            if nomination.person_id
            else ("unit", nomination.unit_id)
        )
        for rule, text in hits.get(key, []):
            findings.append({"kind": "veto", "blocking": True, "text": f"{rule.name}：{text}"})
        if not nomination.person_id:
            assessment = Assessment.objects.filter(
                scheme=scheme, unit_id=nomination.unit_id
            ).first()
            if assessment is not None and assessment.grade == "fail":
                findings.append(
                    {
                        "kind": "assessment",
                        "blocking": True,
                        "text": _("The unit's %(year)s assessment is 不合格.")
                        % {"year": scheme.year},
                    }
                )
    open_cases = Case.objects.exclude(status__in=(CaseStatus.DISMISSED, CaseStatus.CLOSED))
    if nomination.person_id:
        open_cases = open_cases.filter(subjects__person_id=nomination.person_id)
    else:
        open_cases = open_cases.filter(unit_id=nomination.unit_id)
    for number, title in open_cases.distinct().values_list("number", "title"):
        findings.append(
            {
                "kind": "open_case",
                "blocking": True,
                "text": _("Open accountability case %(number)s: %(title)s")
                % {"number": number, "title": title},
            }
        )
    return findings


def run_check(nomination: Nomination) -> list[dict]:
    findings = check(nomination)
    Nomination.objects.filter(pk=nomination.pk).update(findings=findings, checked_at=clock.now())
    nomination.findings = findings
    return findings


@transaction.atomic
def decide(
    *, nomination: Nomination, actor: User, action: str, override_reason: str = ""
) -> Nomination:
    """Confirm or reject. A nominee with a veto or an open case is confirmed only with an
    override reason, which is audited."""
    require_permission(actor, DECIDE)
    if action not in NOMINATION.transitions:
        raise ValidationFailed(_("Unknown action."), errors={"action": [_("Unknown action.")]})
    findings = run_check(nomination)
    blocking = [f for f in findings if f["blocking"]]
    override_reason = (override_reason or "").strip()
    if action == "confirm" and blocking and not override_reason:
        raise Conflict(
            _("The nominee is vetoed: %(reasons)s. Confirm only with an override reason.")
            % {"reasons": "；".join(f["text"] for f in blocking)}
        )
    before = {"status": nomination.status}
    NOMINATION.apply(
        nomination,
        action,
        decided_by=actor,
        decided_at=clock.now(),
        override_reason=override_reason if blocking else "",
    )
    audit.record(
        "override" if action == "confirm" and blocking else action,
        nomination,
        before=before,
        after={"status": nomination.status, "findings": [f["text"] for f in blocking]},
        actor=actor,
        reason=override_reason,
    )
    return nomination
