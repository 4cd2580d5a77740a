"""Scoped reads of the evaluations app: every list and detail starts here (out of scope = 404).

A survey or a round is visible to the office and to the units it concerns; inside it a unit sees
only its own rows (rates, subjects' ballots, consequences). Ethics files follow the person's
unit and department (a worker sees their own).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from django.db.models import F, Prefetch, QuerySet

from xiaoneng.core.models import Unit
from xiaoneng.core.scope import get_scoped_or_404, scope_for, scoped

from . import rates
from .models import (
    Ballot,
    Consequence,
    EthicsFile,
    EvaluationRound,
    Mark,
    Subject,
    Survey,
    TokenBatch,
)
from .vocab import ConsequenceStatus, EthicsGrade, RoundStatus, SurveyStatus


def may_manage(user) -> bool:
    return user.has_permission("evaluation.manage")


def sees_everything(user) -> bool:
    return scope_for(user).everything


# --- surveys ----------------------------------------------------------------------------------
def surveys_for(user) -> QuerySet[Survey]:
    return scoped(user, Survey).distinct().order_by("-opens_at", "-id")


def get_survey(user, pk) -> Survey:
    return get_scoped_or_404(user, surveys_for(user), pk=pk)


def unit_ids_for(user, survey: Survey) -> list[int] | None:
    """The survey's units the user may read rows of (None = all of them)."""
    if sees_everything(user):
        return None
    return list(scoped(user, Unit).filter(surveys=survey).values_list("pk", flat=True))


def batches_for(user, survey: Survey) -> QuerySet[TokenBatch]:
    qs = TokenBatch.objects.filter(survey=survey).select_related("unit", "department")
    return scoped(user, qs) if not may_manage(user) else qs


def get_batch(user, survey: Survey, pk) -> TokenBatch:
    return get_scoped_or_404(user, batches_for(user, survey), pk=pk)


def survey_results(user, survey: Survey, *, by: str = "unit", start=None, end=None):
    return rates.survey_rates(
        survey, by=by, unit_ids=unit_ids_for(user, survey), start=start, end=end
    )


def published_surveys() -> QuerySet[Survey]:
    return Survey.objects.filter(is_published=True).exclude(status=SurveyStatus.DRAFT)


def open_surveys_count(user) -> int:
    return surveys_for(user).filter(status=SurveyStatus.OPEN).count()


# --- rounds -----------------------------------------------------------------------------------
def rounds_for(user) -> QuerySet[EvaluationRound]:
    return scoped(user, EvaluationRound).distinct().order_by("-ends_on", "-id")


def get_round(user, pk) -> EvaluationRound:
    return get_scoped_or_404(user, rounds_for(user), pk=pk)


def subjects_of(user, round: EvaluationRound) -> QuerySet[Subject]:
    """The round's subjects the user may see, best rank first (unranked last)."""
    qs = scoped(user, round.subjects.select_related("unit", "person"))
    return qs.order_by(F("rank").asc(nulls_last=True), "id")


def ballots_of(user, round: EvaluationRound) -> QuerySet[Ballot]:
    """Anonymous ballots; each with only the marks on subjects the user may see."""
    visible = subjects_of(user, round)
    marks = Mark.objects.filter(subject__in=visible).select_related("subject__unit")
    qs = Ballot.objects.filter(round=round).select_related("group")
    if not sees_everything(user):
        qs = qs.filter(marks__subject__in=visible).distinct()
    return qs.prefetch_related(Prefetch("marks", queryset=marks)).order_by("id")


def consequences_for(user) -> QuerySet[Consequence]:
    qs = Consequence.objects.select_related(
        "round", "subject__unit", "subject__person", "person", "unit", "issue"
    )
    return scoped(user, qs).order_by("-created_at", "id")


def consequences_of(user, round: EvaluationRound) -> QuerySet[Consequence]:
    return consequences_for(user).filter(round=round).order_by("source", "subject__rank", "id")


def get_consequence(user, pk) -> Consequence:
    return get_scoped_or_404(user, consequences_for(user), pk=pk)


def pending_consequences(user) -> QuerySet[Consequence]:
    return consequences_for(user).filter(status=ConsequenceStatus.PROPOSED)


def confirmed_consequences(*, since: datetime | None = None) -> QuerySet[Consequence]:
    """For the accountability module: confirmed consequences (oldest first), each with its
    round, subject, measure, person concerned, document number and ledger issue."""
    qs = Consequence.objects.filter(status=ConsequenceStatus.CONFIRMED).select_related(
        "round", "subject", "unit", "person", "issue"
    )
    if since is not None:
        qs = qs.filter(decided_at__gte=since)
    return qs.order_by("decided_at", "id")


def rounds_to_close(user) -> QuerySet[EvaluationRound]:
    return rounds_for(user).filter(status=RoundStatus.OPEN)


# --- ethics files -----------------------------------------------------------------------------
def ethics_files_for(user) -> QuerySet[EthicsFile]:
    qs = EthicsFile.objects.select_related("person", "unit", "department", "reviewer")
    return scoped(user, qs).distinct()


def get_ethics_file(user, pk) -> EthicsFile:
    return get_scoped_or_404(user, ethics_files_for(user), pk=pk)


def grade_distribution(files: QuerySet[EthicsFile]) -> list[tuple[str, str, int]]:
    """(grade code, label, count) for every grade, ungraded last."""
    counts = Counter(files.values_list("grade", flat=True))
    rows = [(g.value, str(g.label), counts.get(g.value, 0)) for g in EthicsGrade]
    return rows + [("", "", counts.get("", 0))]


def person_history(user, person_id: int) -> QuerySet[EthicsFile]:
    return ethics_files_for(user).filter(person_id=person_id).order_by("-year")


def files_to_grade(user) -> QuerySet[EthicsFile]:
    return ethics_files_for(user).filter(grade="")
