"""Every inspection page and endpoint as anonymous, office, unit A and unit B (issue #14):
a unit sees its published visits and findings only; an unpublished 暗访 is a 404 to it;
unit B never reaches unit A's objects."""

from __future__ import annotations

import datetime as dt

from xiaoneng.core import testing_matrix as m
from xiaoneng.core.models import Role
from xiaoneng.core.services import org as org_services
from xiaoneng.core.testing import make_user
from xiaoneng.inspections import services
from xiaoneng.selfcheck.models import ChecklistTemplate

OF, A, B = m.OFFICE, m.UNIT_A, m.UNIT_B
DAY = dt.date(2026, 4, 1)


def inspector(w):
    def make():
        person = org_services.person_create(actor=None, check=False, name="督查甲",
                                            unit=w.org.bureau)  # fmt: skip
        return make_user("inspector1", person, "inspector")

    return w.once("inspector", make)


def plan(w, kind="open"):
    return w.once(f"plan-{kind}", lambda: services.plan_create(
        actor=w.org.alice, name=f"计划{kind}", kind=kind, starts_on=DAY, ends_on=DAY,
        units=[w.org.unit_a, w.org.unit_b], team=[inspector(w).person],
        template=ChecklistTemplate.objects.order_by("pk").first(),
    ))  # fmt: skip


def _visit(w, kind):
    return services.visit_create(actor=w.org.alice, plan=plan(w, kind), unit=w.org.unit_a,
                                 scheduled_on=DAY, team=[inspector(w).person])  # fmt: skip


def published_visit(w):
    def make():
        visit = _visit(w, "open")
        services.finding_create(actor=w.org.alice, visit=visit, title="导诊台无人",
                                description="无人值守")  # fmt: skip
        services.finding_create(actor=w.org.alice, visit=visit, title="收受红包",
                                description="收受红包", severity="severe")  # fmt: skip
        services.visit_record(actor=w.org.alice, visit=visit, summary="检查")
        services.visit_publish(actor=w.org.alice, visit=visit)
        return visit

    return w.once("published", make)


def secret_visit(w):
    return w.once("secret", lambda: _visit(w, "unannounced"))


def finding(w):
    return published_visit(w).findings.get(severity="general")


def _photo(w, visit):
    from xiaoneng.core.files import store_bytes
    from xiaoneng.inspections.models import Evidence

    from .conftest import png_upload

    stored = store_bytes(data=png_upload().read(), name="现场.png", actor=w.org.alice)
    return Evidence.objects.create(visit=visit, file=stored, captured_at=visit.created_at)


def evidence(w):
    return w.once("evidence", lambda: _photo(w, published_visit(w)))


def secret_evidence(w):
    return w.once("secret-evidence", lambda: _photo(w, secret_visit(w)))


def order(w):
    return published_visit(w).findings.get(severity="severe").order


def draft(w):
    return w.once("draft", lambda: services.bulletin_create(
        actor=w.org.alice, title="通报", period_start=DAY, period_end=DAY, findings=[finding(w)]))  # fmt: skip


def published_bulletin(w):
    def make():
        bulletin = services.bulletin_create(actor=w.org.alice, title="通报二", period_start=DAY,
                                            period_end=DAY, findings=[finding(w)])  # fmt: skip
        services.bulletin_submit(actor=w.org.alice, bulletin=bulletin)
        leader = make_user("approver", None)
        leader.roles.set(Role.objects.filter(code="leader"))
        services.bulletin_approve(actor=leader, bulletin=bulletin)
        services.bulletin_publish(actor=w.org.alice, bulletin=bulletin)
        return bulletin

    return w.once("published-bulletin", make)


def pk(make):
    return lambda w: {"pk": make(w).pk}


HIDDEN = {OF: 200, A: 404, B: 404}
HIDDEN_POST = {OF: m.FOUND, A: 404, B: 404}
ONLY_OFFICE = m.permitted(OF)
PLAN_BODY = lambda w: {"name": "新计划", "kind": "open", "starts_on": "2026-04-01",  # noqa: E731
                       "ends_on": "2026-04-30", "units": [w.org.unit_a.pk]}  # fmt: skip

