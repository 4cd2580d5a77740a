"""创先争优 (seed 004, issue 20): a star rating follows its criteria (rules as data); a vetoed
优秀共产党员 nominee is blocked by the accountability awards check; party members carry their
commitments, 亮身份 and posts; the seed 004 campaign template exists."""

from __future__ import annotations

from decimal import Decimal

import pytest

from xiaoneng.accountability.tests.test_assessment import YEAR, _filed_case, _scheme, at
from xiaoneng.accountability.vocab import NominationStatus
from xiaoneng.campaigns.models import CampaignTemplate
from xiaoneng.core.clock import frozen_now
from xiaoneng.core.errors import Conflict, Forbidden, NotFound, ValidationFailed

from .. import services
from ..models import StarLevelRule, StarRating, StarScheme
from .helpers import member, organisation, scores, window_scheme

pytestmark = pytest.mark.django_db


def _rate(org, *values, scheme=None):
    scheme = scheme or window_scheme()
    return services.rating_create(
        actor=org.bob, scheme=scheme, year=2026, unit=org.unit_a,
        subject_name="门诊收费窗口", scores=scores(scheme, *values),
    )  # fmt: skip


def test_a_star_rating_follows_its_criteria(org):
    # star-window rules (seed): 5★ ≥95 and every criterion ≥80 %; 4★ ≥90 and ≥70 %; 3★ ≥80 and
    # ≥60 %; 2★ ≥70; 1★ ≥60 (five criteria of 20)
    assert _rate(org, 20, 19, 19, 19, 19).stars == 5  # 96, all ≥ 16
    r = _rate(org, 20, 20, 20, 20, 15)  # 95 but 15 < 16 (80 %) on one criterion → not 5★
    assert (r.total, r.stars) == (Decimal("95"), 4)
    assert _rate(org, 20, 20, 20, 20, 11).stars == 2  # 91, one at 55 % (<60 %) → only 2★
    assert _rate(org, 12, 12, 12, 12, 11).stars == 0  # 59 → no star


def test_the_rules_are_data_an_administrator_edits(org):
    scheme = window_scheme()
    StarLevelRule.objects.filter(scheme=scheme, stars=5).update(min_total=99)
    assert _rate(org, 20, 19, 19, 19, 19).stars == 4


def test_scores_outside_the_criteria_are_refused(org):
    scheme = window_scheme()
    with pytest.raises(ValidationFailed) as exc:
        services.rating_create(
            actor=org.bob, scheme=scheme, year=2026, unit=org.unit_a, subject_name="x",
            scores=scores(scheme, 21, 20, 20, 20, 20),
        )  # fmt: skip
    assert f"score_{scheme.criteria.first().pk}" in exc.value.errors
    partial = dict(list(scores(scheme, 1, 1, 1, 1, 1).items())[:4])
    with pytest.raises(ValidationFailed):
        services.rating_create(actor=org.bob, scheme=scheme, year=2026, unit=org.unit_a,
                               subject_name="x", scores=partial)  # fmt: skip


def test_the_office_confirms_a_rating(org):
    r = _rate(org, 20, 19, 19, 19, 19)
    with pytest.raises(Forbidden):
        services.rating_act(actor=org.bob, rating=r, action="confirm")
    services.rating_act(actor=org.alice, rating=r, action="confirm")
    r.refresh_from_db()
    assert r.status == "confirmed" and r.stars == 5
    with pytest.raises(Conflict):
        services.rating_act(actor=org.alice, rating=r, action="confirm")


def test_a_vetoed_outstanding_party_member_nominee_is_blocked(org):
    with frozen_now(at(7, 1)):
        _scheme(org)  # the year's assessment with the 免职 (organisational measure) veto
        _filed_case(org, org.unit_a, "organisational")  # against unit A's principal
        branch = organisation(org)
        m = member(org, branch, person=org.unit_a.principal)
        n = services.nominate(actor=org.bob, year=YEAR, award="member", organisation=branch,
                              member=m)  # fmt: skip
        assert n.nomination.award == "优秀共产党员" and n.nomination.person == m.person
        assert any(f["kind"] == "veto" and f["blocking"] for f in n.nomination.findings)
        with pytest.raises(Conflict):
            services.decide(actor=org.alice, nomination=n, action="confirm")
        n.nomination.refresh_from_db()
        assert n.nomination.status == NominationStatus.NOMINATED
        # a clean member of the same branch goes through
        clean = member(org, branch, person=org.dave.person)
        ok = services.nominate(actor=org.bob, year=YEAR, award="member", organisation=branch,
                               member=clean)  # fmt: skip
        assert services.decide(actor=org.alice, nomination=ok, action="confirm").status == (
            NominationStatus.CONFIRMED
        )


def test_a_vetoed_nominee_is_blocked_through_the_page_and_the_api(org, client, api_as):
    with frozen_now(at(7, 1)):
        _scheme(org)
        _filed_case(org, org.unit_a, "organisational")
        branch = organisation(org)
        m = member(org, branch, person=org.unit_a.principal)
        n = services.nominate(actor=org.bob, year=YEAR, award="member", organisation=branch,
                              member=m)  # fmt: skip
        response = api_as(org.alice).post(f"/api/v1/party-nominations/{n.pk}/confirm", {},
                                          format="json")  # fmt: skip
        assert response.status_code == 409
        client.force_login(org.alice)
        client.post(f"/party/nominations/{n.pk}/confirm/")
        n.nomination.refresh_from_db()
        assert n.nomination.status == NominationStatus.NOMINATED


