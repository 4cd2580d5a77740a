"""The permission matrix over every named URL pattern of complaints (``core.testing_matrix``).

Users: anonymous, alice (office, all units), bob (unit A admin), carol (unit B admin).
Objects named in URLs live in unit A, so carol must get 404 wherever bob gets in.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from xiaoneng.complaints import services as complaint_services
from xiaoneng.complaints.api import ACTION_VIEWS
from xiaoneng.complaints.models import Category, DuplicateSuggestion
from xiaoneng.core import testing_matrix as m

pytestmark = pytest.mark.django_db

OFFICE, UNIT_A, UNIT_B, ANONYMOUS = m.OFFICE, m.UNIT_A, m.UNIT_B, m.ANONYMOUS
pk = m.pk


# --- objects of unit A the rows point at ---------------------------------------------------------
def _category():
    return Category.objects.get_or_create(
        code="matrix-test", defaults={"name": "服务态度差（矩阵）", "group": "服务"}
    )[0]


def complaint_a(w: m.World):
    """A complaint registered by the office and dispatched to unit A."""

    def make():
        org = w.org
        complaint = complaint_services.complaint_register(
            actor=org.alice,
            channel="phone",
            type="complaint",
            category=_category(),
            subject_unit=org.unit_a,
            title="挂号窗口态度差",
            content="窗口工作人员态度生硬，推诿患者。",
            complainant={"name": "张三丰", "phone": "13800138000", "anonymous": False},
        )
        complaint_services.complaint_dispatch(complaint=complaint, actor=org.alice, unit=org.unit_a)
        complaint_services.complaint_mark_important(complaint=complaint, actor=org.alice)
        complaint.refresh_from_db()
        return complaint

    return w.once("complaint_a", make)


def complaint_a2(w: m.World):
    """A second case of unit A, suggested as a duplicate of ``complaint_a``."""

    def make():
        first = complaint_a(w)
        second = complaint_services.complaint_register(
            actor=w.org.alice,
            channel="phone",
            type="complaint",
            category=_category(),
            subject_unit=w.org.unit_a,
            title="挂号窗口态度差（再次）",
            content="窗口工作人员态度生硬，推诿患者。",
            complainant={"name": "张三丰", "phone": "13800138000", "anonymous": False},
        )
        complaint_services.complaint_dispatch(
            complaint=second, actor=w.org.alice, unit=w.org.unit_a
        )
        DuplicateSuggestion.objects.get_or_create(
            complaint=second,
            candidate=first,
            defaults={"reason": "phone_text", "score": 0.95, "created_at": timezone.now()},
        )
        return second

    return w.once("complaint_a2", make)


def suggestion_kwargs(w: m.World) -> dict:
    second = complaint_a2(w)
    suggestion = DuplicateSuggestion.objects.get(complaint=second, candidate=complaint_a(w))
    return {"pk": second.pk, "sid": suggestion.pk}


# --- complaints ----------------------------------------------------------------------------------
COMPLAINT_A = pk(complaint_a)


def complaint_action(segment: str):
    return lambda w: {"pk": complaint_a(w).pk, "segment": segment}


ACTION_BODIES = {
    "reject": {"reason": "不属于受理范围"},
    "send-back": {"reason": "非本单位事项"},
    "pause": {"reason": "等待投诉人补充材料"},
    "request-extension": {"days": 3, "reason": "需要调查取证"},
    "decide-extension": {"approve": True},
    "reply": {"content": "已核查并答复。"},
    "verify": {"result": "true"},
    "return-visit": {"satisfaction": "satisfied"},
    "reopen": {"reason": "复核"},
    "escalate": {"reason": "久拖不决"},
}


# The case is dispatched to unit A: unit A signs, sends back or escalates; the office's own
# transitions do not apply in this state (409) and handling is not theirs (403).
# segment: (unit A, office); unit B always gets 404.
ACTION_EXPECT = {
    "accept": (403, 409),
    "reject": (403, 409),
    "dispatch": (403, 409),
    "sign": (200, 403),
    "send-back": (200, 403),
    "assign": (409, 403),
    "pause": (409, 403),
    "resume": (409, 403),
    "request-extension": (409, 403),
    "decide-extension": (403, 409),
    "reply": (409, 403),
    "verify": (403, 409),
    "return-visit": (403, 409),
    "reopen": (403, 409),
    "close": (403, 409),
    "escalate": (200, 200),
    "mark-important": (403, 200),
}


def action_body(segment: str):
    def body(w: m.World) -> dict:
        if segment == "dispatch":
            return {"unit": w.org.unit_a.pk}
        if segment == "assign":
            return {"handler": w.org.dave.person.pk}
        return dict(ACTION_BODIES.get(segment, {}))

    return body


COMPLAINTS = [
    m.Row("complaints:queue", m.everyone()),
    m.Row("complaints:unit", m.everyone()),
    m.Row("complaints:mine", m.everyone()),
    m.Row("complaints:new", m.everyone()),
    m.Row("complaints:departments", m.everyone(), data=lambda w: {"unit": w.org.unit_a.pk}),
    m.Row("complaints:detail", m.scoped(), kwargs=COMPLAINT_A),
    m.Row(
        "complaints:identity",
        {OFFICE: 200, UNIT_A: 404, UNIT_B: 404},  # complainant.view only (the office)
        kwargs=COMPLAINT_A,
        method="post",
        data={"reason": "核实"},
    ),
    m.Row("complaints:express", m.scoped(), kwargs=COMPLAINT_A),
    m.Row(
        "complaints:action",
        m.scoped(302),  # done, or refused with a message on the case page
        kwargs=complaint_action("sign"),
        method="post",
        label="sign",
    ),
    m.Row(
        "complaints:action",
        m.scoped(302),
        kwargs=complaint_action("pause"),
        method="post",
        data={"pause-reason": "等待材料"},
        label="pause",
    ),
    m.Row("complaints:duplicates", m.permitted(OFFICE)),
    m.Row(
        "complaints:merge",
        m.scoped(302, **{UNIT_A: 403}),  # the office merges (complaint.dispatch)
        kwargs=pk(complaint_a2),
        method="post",
        data=lambda w: {"parent": complaint_a(w).pk},
    ),
    m.Row(
        "complaints:dismiss-duplicate",
        m.scoped(302, **{UNIT_A: 403}),
        kwargs=suggestion_kwargs,
        method="post",
        data={"reason": "不是重复"},
    ),
    m.Row(
        "complaints:action",
        m.scoped(404),
        kwargs=complaint_action("no-such-action"),
        method="post",
        label="unknown action",
    ),
    # API
    m.Row("api-complaints", m.everyone()),
    m.Row(
        "api-complaints",
        m.everyone(201),
        method="post",
        data=lambda w: {
            "channel": "hotline_12345",
            "type": "complaint",
            "category": _category().code,
            "unit": w.org.unit_a.pk,
            "title": "收费不明",
            "content": "门诊收费项目不明，重复收费。",
            "complainant": {"name": "李四", "phone": "13900139000", "anonymous": False},
        },
        label="create",
    ),
    m.Row("api-complaint", m.scoped(), kwargs=COMPLAINT_A),
    m.Row("api-complaint-timeline", m.scoped(), kwargs=COMPLAINT_A),
    m.Row("api-complaint-complainant", {OFFICE: 200, UNIT_A: 404, UNIT_B: 404}, kwargs=COMPLAINT_A),
    m.Row("api-complaint-categories", m.everyone()),
    m.Row("api-complaint-duplicates", m.scoped(200, **{UNIT_A: 403}), kwargs=pk(complaint_a2)),
    m.Row(
        "api-complaint-merge",
        m.scoped(200, **{UNIT_A: 403}),
        kwargs=pk(complaint_a2),
        method="post",
        data=lambda w: {"parent": complaint_a(w).pk},
    ),
    m.Row(
        "api-complaint-duplicate-dismiss",
        m.scoped(200, **{UNIT_A: 403}),
        kwargs=suggestion_kwargs,
        method="post",
        data={"reason": "不是重复"},
    ),
    *[
        m.Row(
            f"api-complaint-{segment}",
            m.scoped(**{UNIT_A: ACTION_EXPECT[segment][0], OFFICE: ACTION_EXPECT[segment][1]}),
            kwargs=COMPLAINT_A,
            method="post",
            data=action_body(segment),
        )
        for segment in ACTION_VIEWS
    ],
]


@m.parametrize(COMPLAINTS)
def test_the_matrix(row, org):
    m.check(row, m.World(org))


def test_every_named_url_pattern_has_a_row(db):
    m.assert_complete("complaints", COMPLAINTS)
