"""Every supervision page and endpoint against the permission matrix. The report and the roster
row belong to a supervisor (not a matrix user): the office reaches them; units see neither the
roster nor the reports (404), only the complaint or issue made of a report in their own apps."""

from __future__ import annotations

import pytest

from xiaoneng.complaints.models import Category
from xiaoneng.core import testing_matrix as m
from xiaoneng.supervision import services

from .conftest import supervisor_user

pytestmark = pytest.mark.django_db
OFF, A, B = m.OFFICE, m.UNIT_A, m.UNIT_B
OFFICE_ONLY = {OFF: 200, A: 404, B: 404}


def sup(w: m.World):
    return w.once("sup", lambda: supervisor_user(w.org, "sup", "监督甲"))


def supervisor_a(w: m.World):
    return services.supervisor_of(sup(w))


def report_a(w: m.World):
    return w.once(
        "report_a",
        lambda: services.report_file(
            actor=sup(w), kind="clue", unit=w.org.unit_a, title="窗口无人", content="无人值守"
        ),
    )


ROWS = [
    m.Row("supervision:mine", m.everyone()),
    m.Row("supervision:new", m.everyone(403)),
    m.Row("supervision:report", OFFICE_ONLY, kwargs=m.pk(report_a)),
    m.Row("supervision:triage_list", m.permitted(OFF)),
    m.Row("supervision:triage", OFFICE_ONLY, kwargs=m.pk(report_a)),
    m.Row(
        "supervision:triage",
        {OFF: 302, A: 404, B: 404},
        kwargs=m.pk(report_a),
        method="post",
        data={"decision": "note", "answer": "已阅知", "type": "complaint", "severity": "general"},
        label="note",
    ),
    m.Row("supervision:roster", m.permitted(OFF)),
    m.Row("supervision:supervisor", OFFICE_ONLY, kwargs=m.pk(supervisor_a)),
    m.Row("api-supervisor-list", m.everyone()),
    m.Row(
        "api-supervisor-list",
        {OFF: 201, A: 403, B: 403},
        method="post",
        data=lambda w: {
            "person": w.org.dave.person.pk,
            "kind": "efficiency",
            "term_starts_on": "2026-01-01",
            "term_ends_on": "2027-12-31",
        },
        label="appoint",
    ),
    m.Row("api-supervisor-detail", OFFICE_ONLY, kwargs=m.pk(supervisor_a)),
    m.Row(
        "api-supervisor-end",
        OFFICE_ONLY,
        kwargs=m.pk(supervisor_a),
        method="post",
        data={"reason": "任期届满"},
    ),
    m.Row(
        "api-supervisor-reappoint",
        OFFICE_ONLY,
        kwargs=m.pk(supervisor_a),
        method="post",
        data={"term_starts_on": "2028-01-01", "term_ends_on": "2029-12-31"},
    ),
    m.Row("api-supervisor-report-list", m.everyone()),
    m.Row(
        "api-supervisor-report-list",
        m.everyone(403),
        method="post",
        data=lambda w: {"kind": "clue", "unit": w.org.unit_a.pk, "title": "x", "content": "y"},
        label="file",
    ),
    m.Row("api-supervisor-report-detail", OFFICE_ONLY, kwargs=m.pk(report_a)),
    m.Row(
        "api-supervisor-report-to-complaint",
        OFFICE_ONLY,
        kwargs=m.pk(report_a),
        method="post",
        data=lambda w: {"category": Category.objects.filter(is_active=True).first().pk},
    ),
    m.Row(
        "api-supervisor-report-to-issue",
        OFFICE_ONLY,
        kwargs=m.pk(report_a),
        method="post",
        data={"severity": "general"},
    ),
    m.Row(
        "api-supervisor-report-note",
        OFFICE_ONLY,
        kwargs=m.pk(report_a),
        method="post",
        data={"answer": "已阅知"},
    ),
]


@m.parametrize(ROWS)
def test_matrix(row, org):
    m.check(row, m.World(org))


def test_every_pattern_has_a_row(db):
    m.assert_complete("supervision", ROWS)