def test_a_member_carries_commitment_identity_and_post(org, client):
    branch = organisation(org)
    m = member(org, branch)
    assert m.shows_identity and m.post == "model" and m.commitment
    with pytest.raises(ValidationFailed):
        services.member_save(actor=org.bob, organisation=branch, person=org.carol.person)
    with pytest.raises(NotFound):
        services.organisation_create(actor=org.carol, unit=org.unit_a, name="x")
    client.force_login(org.bob)
    page = client.get(f"/party/organisations/{branch.pk}/").content.decode()
    assert "收费窗口党员示范岗" in page and "首问负责，限时办结" in page


def test_a_leaders_contact_point_records_visits(org):
    point = services.contact_create(actor=org.alice, leader=org.leader.person, unit=org.unit_a)
    with frozen_now(at(7, 1)):
        services.visit_record(actor=org.leader, point=point, visited_on=at(6, 30).date(),
                              findings="候诊区座椅不足", help_given="协调增加座椅")  # fmt: skip
        with pytest.raises(Forbidden):
            services.visit_record(actor=org.bob, point=point, visited_on=at(6, 30).date(),
                                  findings="x")  # fmt: skip
    assert point.visits.count() == 1


def test_the_seed_004_campaign_template_exists():
    template = CampaignTemplate.objects.get(code="chuangxian-zhengyou")
    assert template.name == "为民服务创先争优活动"
    assert [p["name"] for p in template.spec["phases"]][1] == "推行“三亮”"


def test_the_work_home_lists_ratings_to_confirm_for_the_office(org):
    from xiaoneng.core import workhome

    _rate(org, 20, 19, 19, 19, 19)
    assert {w.key: w.count for w in workhome.collect(org.alice)}.get("party.to_confirm") == 1
    assert "party.to_confirm" not in {w.key for w in workhome.collect(org.bob)}


def test_the_dashboard_counts_ratings_by_scheme_and_level(org):
    import datetime as dt

    from xiaoneng.core import statistics
    from xiaoneng.reports import params as filters

    _rate(org, 20, 19, 19, 19, 19)
    _rate(org, 20, 20, 20, 20, 15)
    _rate(org, 12, 12, 12, 12, 11)
    statistics.discover()
    source = next(s for s in statistics.sources_for(org.bob) if s.key == "party.star_ratings")
    params = filters.parse(org.bob, {"start": "2026-01-01", "end": "2026-12-31"},
                           today=dt.date(2026, 12, 1))  # fmt: skip
    rows = source.run(org.bob, params).rows
    assert rows == [{"scheme": "星级示范窗口", "5": 1, "4": 1, "3": 0, "2": 0, "1": 0, "0": 1}]
    assert source.run(org.carol, filters.parse(org.carol, {"start": "2026-01-01",
                      "end": "2026-12-31"}, today=dt.date(2026, 12, 1))).rows == []  # fmt: skip


def test_the_api_rates_and_nominates(org, api_as):
    scheme = window_scheme()
    body = {
        "scheme": scheme.pk,
        "year": 2026,
        "unit": org.unit_a.pk,
        "subject_name": "挂号窗口",
        "scores": scores(scheme, 20, 19, 19, 19, 19),
    }
    response = api_as(org.bob).post("/api/v1/star-ratings", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["stars"] == 5
    body["stars"] = 1  # read-only: the stars follow the criteria, never the caller
    assert api_as(org.bob).post("/api/v1/star-ratings", body, format="json").json()["stars"] == 5
    branch = organisation(org)
    created = api_as(org.bob).post(
        "/api/v1/party-nominations",
        {"award": "organisation", "organisation": branch.pk, "year": 2026},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "nominated"
    other = api_as(org.carol).post(
        "/api/v1/party-nominations",
        {"award": "organisation", "organisation": branch.pk, "year": 2026},
        format="json",
    )
    assert other.status_code == 400  # unit A's branch is not in unit B's scope


def test_the_rating_page_scores_the_chosen_schemes_criteria(org, client):
    scheme = window_scheme()
    client.force_login(org.bob)
    page = client.get(f"/party/ratings/?scheme={scheme.pk}").content.decode()
    assert "比技能：业务熟练、限时办结、首问负责（20）" in page
    nurse = StarScheme.objects.get(code="star-nurse").criteria.first()
    assert f'name="score_{nurse.pk}"' not in page  # only the chosen scheme's criteria
    data = {"year": 2026, "unit": org.unit_a.pk, "subject_name": "住院收费窗口"}
    data |= {f"score_{k}": v for k, v in scores(scheme, 20, 19, 19, 19, 19).items()}
    response = client.post(f"/party/ratings/?scheme={scheme.pk}", data)
    assert response.status_code == 302
    rating = StarRating.objects.get(subject_name="住院收费窗口")
    assert (rating.total, rating.stars) == (Decimal("96"), 5)


def test_a_repeated_rating_with_the_same_idempotency_key_is_recorded_once(org, api_as):
    scheme = window_scheme()
    body = {"scheme": scheme.pk, "year": 2026, "unit": org.unit_a.pk, "subject_name": "药房窗口",
            "scores": scores(scheme, 18, 18, 18, 18, 18)}  # fmt: skip
    api = api_as(org.bob)
    for _ in range(2):
        response = api.post("/api/v1/star-ratings", body, format="json",
                            headers={"Idempotency-Key": "rate-1"})  # fmt: skip
        assert response.status_code == 201
    assert StarRating.objects.filter(subject_name="药房窗口").count() == 1
