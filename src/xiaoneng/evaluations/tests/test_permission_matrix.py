"""Every evaluation page and endpoint against the permission matrix (anonymous, office, unit A,
unit B): the objects belong to unit A only, so unit B gets 404."""

from __future__ import annotations

import datetime as dt

import pytest

from xiaoneng.core import testing_matrix as m
from xiaoneng.core.clock import frozen_now
from xiaoneng.evaluations.models import Consequence
from xiaoneng.evaluations.services import ethics as ethics_services
from xiaoneng.evaluations.services import rounds as round_services
from xiaoneng.evaluations.services import surveys as survey_services

from .conftest import CLOSES, GROUPS, OPENS, at

pytestmark = pytest.mark.django_db
OFF, A, B, ANON = m.OFFICE, m.UNIT_A, m.UNIT_B, m.ANONYMOUS


def survey_a(w):
    def make():
        made = survey_services.survey_create(
            actor=w.org.alice, title="甲院满意度", units=[w.org.unit_a], opens_at=OPENS,
            closes_at=at(2099, 1, 1),
        )  # fmt: skip
        survey_services.survey_open(actor=w.org.alice, survey=made)
        return made

    return w.once("survey_a", make)


def batch_a(w):
    return w.once(
        "batch_a",
        lambda: survey_services.batch_create(
            actor=w.org.alice, survey=survey_a(w), unit=w.org.unit_a, size=2
        ),
    )


def token_a(w):
    return batch_a(w).tokens.order_by("id")[0].token


def _round(w, title):
    made = round_services.round_create(
        actor=w.org.alice, title=title, series=title, subject_kind="unit", period_label="2026",
        starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 3, 31), groups=GROUPS,
        units=[w.org.unit_a],
    )  # fmt: skip
    round_services.round_open(actor=w.org.alice, round=made)
    return made


def round_open(w):
    return w.once("round_open", lambda: _round(w, "进行中"))


def ballot_link(w):
    made = round_open(w)
    return w.once(
        "ballot_link",
        lambda: round_services.tokens_create(
            actor=w.org.alice, round=made, group=made.groups.first(), count=1
        )[0],
    )


def round_closed(w):
    def make():
        made = _round(w, "已结束")
        link = round_services.tokens_create(
            actor=w.org.alice, round=made, group=made.groups.first(), count=1
        )[0]
        round_services.ballot_submit(
            token=link.token, marks={made.subjects.get().pk: "unsatisfied"}
        )
        round_services.round_close(actor=w.org.alice, round=made)
        return made

    return w.once("round_closed", make)


def consequence_a(w):
    return w.once("consequence_a", lambda: Consequence.objects.get(round=round_closed(w)))


def file_a(w):
    def make():
        with frozen_now(at(2026, 12, 1, 9)):
            return ethics_services.file_create(actor=w.org.bob, person=w.org.dave.person, year=2026)

    return w.once("file_a", make)


def pk(getter):
    return lambda w: {"pk": getter(w).pk}


POST_302 = {OFF: 302, A: 302, B: 404}
OFFICE_ONLY = {OFF: 302, A: 403, B: 404}

