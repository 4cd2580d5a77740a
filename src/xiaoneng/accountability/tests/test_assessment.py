"""The annual assessment: scores equal a hand calculation indicator by indicator, vetoes cap
the grade, adjustments are kept and audited, a locked assessment cannot change; award
nominations are blocked by vetoes unless overridden (audited)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from xiaoneng.accountability.models import Assessment, AssessmentScheme, Indicator, VetoRule
from xiaoneng.accountability.services import assessment, awards, cases
from xiaoneng.accountability.vocab import Grade, NominationStatus
from xiaoneng.complaints.models import Complaint
from xiaoneng.core.errors import Conflict
from xiaoneng.core.models import AuditRecord
from xiaoneng.rectification.models import RectificationItem
from xiaoneng.rectification.tests.helpers import item as ledger_item

from .helpers import measure

pytestmark = pytest.mark.django_db
CST = ZoneInfo("Asia/Shanghai")
YEAR = 2026


def at(month, day):
    return datetime(YEAR, month, day, 12, tzinfo=CST)


def _scheme(org) -> AssessmentScheme:
    """Four indicators with round numbers: complaints 20 (full at 100 %, zero at 60 %), ledger
    30 (full at 100 %, zero at 0 %), cases 10 (−5 each), manual 40."""
    scheme = AssessmentScheme.objects.create(year=YEAR, name="测试考核")
    for i, (code, src, rule, w, target, floor, per) in enumerate(
        [
            ("c", "complaint_on_time", "rate", 20, 100, 60, 0),
            ("l", "ledger_cleared", "rate", 30, 100, 0, 0),
            ("k", "accountability_cases", "deduct", 10, None, None, 5),
            ("m", "manual", "manual", 40, None, None, 0),
        ]
    ):
        Indicator.objects.create(
            scheme=scheme,
            code=code,
            name=code,
            source=src,
            rule=rule,
            weight=w,
            target=target,
            floor=floor,
            per_item=per,
            position=i,
        )
    VetoRule.objects.create(
        scheme=scheme,
        name="免职",
        condition="case_measure",
        params={"measures": ["organisational"]},
        cap_grade=Grade.FAIL,
    )
    return scheme


def _complaints(org, unit, on_time: int, late: int):
    from xiaoneng.complaints.tests.test_lifecycle import register

    for n in range(on_time + late):
        c = register(org, title=f"件{n}")
        Complaint.objects.filter(pk=c.pk).update(
            unit=unit,
            replied_at=at(3, 10),
            resolve_by=at(3, 12) if n < on_time else at(3, 1),
        )


def _items(org, unit, cleared: int, total: int):
    from xiaoneng.rectification.tests.helpers import issue

    for n in range(total):
        it = ledger_item(org, the_issue=issue(org, unit=unit))
        RectificationItem.objects.filter(pk=it.pk).update(
            deadline=at(6, 30),
            status="closed" if n < cleared else "in_progress",
            closed_at=at(6, 1) if n < cleared else None,
        )


def _filed_case(org, unit, measure_code=None):
    person = org.unit_a.principal if unit == org.unit_a else org.carol.person
    case = cases.case_create(actor=org.alice, title="案", unit=unit, person=person, fast_track=True)
    for s in case.subjects.all():
        cases.subject_update(
            subject=s,
            actor=org.alice,
            finding="f",
            measure=measure(measure_code) if measure_code else None,
        )
    if not case.subjects.exists():
        return case
    case = cases.transition(case, "propose", actor=org.alice, note="p")
    return cases.transition(case, "approve", actor=org.leader, note="d")


def test_the_score_equals_a_hand_calculation(org):
    from xiaoneng.core.clock import frozen_now

    with frozen_now(at(7, 1)):
        scheme = _scheme(org)
        # unit A: complaints 8/10 on time = 80 % → 20 × (80−60)/(100−60) = 10.00
        _complaints(org, org.unit_a, on_time=8, late=2)
        # unit A: ledger 3/4 cleared = 75 % → 30 × 0.75 = 22.50
        _items(org, org.unit_a, cleared=3, total=4)
        # unit A: one case past the preliminary check → 10 − 5 = 5.00
        _filed_case(org, org.unit_a)
        # manual 40 → 40.00; total 77.50 → 合格 (pass: 60 ≤ 77.5 < 80)
        # unit B: nothing to measure → full 20 + 30 + 10 + 40 = 100 → 优秀
        assessment.compute(scheme=scheme, actor=org.alice)
    a = Assessment.objects.get(scheme=scheme, unit=org.unit_a)
    lines = {line.indicator.code: line for line in a.lines.select_related("indicator")}
    assert lines["c"].value == Decimal("80.00") and lines["c"].score == Decimal("10.00")
    assert lines["l"].value == Decimal("75.00") and lines["l"].score == Decimal("22.50")
    assert lines["k"].value == Decimal("1") and lines["k"].score == Decimal("5.00")
    assert lines["m"].score == Decimal("40.00")
    assert "8/10" in lines["c"].explanation and "3/4" in lines["l"].explanation
    assert a.score == Decimal("77.50") and a.grade == Grade.PASS
    b = Assessment.objects.get(scheme=scheme, unit=org.unit_b)
    assert b.score == Decimal("100.00") and b.grade == Grade.EXCELLENT
    assert b.rank < a.rank


def test_a_veto_caps_the_grade(org):
    from xiaoneng.core.clock import frozen_now

    with frozen_now(at(7, 1)):
        scheme = _scheme(org)
        _filed_case(org, org.unit_b, "organisational")  # the principal removed from office
        assessment.compute(scheme=scheme, actor=org.alice)
    b = Assessment.objects.get(scheme=scheme, unit=org.unit_b)
    assert b.score >= Decimal("90")  # the points alone would be 优秀 …
    assert b.grade == Grade.FAIL  # … but the veto caps it
    assert b.vetoes and b.vetoes[0]["rule"] == "免职"


def test_adjustments_are_kept_across_recomputes_and_audited(org):
    from xiaoneng.core.clock import frozen_now

    with frozen_now(at(7, 1)):
        scheme = _scheme(org)
        assessment.compute(scheme=scheme, actor=org.alice)
        a = Assessment.objects.get(scheme=scheme, unit=org.unit_a)
        assessment.adjust(
            assessment=a, actor=org.alice, delta=Decimal("-12.5"), reason="重点工作未完成"
        )
        assessment.compute(scheme=scheme, actor=org.alice)
    a.refresh_from_db()
    assert a.adjustment == Decimal("-12.50") and a.score == Decimal("87.50")
    assert a.grade == Grade.GOOD
    assert AuditRecord.objects.filter(action="adjust", reason="重点工作未完成").exists()


def test_a_locked_assessment_cannot_change(org):
    scheme = _scheme(org)
    with pytest.raises(Conflict):  # nothing computed yet
        assessment.scheme_transition(scheme=scheme, actor=org.alice, action="lock")
    assessment.compute(scheme=scheme, actor=org.alice)
    assessment.scheme_transition(scheme=scheme, actor=org.alice, action="lock")
    with pytest.raises(Conflict):
        assessment.compute(scheme=scheme, actor=org.alice)
    a = Assessment.objects.filter(scheme=scheme).first()
    with pytest.raises(Conflict):
        assessment.adjust(assessment=a, actor=org.alice, delta=Decimal("1"), reason="x")


def test_a_new_scheme_starts_from_the_defaults(org):
    scheme = assessment.scheme_create(actor=org.alice, year=2027)
    assert scheme.indicators.count() == 8 and scheme.vetoes.count() == 4
    assert sum(i.weight for i in scheme.indicators.all()) == Decimal("100")
    with pytest.raises(Conflict):
        assessment.scheme_create(actor=org.alice, year=2027)


def test_a_vetoed_nominee_needs_an_override_which_is_audited(org):
    from xiaoneng.core.clock import frozen_now

    with frozen_now(at(7, 1)):
        _scheme(org)
        case = _filed_case(org, org.unit_a, "organisational")
        principal = case.subjects.get(person=org.unit_a.principal).person
        n = awards.nominate(
            actor=org.alice, year=YEAR, award="优秀共产党员", unit=org.unit_a, person=principal
        )
        assert any(f["kind"] == "veto" and f["blocking"] for f in n.findings)
        with pytest.raises(Conflict):
            awards.decide(nomination=n, actor=org.alice, action="confirm")
        n = awards.decide(
            nomination=n, actor=org.alice, action="confirm", override_reason="经党组会议研究同意"
        )
    assert n.status == NominationStatus.CONFIRMED
    record = AuditRecord.objects.get(action="override", object_id=str(n.pk))
    assert record.reason == "经党组会议研究同意"


def test_a_clean_nominee_is_confirmed_and_an_open_case_blocks(org):
    clean = awards.nominate(actor=org.bob, year=YEAR, award="优秀服务窗口", unit=org.unit_a)
    assert clean.findings == []
    cases.case_create(actor=org.alice, title="open", unit=org.unit_a)
    blocked = awards.nominate(actor=org.bob, year=YEAR, award="先进单位", unit=org.unit_a)
    assert [f["kind"] for f in blocked.findings] == ["open_case"]
    with pytest.raises(Conflict):
        awards.decide(nomination=blocked, actor=org.alice, action="confirm")
    awards.decide(nomination=blocked, actor=org.alice, action="reject")


def test_a_unit_admin_nominates_inside_its_scope_only(org, api_as):
    r = api_as(org.bob).post(
        "/api/v1/award-nominations",
        {"year": YEAR, "award": "x", "unit": org.unit_b.pk},
        format="json",
    )
    assert r.status_code == 400
    n = awards.nominate(actor=org.bob, year=YEAR, award="x", unit=org.unit_a)
    assert api_as(org.carol).get(f"/api/v1/award-nominations/{n.pk}").status_code == 404
    assert (
        api_as(org.bob)
        .post(f"/api/v1/award-nominations/{n.pk}/confirm", {}, format="json")
        .status_code
        == 403
    )


def test_an_assessment_of_unit_a_is_not_readable_by_unit_b_before_publication(org, api_as):
    scheme = _scheme(org)
    assessment.compute(scheme=scheme, actor=org.alice)
    a = Assessment.objects.get(scheme=scheme, unit=org.unit_a)
    assert api_as(org.alice).get(f"/api/v1/assessments/{a.pk}").status_code == 200
    assert api_as(org.carol).get(f"/api/v1/assessments/{a.pk}").status_code == 404
    assert api_as(org.bob).get(f"/api/v1/assessments/{a.pk}").status_code == 404  # not published
    assessment.scheme_transition(scheme=scheme, actor=org.alice, action="lock")
    assessment.scheme_transition(scheme=scheme, actor=org.alice, action="publish")
    assert api_as(org.bob).get(f"/api/v1/assessments/{a.pk}").status_code == 200
    assert api_as(org.carol).get(f"/api/v1/assessments/{a.pk}").status_code == 404
    ranking = api_as(org.bob).get(f"/api/v1/assessments?scheme={scheme.pk}").json()
    assert {r["unit"] for r in ranking["results"]} == {org.unit_a.pk, org.unit_a_child.pk}


def test_compute_does_not_touch_days_outside_the_year(org):
    scheme = _scheme(org)
    _complaints(org, org.unit_a, on_time=0, late=1)
    Complaint.objects.update(replied_at=at(1, 1) - timedelta(days=2))  # 2025
    assessment.compute(scheme=scheme, actor=org.alice)
    a = Assessment.objects.get(scheme=scheme, unit=org.unit_a)
    assert a.lines.get(indicator__code="c").value is None


def test_a_nominating_unit_never_reads_the_cases_behind_a_veto(org, api_as, client):
    case = cases.case_create(actor=org.alice, title="导诊台无人值守", unit=org.unit_a)
    n = awards.nominate(actor=org.bob, year=YEAR, award="先进单位", unit=org.unit_a)
    for body in (
        api_as(org.bob).get(f"/api/v1/award-nominations/{n.pk}").content.decode(),
        api_as(org.bob).get("/api/v1/award-nominations").content.decode(),
        api_as(org.bob).post(f"/api/v1/award-nominations/{n.pk}/check").content.decode(),
    ):
        assert case.number not in body and "restricted" in body
    client.force_login(org.bob)
    assert case.number not in client.get(f"/accountability/nominations/{n.pk}/").content.decode()
    assert (
        case.number in api_as(org.alice).get(f"/api/v1/award-nominations/{n.pk}").content.decode()
    )
