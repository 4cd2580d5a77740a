"""Every accountability page and endpoint against the permission matrix (anonymous, office,
unit A, unit B). Cases are the office's, 纪检监察's and leaders' business: unit admins — of the
unit concerned or not — get 404; nominations follow the data scope; an unpublished assessment
is the office's only."""

from __future__ import annotations

import pytest

from xiaoneng.accountability.models import Assessment, Indicator
from xiaoneng.accountability.services import assessment, awards, cases
from xiaoneng.core import testing_matrix as m

pytestmark = pytest.mark.django_db
OFF, A, B = m.OFFICE, m.UNIT_A, m.UNIT_B
NONE = {OFF: 200, A: 404, B: 404}


def case_a(w: m.World):
    return w.once(
        "case_a",
        lambda: cases.case_create(actor=w.org.alice, title="导诊台无人值守", unit=w.org.unit_a),
    )


def scheme(w: m.World):
    def make():
        made = assessment.scheme_create(actor=w.org.alice, year=2026)
        assessment.compute(scheme=made, actor=w.org.alice)
        return made

    return w.once("scheme", make)


def assessment_a(w: m.World):
    return w.once(
        "assessment_a", lambda: Assessment.objects.get(scheme=scheme(w), unit=w.org.unit_a)
    )


def nomination_a(w: m.World):
    return w.once(
        "nomination_a",
        lambda: awards.nominate(
            actor=w.org.bob, year=2026, award="优秀服务窗口", unit=w.org.unit_a
        ),
    )


def pk(getter):
    return lambda w: {"pk": getter(w).pk}


def subject(w):
    return {"pk": case_a(w).pk, "subject_pk": case_a(w).subjects.first().pk}


