"""Democratic evaluation: weighted scores, one-time ballots, the consequence ladder (seed 001)
and the ranking rule (seed 000), and what confirming a consequence creates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from xiaoneng.core.clock import frozen_now
from xiaoneng.core.errors import Conflict, Forbidden, ValidationFailed
from xiaoneng.core.services import org as org_services
from xiaoneng.evaluations import selectors
from xiaoneng.evaluations.models import Ballot, Consequence
from xiaoneng.evaluations.services import consequences as consequence_services
from xiaoneng.evaluations.services import rounds as services
from xiaoneng.rectification.models import Issue, RectificationItem

from .conftest import GROUPS, at, run_round

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


GOOD = ["satisfied"] * 3
POOR = ["unsatisfied"] * 3


def ladder_of(made, person) -> list[str]:
    return list(
        Consequence.objects.filter(round=made, subject__person=person, source="ladder").values_list(
            "measure", flat=True
        )
    )


def test_the_ladder_climbs_with_consecutive_poor_results_and_restarts_after_a_good_one(org):
    person = org.erin.person
    results = [POOR, POOR, POOR, GOOD, POOR, POOR]
    expected = [
        ["reminder_letter"],
        ["admonishing_talk"],
        ["removal"],
        [],
        ["reminder_letter"],
        ["admonishing_talk"],
    ]
    seen = []
    for i, ratings in enumerate(results):
        made = run_round(
            org, title=f"第{i + 1}轮", ends_on=dt.date(2026, 1 + i, 28), kind="person",
            people=[person], ratings={person: ratings},
        )  # fmt: skip
        seen.append(ladder_of(made, person))
    assert seen == expected


def test_a_fourth_poor_result_in_a_row_still_proposes_removal(org):
    person = org.erin.person
    for i in range(4):
        made = run_round(org, title=f"R{i}", ends_on=dt.date(2026, 1 + i, 28), kind="person",
                         people=[person], ratings={person: POOR})  # fmt: skip
    assert ladder_of(made, person) == ["removal"]


def test_other_series_do_not_count(org):
    person = org.erin.person
    run_round(org, title="甲", ends_on=dt.date(2026, 1, 28), kind="person", series="甲系列",
              people=[person], ratings={person: POOR})  # fmt: skip
    made = run_round(org, title="乙", ends_on=dt.date(2026, 2, 28), kind="person", series="乙系列",
                     people=[person], ratings={person: POOR})  # fmt: skip
    assert ladder_of(made, person) == ["reminder_letter"]


def test_scores_are_the_weighted_mean_of_the_groups(org):
    # every group: one 满意 (100) and one 基本满意 (70) → 85 in each group → 85
    made = run_round(org, title="W", ends_on=dt.date(2026, 3, 31), units=[org.unit_a, org.unit_b],
                     ratings={org.unit_a: ["satisfied", "basically_satisfied"],
                              org.unit_b: ["unsatisfied", "basically_satisfied"]})  # fmt: skip
    subjects = {s.unit: s for s in made.subjects.all()}
    assert subjects[org.unit_a].score == Decimal("85.00")
    assert subjects[org.unit_a].grade_label == "好" and subjects[org.unit_a].rank == 1
    assert subjects[org.unit_b].score == Decimal("35.00")
    assert subjects[org.unit_b].is_poor and subjects[org.unit_b].rank == 2


def test_groups_weigh_differently(org):
    made = services.round_create(
        actor=org.alice, title="权重", series="权重", subject_kind="unit", period_label="2026",
        starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 3, 31), groups=GROUPS,
        units=[org.unit_a],
    )  # fmt: skip
    services.round_open(actor=org.alice, round=made)
    subject = made.subjects.get()
    by_name = {g.name: g for g in made.groups.all()}
    for name, rating in (
        ("服务对象", "satisfied"),
        ("行风监督员", "unsatisfied"),
        ("同级互评", "unsatisfied"),
    ):
        link = services.tokens_create(actor=org.alice, round=made, group=by_name[name], count=1)[0]
        services.ballot_submit(token=link.token, marks={subject.pk: rating})
    services.round_close(actor=org.alice, round=made)
    subject.refresh_from_db()
    assert subject.score == Decimal("40.00")  # 0.4 × 100 + 0.3 × 0 + 0.3 × 0


def test_a_ballot_link_votes_once(org):
    made = services.round_create(
        actor=org.alice, title="一次", series="一次", subject_kind="unit", period_label="2026",
        starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 3, 31), groups=GROUPS,
        units=[org.unit_a],
    )  # fmt: skip
    services.round_open(actor=org.alice, round=made)
    link = services.tokens_create(actor=org.alice, round=made, group=made.groups.first(), count=1)[
        0
    ]
    subject = made.subjects.get()
    services.ballot_submit(token=link.token, marks={subject.pk: "satisfied"})
    with pytest.raises(Conflict) as exc:
        services.ballot_submit(token=link.token, marks={subject.pk: "unsatisfied"})
    assert "已使用" in exc.value.detail
    assert Ballot.objects.filter(round=made).count() == 1


def test_weights_must_add_up_to_100(org):
    with pytest.raises(ValidationFailed) as exc:
        services.round_create(
            actor=org.alice, title="x", series="x", subject_kind="unit", period_label="x",
            starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 1, 2),
            groups=[("服务对象", 40), ("监督员", 30)], units=[org.unit_a],
        )  # fmt: skip
    assert "groups" in exc.value.errors


def seven_units(org):
    extra = [
        org_services.unit_create(actor=None, check=False, name=f"丙{i}中心", code=f"UX{i}",
                                 parent=org.bureau)
        for i in range(4)
    ]  # fmt: skip
    return [org.unit_a, org.unit_b, org.unit_a_child, *extra]


def ranking_round(org):
    units = seven_units(org)
    scores = [GOOD, GOOD, GOOD, ["satisfied", "basically_satisfied", "satisfied"],
              ["basically_satisfied"] * 3, ["unsatisfied", "basically_satisfied", "unsatisfied"],
              POOR]  # fmt: skip
    # unit_a is ranked last: the order is reversed so unit A takes the worst ratings
    ratings = dict(zip(reversed(units), scores, strict=True))
    made = run_round(org, title="政风行风评议", ends_on=dt.date(2026, 6, 30), units=units,
                     ratings=ratings)  # fmt: skip
    return made, units


def test_the_ranking_rule_praises_the_top_and_admonishes_the_bottom_three(org):
    made, units = ranking_round(org)
    ranking = list(made.subjects.order_by("rank", "id"))
    assert ranking[-1].unit == org.unit_a
    ranked = Consequence.objects.filter(round=made, source="ranking")
    praised = {c.subject.unit for c in ranked.filter(measure="commendation")}
    assert praised == {s.unit for s in ranking[:3]}
    bottom = {s.unit for s in ranking[-3:]}
    assert {c.subject.unit for c in ranked.filter(measure="admonishing_talk")} == bottom
    assert {c.subject.unit for c in ranked.filter(measure="rectification")} == bottom
    talk_a = ranked.get(measure="admonishing_talk", subject__unit=org.unit_a)
    assert talk_a.person == org.unit_a.principal  # the principal leader
    assert all(c.status == "proposed" for c in Consequence.objects.filter(round=made))


def test_confirming_a_bottom_three_rectification_opens_a_ledger_issue_with_a_deadline(org):
    made, _units = ranking_round(org)
    proposals = Consequence.objects.filter(round=made, measure="rectification")
    assert proposals.count() == 3 and not Issue.objects.exists()
    with frozen_now(at(2026, 7, 1, 9)):
        for c in proposals:
            consequence_services.consequence_confirm(actor=org.alice, consequence=c)
    issues = Issue.objects.filter(source="evaluation")
    assert issues.count() == 3
    items = RectificationItem.objects.filter(issue__in=issues)
    assert items.count() == 3
    assert all(i.deadline.date() == dt.date(2026, 7, 31) for i in items)  # 30 natural days
    c = Consequence.objects.get(round=made, measure="rectification", subject__unit=org.unit_a)
    assert c.issue.unit == org.unit_a and c.deadline == items.get(issue=c.issue).deadline
    assert c.document_number.startswith("XQZG2026")
    assert items.get(issue=c.issue).responsible_leader == org.unit_a.principal


def test_only_the_office_decides_and_a_decision_is_final(org):
    made, _units = ranking_round(org)
    c = Consequence.objects.filter(round=made, measure="commendation").first()
    with pytest.raises(Forbidden):
        consequence_services.consequence_confirm(actor=org.bob, consequence=c)
    with pytest.raises(ValidationFailed):
        consequence_services.consequence_dismiss(actor=org.alice, consequence=c, note="")
    consequence_services.consequence_dismiss(actor=org.alice, consequence=c, note="得分并列")
    with pytest.raises(Conflict):
        consequence_services.consequence_confirm(actor=org.alice, consequence=c)


def test_confirmed_consequences_are_exposed_for_accountability(
    org, django_capture_on_commit_callbacks
):
    made, _units = ranking_round(org)
    received = []

    def listen(sender, consequence, **kw):
        received.append(consequence.pk)

    consequence_services.consequence_confirmed.connect(listen)
    c = Consequence.objects.filter(round=made, measure="admonishing_talk").first()
    with django_capture_on_commit_callbacks(execute=True):
        consequence_services.consequence_confirm(actor=org.alice, consequence=c)
    consequence_services.consequence_confirmed.disconnect(listen)
    assert received == [c.pk]
    assert [x.pk for x in selectors.confirmed_consequences()] == [c.pk]


def test_closing_twice_is_a_conflict(org):
    made, _units = ranking_round(org)
    with pytest.raises(Conflict):
        services.round_close(actor=org.alice, round=made)


def test_a_person_evaluated_sees_the_round_and_only_their_own_result(org):
    person = org.erin.person
    made = run_round(org, title="个人", ends_on=dt.date(2026, 2, 28), kind="person",
                     people=[person, org.bob.person], ratings={person: POOR, org.bob.person: GOOD})  # fmt: skip
    assert selectors.get_round(org.erin, made.pk) == made
    assert [s.person for s in selectors.subjects_of(org.erin, made)] == [person]
    assert [c.person for c in selectors.consequences_for(org.erin)] == [person]
    assert not selectors.rounds_for(org.dave).exists()