ROWS = [
    # pages
    m.Row("inspections:list", m.everyone()),
    m.Row("inspections:plans", m.everyone()),
    m.Row("inspections:plan-new", ONLY_OFFICE),
    m.Row("inspections:plan", HIDDEN, kwargs=pk(plan)),
    m.Row("inspections:plan-draw", HIDDEN_POST, kwargs=pk(plan), method="post"),
    m.Row("inspections:visit", m.scoped(), kwargs=pk(published_visit)),
    m.Row("inspections:visit", HIDDEN, kwargs=pk(secret_visit), label="unannounced"),
    m.Row("inspections:visit-record", HIDDEN_POST, kwargs=pk(secret_visit), method="post"),
    m.Row(
        "inspections:visit-finding",
        HIDDEN_POST,
        kwargs=pk(secret_visit),
        method="post",
        data={"title": "x", "description": "y", "severity": "general"},
    ),  # fmt: skip
    m.Row("inspections:visit-publish", HIDDEN_POST, kwargs=pk(secret_visit), method="post"),
    m.Row("inspections:visit-lookback", HIDDEN_POST, kwargs=pk(secret_visit), method="post"),
    m.Row("inspections:finding", m.scoped(), kwargs=pk(finding)),
    m.Row("inspections:evidence", m.scoped(), kwargs=pk(evidence)),
    m.Row("inspections:evidence", HIDDEN, kwargs=pk(secret_evidence), label="unannounced"),
    m.Row("inspections:orders", m.everyone()),
    m.Row("inspections:order", m.scoped(), kwargs=pk(order)),
    m.Row("inspections:order-reply", m.scoped(m.FOUND), kwargs=pk(order), method="post"),
    m.Row("inspections:order-verify", m.scoped(m.FOUND), kwargs=pk(order), method="post"),
    m.Row("inspections:bulletins", m.everyone()),
    m.Row("inspections:bulletin-new", ONLY_OFFICE),
    m.Row("inspections:bulletin", HIDDEN, kwargs=pk(draft)),
    m.Row("inspections:bulletin", m.everyone(), kwargs=pk(published_bulletin), label="published"),
    m.Row(
        "inspections:bulletin-action",
        HIDDEN_POST,
        method="post",
        kwargs=lambda w: {"pk": draft(w).pk, "action": "submit"},
    ),  # fmt: skip
    m.Row("inspections_public:bulletins", m.everyone(**{m.ANONYMOUS: 200}), public=True),
    m.Row(
        "inspections_public:bulletin",
        m.everyone(**{m.ANONYMOUS: 200}),
        public=True,
        kwargs=pk(published_bulletin),
    ),  # fmt: skip
    m.Row(
        "inspections_public:bulletin",
        {m.ANONYMOUS: 404, **m.everyone(404)},
        public=True,
        kwargs=pk(draft),
        label="draft",
    ),  # fmt: skip
    # API
    m.Row("api-inspection-plan-list", m.everyone()),
    m.Row(
        "api-inspection-plan-list",
        {OF: 201, A: 403, B: 400},
        method="post",
        data=PLAN_BODY,
        label="create",
    ),  # fmt: skip
    m.Row("api-inspection-plan-detail", HIDDEN, kwargs=pk(plan)),
    m.Row("api-inspection-plan-draw", HIDDEN_POST, kwargs=pk(plan), method="post"),
    m.Row("api-inspection-visit-list", m.everyone()),
    m.Row(
        "api-inspection-visit-list",
        {OF: 201, A: 404, B: 400},
        method="post",
        label="create",
        data=lambda w: {
            "plan": plan(w).pk,
            "unit": w.org.unit_a.pk,
            "scheduled_on": "2026-04-02",
            "team": [inspector(w).person.pk],
        },
    ),  # fmt: skip
    m.Row("api-inspection-visit-detail", m.scoped(), kwargs=pk(published_visit)),
    m.Row("api-inspection-visit-detail", HIDDEN, kwargs=pk(secret_visit), label="unannounced"),
    m.Row("api-inspection-visit-record", HIDDEN_POST, kwargs=pk(secret_visit), method="post"),
    m.Row("api-inspection-visit-findings", m.scoped(), kwargs=pk(published_visit)),
    m.Row(
        "api-inspection-visit-findings",
        HIDDEN_POST,
        kwargs=pk(secret_visit),
        method="post",
        data={"title": "x", "description": "y"},
        label="create",
    ),  # fmt: skip
    m.Row("api-inspection-visit-publish", HIDDEN_POST, kwargs=pk(secret_visit), method="post"),
    m.Row("api-inspection-visit-lookback", HIDDEN_POST, kwargs=pk(secret_visit), method="post"),
    m.Row("api-finding-list", m.everyone()),
    m.Row("api-finding-detail", m.scoped(), kwargs=pk(finding)),
    m.Row("api-supervision-order-list", m.everyone()),
    m.Row("api-supervision-order-detail", m.scoped(), kwargs=pk(order)),
    m.Row("api-supervision-order-reply", m.scoped(m.FOUND), kwargs=pk(order), method="post"),
    m.Row(
        "api-supervision-order-verify",
        m.scoped(m.FOUND),
        kwargs=pk(order),
        method="post",
        data={"decision": "accept"},
    ),  # fmt: skip
    m.Row("api-bulletin-list", m.everyone()),
    m.Row(
        "api-bulletin-list",
        {OF: 201, A: 403, B: 400},
        method="post",
        label="create",
        data=lambda w: {
            "title": "通报",
            "period_start": "2026-04-01",
            "period_end": "2026-04-30",
            "findings": [finding(w).pk],
        },
    ),  # fmt: skip
    m.Row("api-bulletin-detail", HIDDEN, kwargs=pk(draft)),
    m.Row("api-bulletin-detail", m.everyone(), kwargs=pk(published_bulletin), label="published"),
    m.Row("api-bulletin-submit", HIDDEN_POST, kwargs=pk(draft), method="post"),
    m.Row("api-bulletin-approve", HIDDEN_POST, kwargs=pk(draft), method="post"),
    m.Row("api-bulletin-return", HIDDEN_POST, kwargs=pk(draft), method="post"),
    m.Row("api-bulletin-publish", HIDDEN_POST, kwargs=pk(draft), method="post"),
    m.Row(
        "api-bulletin-responses",
        {OF: m.FOUND, A: m.FOUND, B: m.FOUND},
        method="post",
        kwargs=pk(published_bulletin),
    ),  # fmt: skip
]


@m.parametrize(ROWS)
def test_matrix(row, org):
    m.check(row, m.World(org))


def test_every_pattern_has_a_row(db):
    m.assert_complete("inspections", ROWS)
