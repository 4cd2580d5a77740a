"""Consequences of a closed round: what the rules propose, and the office's decision.

The ladder (seed 001: 凡评议结果属于差档次的，首次的发函提醒，连续两次的诫勉谈话，连续三次以上的
调离岗位或予以免职): a subject's poor results in a row within the round's series pick the highest
``LadderStep`` reached; a result that is not poor in between restarts the count.
The ranking (seed 000: 对排名靠前的部门予以通报表扬，对排名后三名的部门党政主要负责人进行诫勉谈话，
责令限期整改): ``RankingRule`` rows for the top and the bottom of the ranking.

A confirmed consequence is a record with a document number; a rectification one also opens a
ledger issue with a rectification item and its deadline (rectification services). The signal
``consequence_confirmed`` (sent after commit) is what the accountability module listens to.
"""

from __future__ import annotations

import django.dispatch
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from xiaoneng.core import audit, calendar, clock
from xiaoneng.core.models import Person, User
from xiaoneng.core.notify import outbox_deliver
from xiaoneng.rectification import services as ledger
from xiaoneng.rectification.vocab import IssueSource, ItemType, Severity

from ..models import Consequence, EvaluationRound, LadderStep, RankingRule, Subject
from ..vocab import ConsequenceSource, ConsequenceStatus, Measure, RankingEnd, RoundStatus
from ..workflow import CONSEQUENCE
from .common import fail, require

consequence_confirmed = django.dispatch.Signal()  # sender=Consequence, consequence=…

DOC_PREFIX: dict[str, str] = {
    Measure.REMINDER_LETTER: "TXH",
    Measure.ADMONISHING_TALK: "JMTH",
    Measure.REMOVAL: "DLJY",
    Measure.COMMENDATION: "TBBY",
    Measure.RECTIFICATION: "XQZG",
}


def consecutive_poor(subject: Subject) -> int:
    """How many poor results in a row the subject has, this round included (0 if not poor)."""
    if not subject.is_poor:
        return 0
    round = subject.round
    same = Subject.objects.filter(
        round__series=round.series,
        round__status=RoundStatus.CLOSED,
        round__ends_on__lt=round.ends_on,
        score__isnull=False,
    )
    if subject.person_id:
        same = same.filter(person_id=subject.person_id)
    else:
        same = same.filter(unit_id=subject.unit_id, person__isnull=True)
    count = 1
    for is_poor in same.order_by("-round__ends_on", "-round_id").values_list("is_poor", flat=True):
        if not is_poor:
            break
        count += 1
    return count


def ladder_step(count: int) -> LadderStep | None:
    return LadderStep.objects.filter(consecutive__lte=count).order_by("-consecutive").first()


def _principal(subject: Subject) -> Person | None:
    return subject.person or subject.unit.principal


def _ranked_ends(subjects: list[Subject], rule: RankingRule, taken: set[int]) -> list[Subject]:
    ranked = sorted((s for s in subjects if s.rank), key=lambda s: (s.rank, s.pk))
    if len(ranked) <= rule.count:
        return []  # a ranking of three has no "bottom three"
    picked = ranked[: rule.count] if rule.end == RankingEnd.TOP else ranked[-rule.count :]
    return [s for s in picked if rule.end == RankingEnd.TOP or s.pk not in taken]


