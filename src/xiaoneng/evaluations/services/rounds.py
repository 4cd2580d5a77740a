"""Democratic-evaluation writes: rounds, ballot links, anonymous ballots, closing with results.

Rules (seed 001, seed 000, PRODUCT.md 13): back-to-back (anonymous) rating by evaluator groups
with weights (e.g. 服务对象 40 %, 监督员 30 %, 同级 30 %); a subject's score is the weighted mean
of its groups' average points (groups without ballots drop out and the others are re-weighted);
grades and the ladder/ranking rules are data (``GradeBand``, ``LadderStep``, ``RankingRule``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.core import audit, clock
from xiaoneng.core.errors import Conflict, NotFound
from xiaoneng.core.models import Person, Unit, User

from ..models import (
    Ballot,
    BallotToken,
    EvaluationRound,
    EvaluatorGroup,
    GradeBand,
    Mark,
    RatingPoints,
    Subject,
)
from ..vocab import RoundStatus, Satisfaction, SubjectKind
from ..workflow import ROUND
from . import consequences
from .common import fail, new_token, require, rounded

MAX_TOKENS = 2000


def _clean_groups(groups, errors: dict) -> list[tuple[str, Decimal]]:
    """(name, weight) pairs: named, positive, distinct, adding up to 100 %."""
    cleaned = []
    for name, weight in groups:
        try:
            w = Decimal(str(weight))
        except ArithmeticError:
            w = Decimal(-1)
        if not (name or "").strip() or w <= 0:
            errors["groups"] = [_("Each evaluator group needs a name and a positive weight.")]
        cleaned.append((str(name).strip()[:50], w))
    if not cleaned:
        errors["groups"] = [_("Add at least one evaluator group.")]
    elif sum(w for _n, w in cleaned) != 100:
        errors["groups"] = [_("The group weights must add up to 100 %.")]
    if len({n for n, _w in cleaned}) != len(cleaned):
        errors["groups"] = [_("Each evaluator group needs its own name.")]
    return cleaned


@transaction.atomic
def round_create(
    *,
    actor: User,
    title: str,
    series: str,
    subject_kind: str,
    period_label: str,
    starts_on: date,
    ends_on: date,
    groups: Sequence[tuple[str, Decimal | int | str]],
    units: Sequence[Unit] = (),
    people: Sequence[tuple[Person, str]] = (),
    apply_ranking: bool = True,
) -> EvaluationRound:
    """A round with its evaluator groups (name, weight %) and its subjects: units, or people
    with their post. The weights must add up to 100."""
    require(actor, "evaluation.manage")
    errors: dict[str, list[str]] = {}
    for field, value in (("title", title), ("series", series), ("period_label", period_label)):
        if not (value or "").strip():
            errors[field] = [_("This field is required.")]
    if subject_kind not in SubjectKind.values:
        errors["subject_kind"] = [_("Select a valid choice.")]
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = [_("The end date must not be before the start date.")]
    cleaned_groups = _clean_groups(groups, errors)
    if subject_kind == SubjectKind.UNIT and not units:
        errors["units"] = [_("Select at least one unit.")]
    if subject_kind == SubjectKind.PERSON and not people:
        errors["people"] = [_("Select at least one person.")]
    fail(errors)
    now = clock.now()
    made = EvaluationRound.objects.create(
        title=title.strip()[:200],
        series=series.strip()[:100],
        subject_kind=subject_kind,
        period_label=period_label.strip()[:50],
        starts_on=starts_on,
        ends_on=ends_on,
        apply_ranking=apply_ranking,
        created_by=actor,
        created_at=now,
    )
    EvaluatorGroup.objects.bulk_create(
        [
            EvaluatorGroup(round=made, name=n, weight=w, order=i)
            for i, (n, w) in enumerate(cleaned_groups)
        ]
    )
    if subject_kind == SubjectKind.UNIT:
        Subject.objects.bulk_create([Subject(round=made, unit=u) for u in dict.fromkeys(units)])
    else:
        Subject.objects.bulk_create(
            [Subject(round=made, unit=p.unit, person=p, post=post[:100]) for p, post in people]
        )
    audit.record("create", made, after=audit.snapshot(made), actor=actor)
    return made


@transaction.atomic
def round_open(*, actor: User, round: EvaluationRound) -> EvaluationRound:
    require(actor, "evaluation.manage")
    before = audit.snapshot(round)
    ROUND.apply(round, "open")
    audit.record("open", round, before=before, after=audit.snapshot(round), actor=actor)
    return round


@transaction.atomic
def tokens_create(
    *, actor: User, round: EvaluationRound, group: EvaluatorGroup, count: int
) -> list[BallotToken]:
    """One-time ballot links for the evaluators of a group (handed out on paper as QR codes)."""
    require(actor, "evaluation.manage")
    if group.round_id != round.pk:
        fail({"group": [_("This group does not belong to the round.")]})
    if not isinstance(count, int) or not 1 <= count <= MAX_TOKENS:
        fail({"count": [_("Give a number from 1 to %(max)s.") % {"max": MAX_TOKENS}]})
    if round.status == RoundStatus.CLOSED:
        raise Conflict(_("The round is closed; no more ballot links can be issued."))
    made = BallotToken.objects.bulk_create(
        [BallotToken(round=round, group=group, token=new_token()) for _i in range(count)]
    )
    audit.record("ballot_links", round, after={"group": group.name, "count": count}, actor=actor)
    return made


def ballot_lookup(token: str) -> BallotToken:
    found = (
        BallotToken.objects.select_related("round", "group")
        .filter(token=str(token or "")[:32])
        .first()
    )
    if found is None:
        raise NotFound(_("This ballot link does not exist. Check the link or scan the code again."))
    return found


def ballot_refusal(link: BallotToken) -> str:
    if link.used_at is not None:
        return _("This ballot link has already been used; each link votes only once.")
    if link.round.status == RoundStatus.CLOSED:
        return _("Voting in this round has ended; ballots are no longer accepted.")
    if link.round.status != RoundStatus.OPEN:
        return _("Voting in this round has not started yet.")
    return ""


@transaction.atomic
def ballot_submit(*, token: str, marks: Mapping[Any, str]) -> Ballot:
    """An anonymous ballot: ``marks`` maps subject id → 满意/基本满意/不满意 (subjects left out
    are abstentions). The link is spent with a conditional UPDATE; a second use is 409."""
    link = ballot_lookup(token)
    refusal = ballot_refusal(link)
    if refusal:
        raise Conflict(refusal)
    subjects = {str(s.pk): s for s in link.round.subjects.all()}
    errors: dict[str, list[str]] = {}
    cleaned = []
    for key, rating in (marks or {}).items():
        key = str(key).removeprefix("s")
        if key not in subjects:
            errors.setdefault("marks", []).append(_("Unknown subject %(id)s.") % {"id": key})
        elif rating in (None, ""):
            continue
        elif rating not in Satisfaction.values:
            errors[f"s{key}"] = [_("Select a valid choice.")]
        else:
            cleaned.append((subjects[key], rating))
    if not cleaned and not errors:
        errors["marks"] = [_("Rate at least one subject.")]
    fail(errors)
    now = clock.now()
    if BallotToken.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=now) != 1:
        raise Conflict(_("This ballot link has already been used; each link votes only once."))
    ballot = Ballot.objects.create(round=link.round, group=link.group, submitted_at=now)
    Mark.objects.bulk_create([Mark(ballot=ballot, subject=s, rating=r) for s, r in cleaned])
    return ballot


def _grade_for(score: Decimal, bands: list[GradeBand]) -> GradeBand | None:
    for band in bands:  # highest minimum first
        if score >= band.min_score:
            return band
    return bands[-1] if bands else None


def compute_results(round: EvaluationRound) -> list[Subject]:
    """Score, grade and rank of every subject from the ballots (saved on the subjects)."""
    points = {r.rating: r.points for r in RatingPoints.objects.all()}
    bands = list(GradeBand.objects.order_by("-min_score"))
    weights = {g.pk: g.weight for g in round.groups.all()}
    sums: dict[int, dict[int, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    for subject_id, group_id, rating in Mark.objects.filter(ballot__round=round).values_list(
        "subject_id", "ballot__group_id", "rating"
    ):
        sums[subject_id][group_id].append(points.get(rating, Decimal(0)))
    subjects = list(round.subjects.select_related("unit", "person"))
    for s in subjects:
        groups = sums.get(s.pk, {})
        s.ballots = sum(len(v) for v in groups.values())
        total_weight = sum((weights[g] for g in groups), Decimal(0))
        if not total_weight:
            s.score, s.grade, s.grade_label, s.is_poor = None, "", "", False
            continue
        weighted = sum((weights[g] * sum(v) / len(v) for g, v in groups.items()), Decimal(0))
        s.score = rounded(weighted / total_weight)
        band = _grade_for(s.score, bands)
        s.grade = band.code if band else ""
        s.grade_label = band.label if band else ""
        s.is_poor = bool(band and band.is_poor)
    scored = sorted((s for s in subjects if s.score is not None), key=lambda s: -(s.score or 0))
    for s in subjects:
        s.rank = None
    previous, rank = None, 0
    for position, s in enumerate(scored, start=1):  # ties share a rank (1, 2, 2, 4)
        if s.score != previous:
            rank, previous = position, s.score
        s.rank = rank
    Subject.objects.bulk_update(
        subjects, ["score", "grade", "grade_label", "is_poor", "rank", "ballots"]
    )
    return subjects


@transaction.atomic
def round_close(*, actor: User, round: EvaluationRound) -> EvaluationRound:
    """End voting, compute the results and let the rules propose consequences (the office then
    confirms or dismisses each one)."""
    require(actor, "evaluation.manage")
    before = audit.snapshot(round)
    ROUND.apply(round, "close", closed_at=clock.now(), closed_by=actor)
    subjects = compute_results(round)
    proposed = consequences.propose(round=round, subjects=subjects)
    audit.record(
        "close",
        round,
        before=before,
        after=audit.snapshot(round) | {"proposed": len(proposed)},
        actor=actor,
    )
    return round
