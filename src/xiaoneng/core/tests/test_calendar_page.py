"""The working-day calendar page: view a year, add/remove days, mark a year entered (audited)."""

from datetime import date

import pytest
from django.urls import reverse

from xiaoneng.core import calendar
from xiaoneng.core.models import AuditRecord, CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db

URL = reverse("org:calendar")


@pytest.fixture(autouse=True)
def fresh_calendar():
    calendar.invalidate()
    yield
    calendar.invalidate()


def post(client, **data):
    return client.post(URL, data)


# --- permission matrix ---------------------------------------------------------------------------
def test_anonymous_users_are_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert reverse("login") in post(client, action="mark", year=2027)["Location"]


@pytest.mark.parametrize("user", ["nobody", "bob", "carol", "leader"])
def test_everyone_logged_in_may_read_but_only_calendar_managers_may_change(client, org, user):
    client.force_login(getattr(org, user))
    response = client.get(URL, {"year": 2026})
    assert response.status_code == 200
    assert 'data-testid="day-form"' not in response.content.decode()
    assert post(client, action="mark", year=2027).status_code == 403
    assert post(client, action="add", date="2027-02-10", kind="holiday").status_code == 403
    day = CalendarDay.objects.filter(date__year=2026).first()
    assert post(client, action="remove", day=day.pk, year=2026).status_code == 403
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert CalendarDay.objects.filter(pk=day.pk).exists()


def test_the_office_sees_the_editing_forms(client, org):
    client.force_login(org.alice)
    html = client.get(URL, {"year": 2026}).content.decode()
    assert 'data-testid="day-form"' in html and 'data-testid="mark-form"' in html


# --- reading -----------------------------------------------------------------------------------------
def test_it_shows_a_years_holidays_and_makeup_days(client, org):
    client.force_login(org.bob)
    response = client.get(URL, {"year": 2026})
    html = response.content.decode()
    assert 'data-entered="1"' in html
    assert 'data-date="2026-10-01" data-kind="holiday"' in html
    assert 'data-date="2026-10-10" data-kind="workday"' in html
    assert date(2026, 10, 1) in {d.date for d in response.context["days"]}
    assert response.context["working_days"] == sum(
        1
        for o in range(date(2026, 1, 1).toordinal(), date(2026, 12, 31).toordinal() + 1)
        if calendar.is_working_day(date.fromordinal(o))
    )


def test_a_year_without_data_is_marked_as_counted_monday_to_friday(client, org):
    client.force_login(org.bob)
    response = client.get(URL, {"year": 2027})
    html = response.content.decode()
    assert 'data-entered="0"' in html and 'data-testid="year-status"' in html
    assert response.context["working_days"] == 261  # Mon–Fri in 2027
    assert 2027 in response.context["years"]


def test_a_bad_year_parameter_falls_back_to_this_year(client, org):
    client.force_login(org.bob)
    assert client.get(URL, {"year": "abc"}).status_code == 200


# --- editing ------------------------------------------------------------------------------------
def test_entering_the_2027_schedule_takes_effect_at_once_and_is_audited(client, org):
    client.force_login(org.alice)
    spring_festival = date(2027, 2, 8)  # a Monday
    assert calendar.is_working_day(spring_festival) is True
    assert calendar.add_working_days(date(2027, 2, 5), 1).uncertain is True

    response = post(client, action="add", date="2027-02-08", kind="holiday", name="春节", year=2027)
    assert response.status_code == 302
    response = post(client, action="add", date="2027-02-20", kind="workday", name="春节", year=2027)
    assert response.status_code == 302
    # Days of a year count once the year is marked as entered.
    assert calendar.is_working_day(spring_festival) is True
    assert post(client, action="mark", year=2027, source="国务院办公厅通知").status_code == 302

    assert calendar.is_working_day(spring_festival) is False
    assert calendar.is_working_day(date(2027, 2, 20)) is True  # make-up Saturday
    assert calendar.add_working_days(date(2027, 2, 5), 1).uncertain is False
    assert CalendarYear.objects.get(year=2027).source == "国务院办公厅通知"

    records = AuditRecord.objects.filter(
        object_type__in=["core.calendarday", "core.calendaryear"]
    ).order_by("id")
    assert [(r.action, r.actor_name) for r in records] == [("create", "alice")] * 3
    assert records[0].after["date"] == "2027-02-08" and records[0].after["kind"] == "holiday"
    page = client.get(URL, {"year": 2027})
    assert 'data-entered="1"' in page.content.decode()


def test_changing_an_existing_day_records_before_and_after(client, org):
    client.force_login(org.alice)
    post(client, action="add", date="2026-10-09", kind="holiday", name="调整", year=2026)
    record = AuditRecord.objects.filter(object_type="core.calendarday").latest("id")
    assert record.action == "create"
    post(client, action="add", date="2026-10-09", kind="holiday", name="国庆节", year=2026)
    record = AuditRecord.objects.filter(object_type="core.calendarday").latest("id")
    assert record.action == "update"
    assert (record.before, record.after) == ({"name": "调整"}, {"name": "国庆节"})


def test_removing_a_day_takes_effect_at_once_and_is_audited(client, org):
    client.force_login(org.alice)
    day = CalendarDay.objects.get(date=date(2026, 10, 1))
    assert calendar.is_working_day(day.date) is False
    assert post(client, action="remove", day=day.pk, year=2026).status_code == 302
    assert not CalendarDay.objects.filter(pk=day.pk).exists()
    assert calendar.is_working_day(date(2026, 10, 1)) is True
    record = AuditRecord.objects.filter(object_type="core.calendarday").latest("id")
    assert record.action == "delete" and record.before["date"] == "2026-10-01"
    assert record.object_id == str(day.pk)


def test_unmarking_a_year_falls_back_to_weekdays(client, org):
    client.force_login(org.alice)
    assert post(client, action="unmark", year=2026).status_code == 302
    assert calendar.is_working_day(date(2026, 10, 1)) is True
    assert AuditRecord.objects.filter(object_type="core.calendaryear", action="delete").exists()


def test_a_makeup_working_day_must_be_a_weekend_and_the_form_keeps_the_input(client, org):
    client.force_login(org.alice)
    response = post(client, action="add", date="2027-03-03", kind="workday", name="错日", year=2027)
    assert response.status_code == 200
    assert "date" in response.context["form"].errors
    html = response.content.decode()
    assert 'data-testid="form-errors"' in html and 'value="错日"' in html
    assert not CalendarDay.objects.filter(date=date(2027, 3, 3)).exists()
