"""The permission matrix over every named URL pattern of core, complaints and selfcheck.

Users: anonymous, alice (office, all units), bob (unit A admin), carol (unit B admin).
Objects named in URLs live in unit A, so carol must get 404 wherever bob gets in.
See ``xiaoneng.core.testing_matrix`` for the row format and how other apps add theirs.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xiaoneng.complaints import services as complaint_services
from xiaoneng.complaints.api import ACTION_VIEWS
from xiaoneng.complaints.models import Category, DuplicateSuggestion
from xiaoneng.core import inbox
from xiaoneng.core import testing_matrix as m
from xiaoneng.core.models import Job, Message
from xiaoneng.core.testing import PASSWORD
from xiaoneng.selfcheck import services as selfcheck_services
from xiaoneng.selfcheck.models import (
    ChecklistTemplate,
    RecurringActivity,
    RuleType,
)

pytestmark = pytest.mark.django_db

OFFICE, UNIT_A, UNIT_B, ANONYMOUS = m.OFFICE, m.UNIT_A, m.UNIT_B, m.ANONYMOUS
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


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


def due() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=10)


def assignment_a(w: m.World):
    return w.once(
        "assignment_a",
        lambda: selfcheck_services.assignment_create(
            actor=w.org.alice,
            template=ChecklistTemplate.objects.get(code="wucha-wukan"),
            unit=w.org.unit_a,
            due_on=due(),
        ),
    )


def commitment_a(w: m.World):
    return w.once(
        "commitment_a",
        lambda: selfcheck_services.commitment_create(
            actor=w.org.bob,
            unit=w.org.unit_a,
            content="承诺",
            committed_on=dt.date(2026, 5, 1),
            audience="website",
        ),
    )


def learning_record_a(w: m.World):
    return w.once(
        "learning_record_a",
        lambda: selfcheck_services.learning_record_create(
            actor=w.org.bob,
            person=w.org.bob.person,
            date=dt.date(2026, 3, 1),
            hours=Decimal(2),
            kind="self_study",
            topic="自学",
        ),
    )


def activity_record_a(w: m.World):
    return w.once(
        "activity_record_a",
        lambda: selfcheck_services.activity_record_create(
            actor=w.org.bob,
            activity=RecurringActivity.objects.get(code="warning-education-film"),
            unit=w.org.unit_a,
            held_on=dt.date(2026, 3, 1),
        ),
    )


def rule_a(w: m.World):
    return w.once(
        "rule_a",
        lambda: selfcheck_services.rule_create(
            actor=w.org.bob,
            unit=w.org.unit_a,
            rule_type=RuleType.TIME_LIMIT,
            adopted_on=dt.date(2026, 3, 1),
        ),
    )


def message_of_bob(w: m.World):
    def make():
        inbox.inbox_deliver(recipients=[w.org.bob], title="测试消息", body="", link="/")
        return Message.objects.filter(recipient=w.org.bob).latest("id")

    return w.once("message_of_bob", make)


def job_of_bob(w: m.World):
    return w.once(
        "job_of_bob",
        lambda: Job.objects.create(kind="import", created_by=w.org.bob, created_at=timezone.now()),
    )


def requirement(w: m.World):
    return w.once(
        "requirement",
        lambda: selfcheck_services.requirement_create(
            actor=w.org.alice,
            name="个人自学",
            measure="self_study",
            minimum=Decimal(40),
            starts_on=dt.date(2026, 2, 15),
            ends_on=dt.date(2026, 6, 30),
        ),
    )


def pk(getter):
    return lambda w: {"pk": getter(w).pk}


def a_pdf(w: m.World) -> dict:
    return {"file": SimpleUploadedFile("材料.pdf", PDF, content_type="application/pdf")}


UNIT_A_PK = lambda w: {"pk": w.org.unit_a.pk}  # noqa: E731
DEPT_A_PK = lambda w: {"pk": w.org.dept_a1.pk}  # noqa: E731
PERSON_A_PK = lambda w: {"pk": w.org.dave.person.pk}  # noqa: E731
MULTIPART = {"format": "multipart"}

# --- core ----------------------------------------------------------------------------------------
CORE = [
    m.Row("home", m.everyone()),
    m.Row("login", m.everyone(302, **{ANONYMOUS: 200}), public=True),
    m.Row("logout", m.everyone(302), method="post"),
    m.Row("password_change", m.everyone()),
    m.Row("inbox", m.everyone()),
    m.Row("notification-preferences", m.everyone()),
    m.Row(
        "inbox-read",
        {OFFICE: 404, UNIT_A: 302, UNIT_B: 404},  # only the recipient may open a message
        kwargs=pk(message_of_bob),
        method="post",
    ),
    m.Row("inbox-read-all", m.everyone(302), method="post"),
    m.Row("org:units", m.everyone()),
    m.Row("org:unit", m.scoped(), kwargs=UNIT_A_PK),
    m.Row("org:unit-edit", m.scoped(), kwargs=UNIT_A_PK),
    m.Row("org:departments", m.everyone()),
    m.Row("org:department", m.scoped(), kwargs=DEPT_A_PK),
    m.Row("org:people", m.everyone()),
    m.Row("org:person", m.scoped(), kwargs=PERSON_A_PK),
    m.Row("org:import", m.permitted(OFFICE)),
    m.Row("org:calendar", m.everyone()),
    m.Row("org:loginlog", m.permitted(OFFICE)),
    m.Row("org:audit", m.permitted(OFFICE)),
    # API
    m.Row(
        "api-token",
        m.everyone(201, **{ANONYMOUS: 201}),
        method="post",
        data={"username": "bob", "password": PASSWORD},
        public=True,
    ),
    m.Row(
        "api-token",
        m.everyone(400, **{ANONYMOUS: 400}),
        method="post",
        data={"username": "bob", "password": "Wrong-pass-1"},
        public=True,
        label="bad password",
    ),
    m.Row("api-token-revoke", m.everyone(403), method="post"),  # only a bearer token revokes
    m.Row("api-me", m.everyone()),
    m.Row("api-units", m.everyone()),
    m.Row(
        "api-units",
        m.permitted(OFFICE, UNIT_A, status=201, denied=400),  # unit B may not pick unit A
        method="post",
        data=lambda w: {"name": "新分院", "code": "UA9", "parent": w.org.unit_a.pk},
        label="create",
    ),
    m.Row("api-unit", m.scoped(), kwargs=UNIT_A_PK),
    m.Row("api-unit", m.scoped(), kwargs=UNIT_A_PK, method="patch", data={"phone": "1"}),
    m.Row("api-departments", m.everyone()),
    m.Row(
        "api-departments",
        m.permitted(OFFICE, UNIT_A, status=201, denied=400),
        method="post",
        data=lambda w: {"unit": w.org.unit_a.pk, "name": "儿科", "kind": "clinical"},
        label="create",
    ),
    m.Row("api-department", m.scoped(), kwargs=DEPT_A_PK),
    m.Row("api-department", m.scoped(), kwargs=DEPT_A_PK, method="patch", data={"phone": "1"}),
    m.Row("api-people", m.everyone()),
    m.Row(
        "api-people",
        m.permitted(OFFICE, UNIT_A, status=201, denied=400),
        method="post",
        data=lambda w: {"unit": w.org.unit_a.pk, "name": "新人"},
        label="create",
    ),
    m.Row("api-person", m.scoped(), kwargs=PERSON_A_PK),
    m.Row("api-person", m.scoped(), kwargs=PERSON_A_PK, method="patch", data={"phone": "1"}),
    m.Row("api-files", m.everyone(201), method="post", data=a_pdf, extra=MULTIPART),
    m.Row("api-job", {OFFICE: 404, UNIT_A: 200, UNIT_B: 404}, kwargs=pk(job_of_bob)),
]

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


# --- selfcheck -----------------------------------------------------------------------------------
def template_pk(w):
    return {"pk": ChecklistTemplate.objects.get(code="wucha-wukan").pk}


def requirement_pk(w):
    return {"pk": requirement(w).pk}


def activity_pk(w):
    return {"pk": RecurringActivity.objects.get(code="warning-education-film").pk}


SELFCHECK = [
    m.Row("selfcheck:mine", m.everyone()),
    m.Row("selfcheck:assignments", m.everyone()),
    m.Row("selfcheck:assignment", m.scoped(), kwargs=pk(assignment_a)),
    m.Row("selfcheck:commitments", m.everyone()),
    m.Row(
        "selfcheck:commitment_review",
        m.scoped(302),
        kwargs=pk(commitment_a),
        method="post",
        data={"result": "fulfilled"},
    ),
    m.Row(
        "selfcheck:rule_review",
        m.scoped(302),
        kwargs=pk(rule_a),
        method="post",
    ),
    m.Row("selfcheck:learning", m.everyone()),
    m.Row("selfcheck:compliance", m.everyone()),
    m.Row("selfcheck:activities", m.everyone()),
    m.Row("selfcheck:register", m.everyone()),
    # API: reference data (everyone reads, the office writes)
    m.Row("api-checklist-template-list", m.everyone()),
    m.Row("api-checklist-template-detail", m.everyone(), kwargs=template_pk),
    m.Row("api-learning-requirement-list", m.everyone()),
    m.Row("api-learning-requirement-detail", m.everyone(), kwargs=requirement_pk),
    m.Row("api-recurring-activity-list", m.everyone()),
    m.Row("api-recurring-activity-detail", m.everyone(), kwargs=activity_pk),
    m.Row("api-recurring-activity-missing", m.everyone()),
    # API: unit-scoped records
    m.Row("api-checklist-assignment-list", m.everyone()),
    m.Row("api-checklist-assignment-detail", m.scoped(), kwargs=pk(assignment_a)),
    m.Row(
        "api-checklist-assignment-answer",
        m.scoped(400),  # found; the empty answer is invalid
        kwargs=pk(assignment_a),
        method="post",
    ),
    m.Row(
        "api-checklist-assignment-material",
        m.scoped(400, **{OFFICE: 403}),  # units hand in material, the office does not
        kwargs=pk(assignment_a),
        method="post",
    ),
    m.Row("api-checklist-assignment-completion", m.everyone()),
    m.Row("api-commitment-list", m.everyone()),
    m.Row("api-commitment-detail", m.scoped(), kwargs=pk(commitment_a)),
    m.Row(
        "api-commitment-review",
        m.scoped(m.FOUND),  # found (the review then checks the commitment's dates)
        kwargs=pk(commitment_a),
        method="post",
        data={"result": "fulfilled"},
    ),
    m.Row("api-learning-record-list", m.everyone()),
    m.Row("api-learning-record-detail", m.scoped(), kwargs=pk(learning_record_a)),
    m.Row("api-learning-record-compliance", m.everyone()),
    m.Row("api-learning-record-group-session", m.everyone(400), method="post"),  # empty body
    m.Row("api-activity-record-list", m.everyone()),
    m.Row("api-activity-record-detail", m.scoped(), kwargs=pk(activity_record_a)),
    m.Row("api-institution-rule-list", m.everyone()),
    m.Row("api-institution-rule-detail", m.scoped(), kwargs=pk(rule_a)),
    m.Row("api-institution-rule-register", m.everyone()),
    m.Row(
        "api-institution-rule-review",
        m.scoped(m.FOUND),  # found (the review body is then validated)
        kwargs=pk(rule_a),
        method="post",
    ),
]

ROWS = [*CORE, *COMPLAINTS, *SELFCHECK]


@m.parametrize(ROWS)
def test_the_matrix(row, org):
    m.check(row, m.World(org))


@pytest.mark.parametrize("app", ["core", "complaints", "selfcheck"])
def test_every_named_url_pattern_has_a_row(app, db):
    m.assert_complete(app, ROWS)


def test_the_completeness_check_notices_a_missing_row(db):
    with pytest.raises(AssertionError, match="org:audit"):
        m.assert_complete("core", [r for r in ROWS if r.name != "org:audit"])


def test_the_enumeration_finds_ui_and_api_patterns_of_each_app(db):
    core = m.app_patterns("core")
    assert {"home", "org:unit", "api-me", "api-files"} <= set(core)
    assert "api-complaint" in m.app_patterns("complaints")
    assert "api-commitment-detail" in m.app_patterns("selfcheck")
    assert "admin:index" not in core and "api-schema" not in core
