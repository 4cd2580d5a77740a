"""Every ledger page and endpoint against the permission matrix (``core.testing_matrix``):
anonymous, alice (office: records and verifies everywhere), bob (unit A admin: records in unit A),
carol (unit B admin). The issue, items and jobs belong to unit A (the job to bob), so carol gets
404; verifying and spot checks are the office's (rectification.verify)."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from xiaoneng.core import testing_matrix as m
from xiaoneng.core.models import Job
from xiaoneng.rectification import excel, spotchecks

from .helpers import closed_item, issue, item

pytestmark = pytest.mark.django_db
OFF, A, B = m.OFFICE, m.UNIT_A, m.UNIT_B


def issue_a(w: m.World):
    return w.once("issue_a", lambda: issue(w.org))


def item_a(w: m.World):
    return w.once("item_a", lambda: item(w.org, issue_a(w)))


def long_term_a(w: m.World):
    return w.once(
        "long_term_a",
        lambda: item(
            w.org,
            issue_a(w),
            type="long_term",
            milestones=[{"title": "制定制度", "due_on": date(2026, 12, 1)}],
        ),
    )


def spot_check(w: m.World):
    def make():
        closed = closed_item(w.org)
        check = spotchecks.spot_check_draw(actor=w.org.alice, count=1, seed=1)
        return check, closed

    return w.once("spot_check", make)


def job_of_bob(w: m.World):
    return w.once(
        "job_of_bob",
        lambda: Job.objects.create(
            kind=excel.EXPORT_KIND, created_by=w.org.bob, created_at=timezone.now()
        ),
    )


ISSUE = m.pk(issue_a)
ITEM = m.pk(item_a)
SPOT = lambda w: {"pk": spot_check(w)[0].pk}  # noqa: E731
JOB = m.pk(job_of_bob)
# bob's own job: alice is not its creator (and no superuser), carol neither
OWN_JOB = {OFF: 404, A: 200, B: 404}


def milestone(w: m.World) -> dict:
    it = long_term_a(w)
    return {"pk": it.pk, "milestone_pk": it.milestones.get().pk}


def spot_result(w: m.World) -> dict:
    check, closed = spot_check(w)
    return {"pk": check.pk, "item_pk": closed.pk}


def action(segment: str):
    return lambda w: {"pk": item_a(w).pk, "segment": segment}


ROWS = [
    # --- pages ---
    m.Row("rectification:ledger", m.everyone()),
    m.Row("rectification:issue-new", m.everyone()),
    m.Row("rectification:issue", m.scoped(), kwargs=ISSUE),
    m.Row(
        "rectification:issue-public",
        m.scoped(302),  # the office publishes; bob is told he may not (a message, then back)
        kwargs=ISSUE,
        method="post",
        data={"public": "1"},
    ),
    m.Row("rectification:item", m.scoped(), kwargs=ITEM),
    m.Row(
        "rectification:item-action",
        m.scoped(m.FOUND),
        kwargs=action("progress"),
        method="post",
        data={"progress-note": "已安排专人"},
    ),
    m.Row(
        "rectification:milestone-done",
        m.scoped(302),
        kwargs=milestone,
        method="post",
    ),
    m.Row("rectification:spot-checks", m.permitted(OFF)),
    m.Row("rectification:spot-check", m.permitted(OFF), kwargs=SPOT),
    m.Row(
        "rectification:spot-check-result",
        m.permitted(OFF, status=m.FOUND),
        kwargs=spot_result,
        method="post",
    ),
    m.Row("rectification:import", m.everyone()),
    m.Row("rectification:export", m.everyone(302), method="post"),
    m.Row("rectification:job", OWN_JOB, kwargs=JOB),
    m.Row("rectification:job-download", {OFF: 404, A: 404, B: 404}, kwargs=JOB),  # no file yet
    m.Row("rectification_public:progress", {**m.everyone(), m.ANONYMOUS: 200}, public=True),
    # --- API ---
    m.Row("api-issues", m.everyone()),
    m.Row("api-issue", m.scoped(), kwargs=ISSUE),
    m.Row(
        "api-issue-public",
        m.scoped(200, **{A: 403}),
        kwargs=ISSUE,
        method="post",
        data={"public": True},
    ),
    m.Row("api-rectification-items", m.everyone()),
    m.Row("api-rectification-item", m.scoped(), kwargs=ITEM),
    m.Row("api-rectification-item-timeline", m.scoped(), kwargs=ITEM),
    *[
        m.Row(f"api-rectification-item-{segment}", m.scoped(m.FOUND), kwargs=ITEM, method="post")
        for segment in ("progress", "request-close", "verify", "reopen", "public")
    ],
    m.Row("api-rectification-items-export", m.everyone(202), method="post"),
    m.Row("api-rectification-items-import", m.everyone(m.FOUND), method="post"),
    m.Row("api-spot-checks", m.everyone()),  # each sees the spot checks in scope (none for units)
    m.Row("api-spot-check", {OFF: 200, A: 404, B: 404}, kwargs=SPOT),  # the office's own draw
    m.Row("api-spot-check-results", {OFF: m.FOUND, A: 404, B: 404}, kwargs=SPOT, method="post"),
]


@m.parametrize(ROWS)
def test_the_matrix(row, org):
    m.check(row, m.World(org))


def test_every_named_url_pattern_has_a_row(db):
    m.assert_complete("rectification", ROWS)


def test_the_rows_cover_every_item_action(db):
    from xiaoneng.rectification.api import ACTION_VIEWS

    covered = {r.name for r in ROWS}
    assert {f"api-rectification-item-{s}" for s in ACTION_VIEWS} <= covered