ROWS = [
    m.Row("accountability:list", m.everyone()),
    m.Row("accountability:new", NONE),
    m.Row(
        "accountability:new",
        {OFF: 302, A: 404, B: 404},
        method="post",
        data=lambda w: {"title": "窗口推诿", "unit": w.org.unit_a.pk, "source": "manual"},
        label="post",
    ),
    m.Row("accountability:my-decisions", m.everyone()),
    m.Row("accountability:case", NONE, kwargs=pk(case_a)),
    m.Row(
        "accountability:subject-add",
        {OFF: 302, A: 404, B: 404},
        kwargs=pk(case_a),
        method="post",
        data={"name": "张三", "role": "other"},
    ),
    m.Row(
        "accountability:subject-update",
        {OFF: 302, A: 404, B: 404},
        kwargs=subject,
        method="post",
        data=lambda w: {f"s{subject(w)['subject_pk']}-finding": "督促不力"},
    ),
    m.Row(
        "accountability:case-action",
        {OFF: 302, A: 404, B: 404},
        kwargs=lambda w: {"pk": case_a(w).pk, "action": "review"},
        method="post",
    ),
    m.Row(
        "accountability:from-source",
        {OFF: 302, A: 404, B: 404},
        kwargs=lambda w: {"source": "complaint", "pk": complaint_a(w).pk},
        method="post",
    ),
    m.Row("accountability:schemes", m.everyone()),
    m.Row("accountability:scheme", NONE, kwargs=pk(scheme)),
    m.Row(
        "accountability:scheme-action",
        {OFF: 302, A: 404, B: 404},
        kwargs=lambda w: {"pk": scheme(w).pk, "action": "compute"},
        method="post",
    ),
    m.Row("accountability:assessment", NONE, kwargs=pk(assessment_a)),
    m.Row("accountability:nominations", m.everyone()),
    m.Row("accountability:nomination", m.scoped(), kwargs=pk(nomination_a)),
    m.Row(
        "accountability:nomination-action",
        {OFF: 302, A: 302, B: 404},
        kwargs=lambda w: {"pk": nomination_a(w).pk, "action": "check"},
        method="post",
    ),
    m.Row("api-accountability-cases", m.everyone()),
    m.Row(
        "api-accountability-cases",
        {OFF: 201, A: 403, B: 403},
        method="post",
        data=lambda w: {"title": "窗口推诿", "unit": w.org.unit_a.pk},
        label="create",
    ),
    m.Row(
        "api-accountability-case-from-source",
        {OFF: 409, A: 403, B: 403},
        method="post",
        data=lambda w: {"source": "complaint", "id": complaint_a(w).pk},
    ),
    m.Row("api-accountability-case", NONE, kwargs=pk(case_a)),
    m.Row(
        "api-accountability-case-transition",
        NONE,
        kwargs=pk(case_a),
        method="post",
        data={"action": "review"},
    ),
    m.Row("api-accountability-case-measures", NONE, kwargs=pk(case_a)),
    m.Row(
        "api-accountability-case-measures",
        {OFF: 201, A: 404, B: 404},
        kwargs=pk(case_a),
        method="post",
        data={"name": "张三", "role": "other"},
        label="add",
    ),
    m.Row(
        "api-accountability-case-measure",
        NONE,
        kwargs=subject,
        method="patch",
        data={"finding": "督促不力", "measure": "reminder_talk"},
    ),
    m.Row(
        "api-accountability-case-measure",
        {OFF: 204, A: 404, B: 404},
        kwargs=subject,
        method="delete",
        data={"reason": "不负领导责任"},
        label="remove",
    ),
    m.Row("api-accountability-measures", m.everyone()),
    m.Row("api-assessment-schemes", m.everyone()),
    m.Row(
        "api-assessment-schemes",
        {OFF: 201, A: 403, B: 403},
        method="post",
        data={"year": 2030},
        label="create",
    ),
    m.Row("api-assessment-scheme", NONE, kwargs=pk(scheme)),
    m.Row(
        "api-assessment-indicator",
        NONE,
        kwargs=lambda w: {"pk": Indicator.objects.filter(scheme=scheme(w)).first().pk},
        method="patch",
        data={"weight": "25"},
    ),
    m.Row("api-assessments", m.everyone()),
    m.Row(
        "api-assessments-compute",
        NONE,
        method="post",
        data=lambda w: {"scheme": scheme(w).pk},
    ),
    m.Row("api-assessments-lock", NONE, method="post", data=lambda w: {"scheme": scheme(w).pk}),
    m.Row(
        "api-assessments-unlock",
        {OFF: 409, A: 404, B: 404},
        method="post",
        data=lambda w: {"scheme": scheme(w).pk},
    ),
    m.Row(
        "api-assessments-publish",
        {OFF: 409, A: 404, B: 404},
        method="post",
        data=lambda w: {"scheme": scheme(w).pk},
    ),
    m.Row("api-assessment", NONE, kwargs=pk(assessment_a)),
    m.Row(
        "api-assessment-adjust",
        NONE,
        kwargs=pk(assessment_a),
        method="post",
        data={"delta": "-2", "reason": "重点工作滞后"},
    ),
    m.Row("api-award-nominations", m.everyone()),
    m.Row(
        "api-award-nominations",
        {OFF: 201, A: 201, B: 400},
        method="post",
        data=lambda w: {"year": 2026, "award": "先进单位", "unit": w.org.unit_a.pk},
        label="create",
    ),
    m.Row("api-award-nomination", m.scoped(), kwargs=pk(nomination_a)),
    m.Row("api-award-nomination-check", m.scoped(), kwargs=pk(nomination_a), method="post"),
    m.Row(
        "api-award-nomination-confirm",
        {OFF: 200, A: 403, B: 404},
        kwargs=pk(nomination_a),
        method="post",
    ),
    m.Row(
        "api-award-nomination-reject",
        {OFF: 200, A: 403, B: 404},
        kwargs=pk(nomination_a),
        method="post",
    ),
]


def complaint_a(w: m.World):
    def make():
        from xiaoneng.complaints.tests.test_lifecycle import dispatched

        return dispatched(w.org, unit=w.org.unit_a)

    return w.once("complaint_a", make)


@m.parametrize(ROWS)
def test_matrix(row, org):
    m.check(row, m.World(org))


def test_every_pattern_has_a_row(db):
    m.assert_complete("accountability", ROWS)
