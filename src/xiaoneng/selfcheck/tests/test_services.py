"""Self-inspection rules: checklist answers → ledger issues, learning compliance and group
sessions, 五个一 missing occurrences and the sweep, the ten-rule register, public commitments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from xiaoneng.core import clock
from xiaoneng.core.errors import Conflict, Forbidden, ValidationFailed
from xiaoneng.core.models import AuditRecord, Notification, Person
from xiaoneng.selfcheck import selectors, services
from xiaoneng.selfcheck.models import (
    ChecklistAnswer,
    ChecklistAssignment,
    ChecklistTemplate,
    Commitment,
    LearningKind,
    LearningRecord,
    RecurringActivity,
    RuleType,
)
from xiaoneng.selfcheck.sweep import sweep

pytestmark = pytest.mark.django_db


def at(text: str):
    return clock.parse_instant(text)


# --- seed ---------------------------------------------------------------------------------------------
def test_it_seeds_the_checklists_with_the_item_texts_of_the_seeds(db):
    texts = {
        t.code: [i.text for i in t.items.order_by("number")]
        for t in ChecklistTemplate.objects.all()
    }
    assert texts["wucha-wukan"][0] == "查中心意识,看是否存在不利于营造发展环境、影响加快发展的问题"
    assert len(texts["wucha-wukan"]) == 5
    assert texts["liucha-liukan"][5] == "查自身素质,看是否存在不符合、不适应转型跨越新形势的问题"
    assert texts["liuduizhao-liukan"][4] == "对照“13710”工作制度看效率效果"
    assert texts["wucha"][4] == "五查医护人员医德医风存在的突出问题"
    assert len(texts["banzi-sifangmian"]) == len(texts["jiaoshi-sifangmian"]) == 4
    assert RecurringActivity.objects.filter(frequency="monthly").count() == 3
    assert RecurringActivity.objects.filter(frequency="quarterly").count() == 2


# --- checklists ----------------------------------------------------------------------------------------
def problems(template, *numbers):
    items = {i.number: i for i in template.items.all()}
    return [
        {"item": items[n], "result": "problem", "description": f"第{n}项存在问题"} for n in numbers
    ]


def test_it_turns_two_problem_answers_into_two_linked_ledger_issues_for_the_unit(
    org, wucha, due, fake_ledger
):
    assignment = services.assignment_create(
        actor=org.alice, template=wucha, unit=org.unit_a, due_on=due
    )
    items = list(wucha.items.order_by("number"))
    answers = problems(wucha, 2, 3) + [
        {"item": items[0], "result": "ok"},
        {"item": items[3], "result": "ok"},
    ]
    services.assignment_answer(actor=org.bob, assignment=assignment, answers=answers)

    assert len(fake_ledger.calls) == 2
    assert {c["unit"] for c in fake_ledger.calls} == {org.unit_a}
    assert {c["source"] for c in fake_ledger.calls} == {"self_inspection"}
    linked = assignment.answers.filter(result="problem").order_by("item__number")
    assert [a.issue_id for a in linked] == fake_ledger.ids
    assert len(set(fake_ledger.ids)) == 2
    assert "查服务态度" in fake_ledger.calls[0]["title"]
    assert assignment.answers.filter(result="ok", issue_id__isnull=True).count() == 2
    assignment.refresh_from_db()
    assert assignment.status == ChecklistAssignment.Status.OPEN  # item 5 still unanswered


def test_it_creates_real_ledger_issues_when_the_rectification_app_is_installed(org, wucha, due):
    from xiaoneng.rectification.models import Issue  # type: ignore[import-not-found]

    assignment = services.assignment_create(
        actor=org.alice, template=wucha, unit=org.unit_a, due_on=due
    )
    services.assignment_answer(actor=org.bob, assignment=assignment, answers=problems(wucha, 1, 4))
    ids = list(assignment.answers.values_list("issue_id", flat=True))
    issues = Issue.objects.filter(pk__in=ids)
    assert issues.count() == 2
    assert {i.unit_id for i in issues} == {org.unit_a.pk}
    assert {i.source for i in issues} == {"self_inspection"}
    assert {i.created_by_id for i in issues} == {org.bob.pk}


def test_it_completes_the_checklist_when_every_item_is_answered(org, wucha, due, fake_ledger):
    assignment = services.assignment_create(
        actor=org.alice, template=wucha, unit=org.unit_a, due_on=due
    )
    answers = [{"item": i, "result": "ok"} for i in wucha.items.all()]
    services.assignment_answer(actor=org.bob, assignment=assignment, answers=answers)
    assignment.refresh_from_db()
    assert assignment.status == ChecklistAssignment.Status.COMPLETED
    assert not fake_ledger.calls
    with pytest.raises(Conflict):
        services.assignment_answer(actor=org.bob, assignment=assignment, answers=answers[:1])
    assert AuditRecord.objects.filter(action="complete", object_id=str(assignment.pk)).exists()


def test_it_lists_every_bad_answer_field(org, wucha, due):
    assignment = services.assignment_create(
        actor=org.alice, template=wucha, unit=org.unit_a, due_on=due
    )
    other = ChecklistTemplate.objects.get(code="wucha").items.first()
    with pytest.raises(ValidationFailed) as exc:
        services.assignment_answer(
            actor=org.bob,
            assignment=assignment,
            answers=[
                {"item": wucha.items.first().pk, "result": "problem", "description": " "},
                {"item": other.pk, "result": "maybe"},
            ],
        )
    assert set(exc.value.errors) == {
        "answers.0.description",
        "answers.1.item",
        "answers.1.result",
    }


def test_it_keeps_an_answer_in_the_ledger_from_being_changed(org, wucha, due, fake_ledger):
    assignment = services.assignment_create(
        actor=org.alice, template=wucha, unit=org.unit_a, due_on=due
    )
    services.assignment_answer(actor=org.bob, assignment=assignment, answers=problems(wucha, 1))
    item = wucha.items.get(number=1)
    with pytest.raises(ValidationFailed) as exc:
        services.assignment_answer(
            actor=org.bob, assignment=assignment, answers=[{"item": item, "result": "ok"}]
        )
    assert "answers.0.item" in exc.value.errors


def test_it_lets_only_the_own_unit_or_person_answer(org, wucha, due):
    unit_task = services.assignment_create(
        actor=org.alice, template=wucha, unit=org.unit_a, due_on=due
    )
    ok = [{"item": wucha.items.first(), "result": "ok"}]
    for user in (org.carol, org.alice, org.dave, org.nobody):
        with pytest.raises(Forbidden):
            services.assignment_answer(actor=user, assignment=unit_task, answers=ok)
    teacher = ChecklistTemplate.objects.get(code="jiaoshi-sifangmian")
    personal = services.assignment_create(
        actor=org.bob, template=teacher, person=org.dave.person, due_on=due
    )
    item = teacher.items.first()
    services.assignment_answer(
        actor=org.dave, assignment=personal, answers=[{"item": item, "result": "ok"}]
    )
    with pytest.raises(Forbidden):  # unit admins of other units cannot assign to A's people
        services.assignment_create(
            actor=org.carol, template=teacher, person=org.dave.person, due_on=due
        )
    with pytest.raises(Forbidden):  # only the office assigns to units
        services.assignment_create(actor=org.bob, template=wucha, unit=org.unit_a, due_on=due)


def test_it_lists_overdue_checklists_and_completion_per_unit(org, wucha):
    today = timezone.localdate()
    late = services.assignment_create(
        actor=org.alice, template=wucha, unit=org.unit_a, due_on=today - dt.timedelta(days=1)
    )
    services.assignment_create(
        actor=org.alice, template=wucha, unit=org.unit_b, due_on=today + dt.timedelta(days=1)
    )
    assert list(selectors.overdue_assignments(org.alice)) == [late]
    assert list(selectors.overdue_assignments(org.carol)) == []
    rows = {c.unit: c for c in selectors.completion_by_unit(org.alice)}
    assert rows[org.unit_a].overdue == 1 and rows[org.unit_b].overdue == 0
    assert [c.unit for c in selectors.completion_by_unit(org.bob)] == [org.unit_a]


def test_it_attaches_the_written_self_inspection_material(org, wucha, due, upload):
    assignment = services.assignment_create(
        actor=org.alice, template=wucha, unit=org.unit_a, due_on=due
    )
    file = upload(org.bob)
    services.assignment_attach_material(
        actor=org.bob, assignment=assignment, text="书面自查材料", files=[file]
    )
    assignment.refresh_from_db()
    assert assignment.material_text == "书面自查材料"
    assert list(assignment.material_files.all()) == [file]


# --- learning -------------------------------------------------------------------------------------------
def forty_hours():
    return services.requirement_create(
        actor=None,
        check=False,
        name="个人自学",
        measure="self_study",
        minimum=Decimal(40),
        starts_on=dt.date(2026, 2, 15),
        ends_on=dt.date(2026, 6, 30),
    )


def test_a_person_with_38_of_40_self_study_hours_is_not_compliant(org):
    requirement = forty_hours()
    for hours in (20, 18):
        services.learning_record_create(
            actor=org.dave,
            person=org.dave.person,
            date=dt.date(2026, 3, 1),
            hours=Decimal(hours),
            kind=LearningKind.SELF_STUDY,
            topic="党风廉政相关文件",
        )
    services.learning_record_create(  # outside the counted period
        actor=org.dave,
        person=org.dave.person,
        date=dt.date(2026, 7, 1),
        hours=Decimal(5),
        kind=LearningKind.SELF_STUDY,
        topic="七月自学",
    )
    rows = {r.person: r for r in selectors.compliance(org.alice, requirements=[requirement])}
    dave = rows[org.dave.person]
    assert dave.results[0].actual == Decimal(38)
    assert dave.compliant is False
    services.learning_record_create(
        actor=org.bob,
        person=org.dave.person,
        date=dt.date(2026, 3, 2),
        hours=Decimal(2),
        kind=LearningKind.SELF_STUDY,
        topic="补学",
    )
    rows = {r.person: r for r in selectors.compliance(org.alice, requirements=[requirement])}
    assert rows[org.dave.person].compliant is True


def test_a_group_session_for_30_attendees_adds_hours_to_each(org):
    group = services.requirement_create(
        actor=org.alice,
        name="集中学习",
        measure="group",
        minimum=Decimal(10),
        starts_on=dt.date(2026, 2, 15),
        ends_on=dt.date(2026, 6, 30),
    )
    extra = [Person.objects.create(name=f"职工{i}", unit=org.unit_a) for i in range(25)]
    attendees = [*Person.objects.filter(unit=org.unit_a).exclude(pk__in=[p.pk for p in extra])]
    attendees += extra
    assert len(attendees) == 30
    session = services.group_session_record(
        actor=org.bob,
        unit=org.unit_a,
        attendees=attendees,
        date=dt.date(2026, 3, 10),
        hours=Decimal("2.5"),
        topic="十七届五中全会精神",
    )
    assert LearningRecord.objects.filter(session=session).count() == 30
    rows = selectors.compliance(org.bob, unit=org.unit_a, requirements=[group])
    assert len(rows) == 30
    assert {r.results[0].actual for r in rows} == {Decimal("2.5")}
    by_unit = selectors.compliance_by_unit(rows)
    assert by_unit[0].people == 30 and by_unit[0].compliant == 0


def test_a_group_session_cannot_include_people_outside_the_scope(org):
    with pytest.raises(ValidationFailed) as exc:
        services.group_session_record(
            actor=org.bob,
            unit=org.unit_a,
            attendees=[org.bob.person, org.carol.person],
            date=dt.date(2026, 3, 10),
            hours=Decimal(2),
            topic="学习",
        )
    assert "attendees" in exc.value.errors


def test_it_counts_essays_against_the_essay_requirement(org, upload):
    essays = services.requirement_create(
        actor=org.alice,
        name="心得体会",
        measure="essays",
        minimum=Decimal(1),
        maximum=Decimal(2),
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
    )
    services.learning_record_create(
        actor=org.dave,
        person=org.dave.person,
        date=dt.date(2026, 4, 1),
        hours=Decimal(1),
        kind=LearningKind.SELF_STUDY,
        topic="心得",
        essays=[upload(org.dave, "心得.docx")],
    )
    rows = {r.person: r for r in selectors.compliance(org.alice, requirements=[essays])}
    assert rows[org.dave.person].compliant
    assert not rows[org.bob.person].compliant


# --- 五个一 ------------------------------------------------------------------------------------------------
@pytest.fixture
def film(db) -> RecurringActivity:
    activity = RecurringActivity.objects.get(code="warning-education-film")
    activity.active_from = dt.date(2026, 1, 1)
    activity.save()
    return activity


def test_a_unit_without_last_months_warning_film_is_flagged(org, film):
    with clock.frozen_now(at("2026-10-20T10:00")):
        services.activity_record_create(
            actor=org.carol,
            activity=film,
            unit=org.unit_b,
            held_on=dt.date(2026, 9, 28),
            participant_count=40,
        )
        services.activity_record_create(  # this month's does not cover last month
            actor=org.bob, activity=film, unit=org.unit_a, held_on=dt.date(2026, 10, 8)
        )
    missing = selectors.missing_occurrences(as_of=dt.date(2026, 10, 20))
    flagged = {(m.unit, m.period) for m in missing if m.activity == film}
    assert (org.unit_a, "2026-09") in flagged
    assert (org.unit_a_child, "2026-09") in flagged
    assert (org.unit_b, "2026-09") not in flagged
    assert all(m.unit != org.bureau for m in missing)  # bureaus do not owe 五个一
    quarterly = selectors.missing_occurrences(period="2026-Q3")
    assert {m.activity.frequency for m in quarterly} <= {"quarterly"}
    assert selectors.missing_occurrences(as_of=dt.date(2026, 10, 20), user=org.carol) == [
        m for m in missing if m.unit == org.unit_b
    ]


def test_the_matrix_marks_missing_periods_but_not_the_running_one(org, film):
    with clock.frozen_now(at("2026-10-20T10:00")):
        services.activity_record_create(
            actor=org.bob, activity=film, unit=org.unit_a, held_on=dt.date(2026, 8, 3)
        )
    columns, rows = selectors.activity_matrix(org.bob, film, as_of=dt.date(2026, 10, 20), count=3)
    assert columns == ["2026-08", "2026-09", "2026-10"]
    cells = dict(rows)[org.unit_a]
    assert [c.missing for c in cells] == [False, True, False]
    assert [u for u, _ in rows] == [org.unit_a, org.unit_a_child]


def test_the_sweep_reminds_once_per_missing_occurrence(org, film):
    org.unit_a_child.is_active = False
    org.unit_a_child.save()
    RecurringActivity.objects.exclude(pk=film.pk).update(is_active=False)
    call_command("selfcheck_sweep", now="2026-10-02T08:00")
    keys = set(
        Notification.objects.filter(event="selfcheck.activity_missing").values_list(
            "dedup_key", flat=True
        )
    )
    assert f"selfcheck:activity:{film.pk}:{org.unit_a.pk}:2026-09|inbox|u{org.bob.pk}" in keys
    assert f"selfcheck:activity:{film.pk}:{org.unit_b.pk}:2026-09|inbox|u{org.carol.pk}" in keys
    before = Notification.objects.count()
    result = sweep(at("2026-10-03T08:00"))
    assert result.missing == 2
    assert Notification.objects.count() == before  # deduplicated


def test_recording_an_occurrence_derives_its_period(org, film):
    quarterly = RecurringActivity.objects.get(code="administrative-ward-round")
    with clock.frozen_now(at("2026-11-20T10:00")):
        record = services.activity_record_create(
            actor=org.bob, activity=quarterly, unit=org.unit_a, held_on=dt.date(2026, 11, 5)
        )
        assert record.period == "2026-Q4"
        with pytest.raises(ValidationFailed):
            services.activity_record_create(
                actor=org.bob, activity=film, unit=org.unit_a, held_on=dt.date(2026, 12, 1)
            )
        with pytest.raises(Forbidden):
            services.activity_record_create(
                actor=org.bob, activity=film, unit=org.unit_b, held_on=dt.date(2026, 11, 1)
            )


# --- institution register ---------------------------------------------------------------------------------
def test_the_register_shows_which_of_the_ten_rules_each_unit_lacks(org):
    for rule_type in (RuleType.POST_RESPONSIBILITY, RuleType.FIRST_INQUIRY):
        services.rule_create(
            actor=org.bob, unit=org.unit_a, rule_type=rule_type, adopted_on=dt.date(2026, 3, 1)
        )
    services.rule_create(
        actor=org.bob,
        unit=org.unit_a,
        rule_type=RuleType.CUSTOM,
        name="院长接待日制度",
        adopted_on=dt.date(2026, 3, 1),
    )
    rows = {r.unit: r for r in selectors.register(org.alice)}
    assert len(rows[org.unit_a].missing) == 8
    assert RuleType.FIRST_INQUIRY not in rows[org.unit_a].missing
    assert RuleType.TIME_LIMIT in rows[org.unit_a].missing
    assert [r.name for r in rows[org.unit_a].custom] == ["院长接待日制度"]
    assert len(rows[org.unit_b].missing) == 10
    assert [r.label for r in rows[org.unit_b].missing][:3] == [
        "岗位责任制",
        "服务承诺制",
        "限时办结制",
    ]
    assert {r.unit for r in selectors.register(org.carol)} == {org.unit_b}


def test_the_sweep_reminds_of_rules_due_for_review_once(org):
    rule = services.rule_create(
        actor=org.bob,
        unit=org.unit_a,
        rule_type=RuleType.TIME_LIMIT,
        adopted_on=dt.date(2025, 11, 1),
        next_review_on=dt.date(2026, 11, 10),
        owner=org.bob.person,
    )
    RecurringActivity.objects.update(is_active=False)
    assert sweep(at("2026-10-01T08:00")).reviews == 0
    assert sweep(at("2026-11-01T08:00")).reviews == 1
    sweep(at("2026-11-02T08:00"))
    assert (
        Notification.objects.filter(
            event="selfcheck.rule_review", recipient=org.bob, channel="inbox"
        ).count()
        == 1
    )
    services.rule_update(actor=org.bob, rule=rule, next_review_on=dt.date(2027, 11, 10))
    assert sweep(at("2026-11-03T08:00")).reviews == 0


# --- commitments --------------------------------------------------------------------------------------------
def test_public_commitments_name_the_person_only_with_consent(org):
    common = {"committed_on": dt.date(2026, 5, 1), "audience": "notice_board", "is_public": True}
    services.commitment_create(
        actor=org.dave, person=org.dave.person, content="限时办结", person_consents=True, **common
    )
    services.commitment_create(actor=org.bob, person=org.bob.person, content="首问负责", **common)
    services.commitment_create(actor=org.bob, unit=org.unit_a, content="单位承诺", **common)
    services.commitment_create(
        actor=org.carol,
        unit=org.unit_b,
        content="内部承诺",
        committed_on=dt.date(2026, 5, 1),
        audience="leader",
    )
    shown = {c.content: c for c in selectors.public_commitments()}
    assert set(shown) == {"限时办结", "首问负责", "单位承诺"}
    assert shown["限时办结"].person_name == "大卫"
    assert shown["首问负责"].person_name == ""
    assert shown["单位承诺"].unit_name == "甲医院"


def test_a_commitment_is_reviewed_by_the_office_or_the_persons_unit(org, upload):
    mine = services.commitment_create(
        actor=org.dave,
        person=org.dave.person,
        content="服务承诺",
        committed_on=dt.date(2026, 5, 1),
        audience="leader",
    )
    with pytest.raises(Forbidden):
        services.commitment_review(actor=org.dave, commitment=mine, fulfilment="fulfilled")
    with pytest.raises(Forbidden):
        services.commitment_review(actor=org.carol, commitment=mine, fulfilment="fulfilled")
    with pytest.raises(ValidationFailed) as exc:
        services.commitment_review(actor=org.bob, commitment=mine, fulfilment="partial")
    assert "note" in exc.value.errors
    services.commitment_review(
        actor=org.bob,
        commitment=mine,
        fulfilment="partial",
        note="部分兑现",
        evidence=[upload(org.bob)],
    )
    mine.refresh_from_db()
    assert mine.fulfilment == Commitment.Fulfilment.PARTIAL
    unit_commitment = services.commitment_create(
        actor=org.bob,
        unit=org.unit_a,
        content="单位承诺",
        committed_on=dt.date(2026, 5, 1),
        audience="website",
    )
    with pytest.raises(Forbidden):  # a unit does not review its own commitment
        services.commitment_review(
            actor=org.bob, commitment=unit_commitment, fulfilment="fulfilled"
        )
    services.commitment_review(actor=org.alice, commitment=unit_commitment, fulfilment="fulfilled")


def test_problem_answers_without_their_issue_are_linked_by_the_sweep(org, wucha, due, monkeypatch):
    assignment = services.assignment_create(
        actor=org.alice, template=wucha, unit=org.unit_a, due_on=due
    )
    services.assignment_answer(actor=org.bob, assignment=assignment, answers=problems(wucha, 1))
    answer = assignment.answers.get()
    # recorded before the ledger link existed (e.g. carried over by the migration)
    ChecklistAnswer.objects.filter(pk=answer.pk).update(issue=None)
    from .conftest import FakeLedger

    fake = FakeLedger(monkeypatch)
    RecurringActivity.objects.update(is_active=False)
    assert sweep(clock.now()).issues == 1
    answer.refresh_from_db()
    assert answer.issue_id == fake.ids[0]
    assert sweep(clock.now()).issues == 0
    assert fake.calls[0]["actor"] == org.bob


def test_the_sweep_reminds_the_person_of_an_overdue_personal_checklist_once(org):
    RecurringActivity.objects.update(is_active=False)
    teacher = ChecklistTemplate.objects.get(code="jiaoshi-sifangmian")
    assignment = services.assignment_create(
        actor=org.bob, template=teacher, person=org.dave.person, due_on=dt.date(2026, 6, 30)
    )
    assert sweep(at("2026-06-30T09:00")).overdue == 0
    assert sweep(at("2026-07-01T09:00")).overdue == 1
    sweep(at("2026-07-02T09:00"))
    rows = Notification.objects.filter(event="selfcheck.checklist_overdue", channel="inbox")
    assert [(n.recipient, n.dedup_key) for n in rows] == [
        (org.dave, f"selfcheck:checklist-overdue:{assignment.pk}|inbox|u{org.dave.pk}")
    ]
