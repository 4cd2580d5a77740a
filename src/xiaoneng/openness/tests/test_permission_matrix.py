"""Every 领导接待日 / 院务公开 page and endpoint as anonymous, office, unit A and unit B: unit B
never reaches unit A's objects (404); the public pages serve everyone."""

from __future__ import annotations

from xiaoneng.core import testing_matrix as m

from .helpers import disclosure, reception

OF, A, B, AN = m.OFFICE, m.UNIT_A, m.UNIT_B, m.ANONYMOUS


def reception_a(w):
    return w.once("reception_a", lambda: reception(w.org))


def draft_a(w):
    return w.once("draft_a", lambda: disclosure(w.org))


def published_a(w):
    return w.once("published_a", lambda: disclosure(w.org, unit=w.org.unit_a, approved=True))


def item_a(w):
    return draft_a(w).items.first()


ROWS = [
    m.Row("openness:receptions", m.everyone()),
    m.Row("openness:receptions", {OF: 200, A: 404, B: 404}, method="post", label="create"),
    m.Row("openness:reception", m.scoped(), kwargs=m.pk(reception_a)),
    m.Row(
        "openness:reception", m.scoped(200), kwargs=m.pk(reception_a), method="post", label="visit"
    ),  # fmt: skip
    m.Row(
        "openness:reception-withdraw",
        {OF: 302, A: 403, B: 404},
        kwargs=m.pk(reception_a),
        method="post",
    ),  # fmt: skip
    m.Row("openness:disclosures", m.everyone()),
    m.Row(
        "openness:disclosure-open",
        m.scoped(302),
        method="post",
        kwargs=lambda w: {"unit_pk": w.org.unit_a.pk},
    ),  # fmt: skip
    m.Row("openness:disclosure", m.scoped(), kwargs=m.pk(draft_a)),
    m.Row(
        "openness:disclosure",
        {OF: 404, A: 200, B: 404},
        kwargs=m.pk(draft_a),
        method="post",
        label="add",
    ),  # fmt: skip
    m.Row(
        "openness:disclosure-action",
        {OF: 403, A: 302, B: 404},
        method="post",
        kwargs=lambda w: {"pk": draft_a(w).pk, "action": "submit"},
    ),  # fmt: skip
    m.Row("openness:item-delete", {OF: 403, A: 302, B: 404}, kwargs=m.pk(item_a), method="post"),
    m.Row("openness_public:home", m.everyone(**{AN: 200}), public=True),
    m.Row("openness_public:roster", m.everyone(**{AN: 200}), public=True),
    m.Row(
        "openness_public:unit",
        m.everyone(**{AN: 200}),
        public=True,
        kwargs=lambda w: {"code": published_a(w).unit.code},
    ),  # fmt: skip
    m.Row(
        "openness_public:unit",
        m.everyone(404, **{AN: 404}),
        public=True,
        label="draft",
        kwargs=lambda w: {"code": draft_a(w).unit.code},
    ),  # fmt: skip
    m.Row("api-reception-days", m.everyone()),
    m.Row("api-reception-days", {OF: 400, A: 403, B: 403}, method="post", label="create"),
    m.Row("api-reception-day", m.scoped(), kwargs=m.pk(reception_a)),
    m.Row("api-reception-day-visits", m.scoped(), kwargs=m.pk(reception_a)),
    m.Row(
        "api-reception-day-visits",
        m.scoped(400),
        kwargs=m.pk(reception_a),
        method="post",
        label="record",
    ),  # fmt: skip
    m.Row("api-disclosures", m.everyone()),
    m.Row("api-disclosure", m.scoped(), kwargs=m.pk(draft_a)),
    m.Row(
        "api-disclosure-items",
        {OF: 403, A: 201, B: 404},
        kwargs=m.pk(draft_a),
        method="post",
        data={"section": "commitment", "title": "首问负责"},
    ),  # fmt: skip
    m.Row(
        "api-disclosure-action",
        {OF: 403, A: 200, B: 404},
        method="post",
        kwargs=lambda w: {"pk": draft_a(w).pk, "action": "submit"},
    ),  # fmt: skip
]


@m.parametrize(ROWS)
def test_the_matrix(row, org):
    m.check(row, m.World(org))


def test_every_named_url_pattern_has_a_row(db):
    m.assert_complete("openness", ROWS)