ROWS = [
    m.Row("evaluations:home", m.everyone()),
    m.Row("evaluations:surveys", m.everyone()),
    m.Row("evaluations:survey-new", m.permitted(OFF)),
    m.Row("evaluations:survey", m.scoped(), kwargs=pk(survey_a)),
    m.Row(
        "evaluations:survey-batch-new",
        POST_302,
        kwargs=pk(survey_a),
        method="post",
        data=lambda w: {"unit": w.org.unit_a.pk, "channel": "token", "size": 2},
    ),  # fmt: skip
    m.Row(
        "evaluations:survey-qr",
        m.scoped(),
        kwargs=lambda w: {"pk": survey_a(w).pk, "batch": batch_a(w).pk},
    ),
    m.Row(
        "evaluations:survey-qr-png",
        m.scoped(),
        kwargs=lambda w: {"pk": survey_a(w).pk, "batch": batch_a(w).pk, "token": token_a(w)},
    ),  # fmt: skip
    m.Row(
        "evaluations:survey-action",
        OFFICE_ONLY,
        method="post",
        kwargs=lambda w: {"pk": survey_a(w).pk, "action": "publish"},
    ),  # fmt: skip
    m.Row(
        "evaluations:survey-links-export",
        m.scoped(),
        kwargs=lambda w: {"pk": survey_a(w).pk, "batch": batch_a(w).pk},
    ),
    m.Row("evaluations:survey-export", m.scoped(), kwargs=pk(survey_a)),
    m.Row("evaluations:rounds", m.everyone()),
    m.Row("evaluations:round-new", m.permitted(OFF)),
    m.Row("evaluations:round", m.scoped(), kwargs=pk(round_closed)),
    m.Row("evaluations:round-links", {OFF: 200, A: 403, B: 404}, kwargs=pk(round_open)),
    m.Row(
        "evaluations:round-action",
        OFFICE_ONLY,
        method="post",
        kwargs=lambda w: {"pk": round_open(w).pk, "action": "close"},
    ),  # fmt: skip
    m.Row("evaluations:consequences", m.everyone()),
    m.Row("evaluations:consequence", m.scoped(), kwargs=pk(consequence_a)),
    m.Row(
        "evaluations:consequence-decide",
        OFFICE_ONLY,
        kwargs=pk(consequence_a),
        method="post",
        data={"decision": "confirm"},
    ),  # fmt: skip
    m.Row("evaluations:ethics", m.everyone()),
    m.Row(
        "evaluations:ethics-open",
        m.everyone(302),
        method="post",
        data=lambda w: {"unit": w.org.unit_a.pk, "year": 2026},
    ),  # fmt: skip
    m.Row("evaluations:ethics-export", m.everyone()),
    m.Row(
        "evaluations:ethics-history",
        m.scoped(),
        kwargs=lambda w: {"person": file_a(w).person_id},
    ),  # fmt: skip
    m.Row("evaluations:ethics-file", m.scoped(), kwargs=pk(file_a)),
    m.Row("evaluations:ethics-print", m.scoped(), kwargs=pk(file_a)),
    m.Row(
        "evaluations:ethics-evaluate",
        POST_302,
        kwargs=pk(file_a),
        method="post",
        data={"stage": "unit", "text": "同意", "score": "90"},
    ),  # fmt: skip
    m.Row(
        "evaluations:ethics-grade",
        POST_302,
        kwargs=pk(file_a),
        method="post",
        data={"grade": "good"},
    ),  # fmt: skip
    m.Row("evaluations_public:rates", m.everyone(**{ANON: 200}), public=True),
    m.Row(
        "evaluations_public:answer",
        m.everyone(**{ANON: 200}),
        public=True,
        kwargs=lambda w: {"token": token_a(w)},
    ),  # fmt: skip
    m.Row(
        "evaluations_public:ballot",
        m.everyone(**{ANON: 200}),
        public=True,
        kwargs=lambda w: {"token": ballot_link(w).token},
    ),  # fmt: skip
    m.Row(
        "public-survey-answer",
        m.everyone(**{ANON: 200}),
        public=True,
        kwargs=lambda w: {"token": token_a(w)},
    ),  # fmt: skip
    m.Row("api-survey-list", m.everyone()),
    m.Row("api-survey-detail", m.scoped(), kwargs=pk(survey_a)),
    m.Row("api-survey-open", {OFF: 409, A: 403, B: 404}, kwargs=pk(survey_a), method="post"),
    m.Row("api-survey-close", {OFF: 200, A: 403, B: 404}, kwargs=pk(survey_a), method="post"),
    m.Row("api-survey-publish", {OFF: 200, A: 403, B: 404}, kwargs=pk(survey_a), method="post"),
    m.Row("api-survey-tokens", m.scoped(), kwargs=pk(survey_a)),
    m.Row("api-survey-results", m.scoped(), kwargs=pk(survey_a)),
    m.Row("api-evaluation-round-list", m.everyone()),
    m.Row("api-evaluation-round-detail", m.scoped(), kwargs=pk(round_closed)),
    m.Row(
        "api-evaluation-round-open",
        {OFF: 409, A: 403, B: 404},
        kwargs=pk(round_open),
        method="post",
    ),
    m.Row(
        "api-evaluation-round-close",
        {OFF: 200, A: 403, B: 404},
        kwargs=pk(round_open),
        method="post",
    ),
    m.Row(
        "api-evaluation-round-tokens",
        {OFF: 201, A: 403, B: 404},
        kwargs=pk(round_open),
        method="post",
        data=lambda w: {"group": round_open(w).groups.first().pk, "count": 2},
    ),  # fmt: skip
    m.Row("api-evaluation-round-ballots", m.scoped(), kwargs=pk(round_closed)),
    m.Row("api-evaluation-round-results", m.scoped(), kwargs=pk(round_closed)),
    m.Row("api-evaluation-round-consequences", m.scoped(), kwargs=pk(round_closed)),
    m.Row("api-ethics-file-list", m.everyone()),
    m.Row("api-ethics-file-detail", m.scoped(), kwargs=pk(file_a)),
    m.Row(
        "api-ethics-file-evaluate",
        {OFF: 403, A: 200, B: 404},
        kwargs=pk(file_a),
        method="post",
        data={"stage": "department", "text": "良好", "score": "88"},
    ),  # fmt: skip
    m.Row(
        "api-ethics-file-grade",
        {OFF: 200, A: 200, B: 404},
        kwargs=pk(file_a),
        method="post",
        data={"grade": "good"},
    ),  # fmt: skip
]


@m.parametrize(ROWS)
def test_matrix(row, org):
    m.check(row, m.World(org))


def test_every_pattern_has_a_row(db):
    m.assert_complete("evaluations", ROWS)


def test_the_survey_window_fixture_is_sane():
    assert OPENS < CLOSES