def propose(*, round: EvaluationRound, subjects: list[Subject]) -> list[Consequence]:
    """The proposals of a round that was just closed (called inside ``round_close``); the
    reasons are kept in the site's language (they go into documents)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _propose(round, subjects)


def _propose(round: EvaluationRound, subjects: list[Subject]) -> list[Consequence]:
    now = clock.now()
    made: list[Consequence] = []

    def add(subject, source, measure, reason, *, person=None, consecutive=0, days=0):
        made.append(
            Consequence(
                round=round,
                subject=subject,
                source=source,
                measure=measure,
                consecutive=consecutive,
                unit=subject.unit,
                person=person,
                reason=reason[:300],
                rectify_days=days,
                created_at=now,
            )
        )

    for s in subjects:
        s.round = round
        count = consecutive_poor(s)
        step = ladder_step(count) if count else None
        if step is not None:
            reason = _("Poor result %(count)s time(s) in a row (%(score)s points, %(grade)s).") % {
                "count": count,
                "score": s.score,
                "grade": s.grade_label,
            }
            add(s, ConsequenceSource.LADDER, step.measure, reason, person=_principal(s),
                consecutive=count)  # fmt: skip
    if round.apply_ranking:
        top: set[int] = set()
        for rule in RankingRule.objects.order_by("-end", "id"):  # "top" before "bottom"
            for s in _ranked_ends(subjects, rule, top):
                if rule.end == RankingEnd.TOP:
                    top.add(s.pk)
                reason = _("Ranked %(rank)s of %(total)s (%(score)s points).") % {
                    "rank": s.rank,
                    "total": sum(1 for x in subjects if x.rank),
                    "score": s.score,
                }
                person = _principal(s) if rule.to_principal else s.person
                add(s, ConsequenceSource.RANKING, rule.measure, reason, person=person,
                    days=rule.rectify_days)  # fmt: skip
    Consequence.objects.bulk_create(made, ignore_conflicts=True)
    return made


def _document_number(measure: str) -> str:
    year = timezone.localtime(clock.now()).year
    prefix = f"{DOC_PREFIX.get(measure, 'PY')}{year}"
    last = (
        Consequence.objects.filter(document_number__startswith=prefix)
        .aggregate(m=Max("document_number"))
        .get("m")
    )
    n = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{n:04d}"


def _open_ledger_issue(consequence: Consequence, actor: User) -> None:
    """限期整改: a ledger issue (source: evaluation) with one item due in ``rectify_days``."""
    subject = consequence.subject
    round = consequence.round
    deadline = calendar.add_natural_days(clock.now(), consequence.rectify_days or 30).at
    issue = ledger.issue_create(
        actor=None,
        unit=subject.unit,
        source=IssueSource.EVALUATION,
        title=_("%(round)s: ranked %(rank)s, rectify within the deadline")
        % {"round": round.title, "rank": subject.rank},
        description=consequence.reason,
        severity=Severity.SERIOUS,
        people=[consequence.person] if consequence.person else [],
        source_ref=consequence.document_number,
        found_by=actor,
    )
    principal = _principal(subject)
    ledger.item_create(
        actor=None,
        issue=issue,
        type=ItemType.STAGED,
        measures=_("Analyse the causes of the poor evaluation and correct them."),
        target=_("The problems behind the evaluation result are corrected."),
        deadline=deadline,
        responsible_unit=subject.unit,
        responsible_person=principal
        if principal and principal.unit_id == subject.unit_id
        else None,
        responsible_leader=principal,
    )
    consequence.issue = issue
    consequence.deadline = deadline


@transaction.atomic
def consequence_confirm(*, actor: User, consequence: Consequence, note: str = "") -> Consequence:
    """The office confirms a proposal: it becomes a record with a document number; a
    rectification opens the ledger issue with its deadline."""
    require(actor, "evaluation.manage")
    before = audit.snapshot(consequence)
    now = clock.now()
    CONSEQUENCE.apply(
        consequence,
        "confirm",
        decided_by=actor,
        decided_at=now,
        decision_note=(note or "")[:500],
        document_number=_document_number(consequence.measure),
    )
    if consequence.measure == Measure.RECTIFICATION:
        with translation.override(settings.LANGUAGE_CODE):
            _open_ledger_issue(consequence, actor)
        consequence.save(update_fields=["issue", "deadline"])
    audit.record(
        "confirm", consequence, before=before, after=audit.snapshot(consequence), actor=actor
    )
    recipients = list(
        User.objects.filter(
            is_active=True, roles__code="unit_admin", person__unit=consequence.unit
        ).distinct()
    )
    outbox_deliver(
        recipients,
        title=_("Evaluation result: %(measure)s") % {"measure": consequence.get_measure_display()},
        body=f"{consequence.round.title} · {consequence.subject} · {consequence.reason}",
        link=reverse("evaluations:consequence", args=[consequence.pk]),
        kind="evaluation.consequence",
        dedup_key=f"evaluations:consequence:{consequence.pk}",
    )
    transaction.on_commit(
        lambda: consequence_confirmed.send(sender=Consequence, consequence=consequence)
    )
    return consequence


@transaction.atomic
def consequence_dismiss(*, actor: User, consequence: Consequence, note: str) -> Consequence:
    """The office does not follow the proposal; the reason is required and kept."""
    require(actor, "evaluation.manage")
    if not (note or "").strip():
        fail({"note": [_("Give the reason for dismissing the proposal.")]})
    before = audit.snapshot(consequence)
    CONSEQUENCE.apply(
        consequence, "dismiss", decided_by=actor, decided_at=clock.now(), decision_note=note[:500]
    )
    audit.record(
        "dismiss", consequence, before=before, after=audit.snapshot(consequence), actor=actor
    )
    return consequence


def is_pending(consequence: Consequence) -> bool:
    return consequence.status == ConsequenceStatus.PROPOSED
