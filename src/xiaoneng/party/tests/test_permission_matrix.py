"""Every 创先争优 page and endpoint as anonymous, office, unit A and unit B: unit B never
reaches unit A's objects (404); confirming ratings and deciding nominations is the office's."""

from __future__ import annotations

from xiaoneng.core import testing_matrix as m

from .. import services
from .helpers import organisation, scores, window_scheme

OF, A, B = m.OFFICE, m.UNIT_A, m.UNIT_B


def org_a(w):
    return w.once("org_a", lambda: organisation(w.org))


def rating_a(w):
    def make():
        scheme = window_scheme()
        return services.rating_create(
            actor=w.org.bob, scheme=scheme, year=2026, unit=w.org.unit_a, subject_name="收费窗口",
            scores=scores(scheme, 18, 18, 18, 18, 18),
        )  # fmt: skip

    return w.once("rating_a", make)


def nomination_a(w):
    return w.once("nomination_a", lambda: services.nominate(
        actor=w.org.bob, year=2026, award="organisation", organisation=org_a(w)))  # fmt: skip


def contact_a(w):
    return w.once("contact_a", lambda: services.contact_create(
        actor=w.org.alice, leader=w.org.leader.person, unit=w.org.unit_a))  # fmt: skip


def action(getter, name):
    return lambda w: {"pk": getter(w).pk, "action": name}


ROWS = [
    m.Row("party:home", m.everyone()),
    m.Row("party:home", m.everyone(), method="post", label="create"),
    m.Row("party:organisation", m.scoped(), kwargs=m.pk(org_a)),
    m.Row("party:organisation", m.scoped(), kwargs=m.pk(org_a), method="post", label="member"),
    m.Row("party:ratings", m.everyone()),
    m.Row(
        "party:ratings",
        m.everyone(),
        method="post",
        label="create",
        data=lambda w: {"scheme": window_scheme().pk},
    ),  # fmt: skip
    m.Row("party:ratings", m.everyone(404), method="post", label="no scheme"),
    m.Row(
        "party:rating-action",
        {OF: 302, A: 403, B: 404},
        method="post",
        kwargs=action(rating_a, "confirm"),
    ),  # fmt: skip
    m.Row("party:nominations", m.everyone()),
    m.Row("party:nominations", m.everyone(), method="post", label="create"),
    m.Row(
        "party:nomination-decide",
        {OF: 302, A: 403, B: 404},
        method="post",
        kwargs=action(nomination_a, "reject"),
    ),  # fmt: skip
    m.Row("party:contacts", m.everyone()),
    m.Row("party:contacts", {OF: 200, A: 404, B: 404}, method="post", label="create"),
    m.Row("party:contact", m.scoped(), kwargs=m.pk(contact_a)),
    m.Row(
        "party:contact",
        {OF: 200, A: 404, B: 404},
        kwargs=m.pk(contact_a),
        method="post",
        label="visit",
    ),  # fmt: skip
    m.Row("api-party-organisations", m.everyone()),
    m.Row("api-party-organisations", m.everyone(400), method="post", label="create"),
    m.Row("api-party-members", m.everyone()),
    m.Row("api-party-members", m.everyone(400), method="post", label="create"),
    m.Row("api-star-schemes", m.everyone()),
    m.Row("api-star-ratings", m.everyone()),
    m.Row("api-star-ratings", m.everyone(400), method="post", label="create"),
    m.Row(
        "api-star-rating-action",
        {OF: 200, A: 403, B: 404},
        method="post",
        kwargs=action(rating_a, "confirm"),
    ),  # fmt: skip
    m.Row("api-party-nominations", m.everyone()),
    m.Row("api-party-nominations", m.everyone(400), method="post", label="create"),
    m.Row(
        "api-party-nomination-decide",
        {OF: 200, A: 403, B: 404},
        method="post",
        kwargs=action(nomination_a, "reject"),
    ),  # fmt: skip
    m.Row("api-contact-points", m.everyone()),
    m.Row("api-contact-points", m.everyone(400), method="post", label="create"),
    m.Row("api-contact-point-visits", m.scoped(), kwargs=m.pk(contact_a)),
    m.Row(
        "api-contact-point-visits",
        {OF: 201, A: 403, B: 404},
        kwargs=m.pk(contact_a),
        method="post",
        data={"visited_on": "2020-01-02", "findings": "候诊区座椅不足"},
        label="record",
    ),  # fmt: skip
]


@m.parametrize(ROWS)
def test_the_matrix(row, org):
    m.check(row, m.World(org))


def test_every_named_url_pattern_has_a_row(db):
    m.assert_complete("party", ROWS)
