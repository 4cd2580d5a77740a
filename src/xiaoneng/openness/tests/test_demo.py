"""The demo county comes with a reception roster (one visit recorded as a complaint), an
approved 院务公开 page and one awaiting approval (openness), and 创先争优 data (party):
organisations, members, star ratings, nominations and a contact point — through the real
services; the public pages and the staff pages render them."""

import pytest
from django.db import transaction

from xiaoneng.core.demo import load_demo_county
from xiaoneng.core.models import User
from xiaoneng.openness import demo as openness_demo
from xiaoneng.openness.models import Disclosure, ReceptionDay, ReceptionVisit
from xiaoneng.party import demo as party_demo
from xiaoneng.party.models import (
    ContactPoint,
    PartyMember,
    PartyNomination,
    PartyOrganisation,
    StarRating,
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        assert load_demo_county() is True
        yield
        transaction.set_rollback(True)


def test_the_demo_has_a_roster_a_visit_and_pages(demo, db, client):
    assert ReceptionDay.objects.count() >= 4
    visit = ReceptionVisit.objects.select_related("complaint").get()
    assert visit.complaint.channel == "reception_day"
    assert set(Disclosure.objects.values_list("status", flat=True)) == {"approved", "submitted"}
    page = client.get("/public/openness/units/QS-RMYY/").content.decode()
    assert "普通门诊诊查费" in page
    assert client.get("/public/openness/units/QS-ZYYY/").status_code == 404  # not approved
    roster = client.get("/public/openness/reception/").content.decode()
    assert "接待室" in roster
    assert openness_demo.load_demo(now=visit.recorded_at) == 0


def test_the_demo_has_party_building(demo, db, client):
    assert PartyOrganisation.objects.count() == 4
    assert PartyMember.objects.exclude(post="").exists()
    assert set(StarRating.objects.values_list("scheme__code", flat=True)) == {
        "star-window",
        "star-nurse",
        "star-department",
    }
    assert StarRating.objects.filter(stars__gte=4).exists()
    assert PartyNomination.objects.count() == 3
    blocked = PartyNomination.objects.get(award="member").nomination
    assert blocked.status == "nominated" and any(f["blocking"] for f in blocked.findings)
    assert ContactPoint.objects.filter(visits__isnull=False).exists()
    from xiaoneng.core import clock

    assert party_demo.load_demo(now=clock.now()) == 0


@pytest.mark.parametrize(
    "url",
    [
        "/openness/reception/",
        "/openness/disclosures/",
        "/party/",
        "/party/ratings/",
        "/party/nominations/",
        "/party/contacts/",
    ],
)
def test_the_staff_pages_render_for_the_office(demo, db, client, url):
    client.force_login(User.objects.get(username="office"))
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("username", ["office", "hosp1", "leader"])
def test_no_page_of_openness_or_party_shows_a_raw_code(demo, db, client, username):
    from xiaoneng.core.tests.test_no_raw_codes import SNAKE, WORD, status_codes, visible_text
    from xiaoneng.openness.models import Disclosure, ReceptionDay
    from xiaoneng.party.models import ContactPoint, PartyOrganisation

    client.force_login(User.objects.get(username=username))
    urls = [
        "/openness/reception/",
        f"/openness/reception/{ReceptionDay.objects.filter(visits__isnull=False).first().pk}/",
        "/openness/disclosures/",
        *[f"/openness/disclosures/{d.pk}/" for d in Disclosure.objects.all()],
        "/party/",
        f"/party/organisations/{PartyOrganisation.objects.order_by('id').last().pk}/",
        "/party/ratings/",
        "/party/nominations/",
        "/party/contacts/",
        f"/party/contacts/{ContactPoint.objects.first().pk}/",
        "/public/openness/",
        "/public/openness/reception/",
        "/public/openness/units/QS-RMYY/",
    ]
    codes = status_codes()
    found: dict[str, set[str]] = {}
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:
            continue
        page = response.content.decode()
        text = visible_text(page)
        bad = set(SNAKE.findall(text)) | (set(WORD.findall(text)) & codes)
        if ">---------<" in page:
            bad.add("---------")
        if bad:
            found[url] = bad
    assert found == {}
