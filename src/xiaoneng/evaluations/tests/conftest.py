"""Fixtures of the evaluation tests: a survey of units A and B, rounds driven by ballots."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from xiaoneng.core.clock import frozen_now
from xiaoneng.evaluations.services import rounds as round_services
from xiaoneng.evaluations.services import surveys as survey_services

CST = ZoneInfo("Asia/Shanghai")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=CST)


OPENS, CLOSES = at(2026, 11, 1, 8), at(2026, 11, 30, 18)
DURING = at(2026, 11, 10, 10)


@pytest.fixture
def survey(org):
    """Open 2026-11-01 … 11-30 for units A and B: the standard question plus a scale, a
    multiple-choice and an optional text question."""
    with frozen_now(at(2026, 10, 30, 9)):
        made = survey_services.survey_create(
            actor=org.alice,
            title="2026年11月患者满意度调查",
            units=[org.unit_a, org.unit_b],
            opens_at=OPENS,
            closes_at=CLOSES,
            questions=[
                {"kind": "scale", "text": "候诊时间", "required": True},
                {
                    "kind": "multiple",
                    "text": "哪些方面需要改进",
                    "options": ["挂号", "收费", "取药"],
                },
                {"kind": "text", "text": "意见建议", "required": False},
            ],
        )
        survey_services.survey_open(actor=org.alice, survey=made)
    return made


def questions(survey) -> dict[str, object]:
    return {q.kind: q for q in survey.questions.all()}


def answers(survey, satisfaction="satisfied", *, scale=4, multiple=("0",), text="") -> dict:
    q = questions(survey)
    return {
        str(q["satisfaction"].pk): satisfaction,
        str(q["scale"].pk): scale,
        str(q["multiple"].pk): list(multiple),
        str(q["text"].pk): text,
    }


def batch(org, survey, unit, size, **kw):
    with frozen_now(at(2026, 11, 1, 9)):
        return survey_services.batch_create(
            actor=org.alice, survey=survey, unit=unit, size=size, **kw
        )


def answer_with(survey, link_batch, ratings, *, when=DURING):
    """Answer with the batch's unused links, one per rating."""
    links = list(link_batch.tokens.filter(used_at__isnull=True).order_by("id"))
    with frozen_now(when):
        for token, rating in zip(links, ratings, strict=False):
            survey_services.response_submit(token=token.token, answers=answers(survey, rating))


GROUPS = [("服务对象", 40), ("行风监督员", 30), ("同级互评", 30)]


def run_round(org, *, title, ends_on, ratings, kind="unit", series="测试评议", units=(), people=()):
    """Create, open, vote and close a round. ``ratings`` maps a subject key (unit or person) to
    the list of ratings each evaluator group gives (one ballot per rating, all groups alike)."""
    with frozen_now(at(ends_on.year, ends_on.month, ends_on.day, 9)):
        made = round_services.round_create(
            actor=org.alice,
            title=title,
            series=series,
            subject_kind=kind,
            period_label=title,
            starts_on=ends_on - dt.timedelta(days=30),
            ends_on=ends_on,
            groups=GROUPS,
            units=list(units),
            people=[(p, "科主任") for p in people],
        )
        round_services.round_open(actor=org.alice, round=made)
        subjects = {(s.person or s.unit): s for s in made.subjects.all()}
        for group in made.groups.all():
            width = max(len(v) for v in ratings.values())
            links = round_services.tokens_create(
                actor=org.alice, round=made, group=group, count=width
            )
            for i, link in enumerate(links):
                marks = {
                    str(subjects[key].pk): values[i]
                    for key, values in ratings.items()
                    if i < len(values)
                }
                round_services.ballot_submit(token=link.token, marks=marks)
        round_services.round_close(actor=org.alice, round=made)
    made.refresh_from_db()
    return made
