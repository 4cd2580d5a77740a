from datetime import UTC, date, datetime

import pytest
from django.utils import timezone

from xiaoneng.core import calendar
from xiaoneng.core.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db


def at(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def test_it_skips_the_national_day_holiday_and_counts_the_makeup_saturday():
    # 1–7 October 2026 are holidays; Saturday 10 October is a make-up working day.
    result = calendar.add_working_days(at(2026, 9, 30, 17, 0), 3)
    assert result.at == at(2026, 10, 10, 23, 59, 59)
    assert result.uncertain is False


def test_an_instant_is_counted_from_its_local_date_whatever_its_zone():
    from zoneinfo import ZoneInfo

    # Friday 2026-10-09 16:30 UTC is already Saturday 10 October (a make-up day) in Shanghai.
    utc = datetime(2026, 10, 9, 16, 30, tzinfo=UTC)
    expected = at(2026, 10, 12, 23, 59, 59)
    assert calendar.add_working_days(utc, 1).at == expected
    assert calendar.add_working_days(utc.astimezone(ZoneInfo("Asia/Tokyo")), 1).at == expected
    assert (
        calendar.add_working_days(datetime(2026, 10, 10, 0, 30), 1).at == expected
    )  # naive: local
    # Half an hour earlier it is still Friday locally.
    earlier = datetime(2026, 10, 9, 15, 59, tzinfo=UTC)
    assert calendar.add_working_days(earlier, 1).at == at(2026, 10, 10, 23, 59, 59)


def test_every_day_of_the_table_agrees_with_a_day_by_day_walk():
    cal = calendar.get_calendar()
    day = date(2025, 12, 1)
    while day < date(2027, 2, 1):
        for n in (1, 4, 12):
            walked, left = day, n
            while left:
                walked = walked.fromordinal(walked.toordinal() + 1)
                left -= cal.is_working_day(walked)
            result = cal.add_working_days(day, n)
            assert result.at == at(walked.year, walked.month, walked.day, 23, 59, 59)
            assert result.uncertain == (walked.year == 2027)
        day = day.fromordinal(day.toordinal() + 1)


def test_it_knows_holidays_weekends_and_makeup_days():
    assert calendar.is_working_day(date(2026, 10, 1)) is False
    assert calendar.is_working_day(date(2026, 10, 10)) is True  # Saturday, make-up
    assert calendar.is_working_day(date(2026, 10, 11)) is False  # Sunday
    assert calendar.is_working_day(date(2026, 9, 29)) is True


def test_ten_working_days_from_the_eve_of_national_day():
    assert calendar.add_working_days(at(2026, 9, 30, 17, 0), 10).at == at(2026, 10, 20, 23, 59, 59)


def test_a_year_without_data_falls_back_to_weekdays_and_is_flagged_uncertain():
    result = calendar.add_working_days(at(2026, 12, 30, 10, 0), 5)
    # 31 Dec 2026 is known; 2027 is not, so Mon–Fri: 1, 4, 5, 6 January.
    assert result.at == at(2027, 1, 6, 23, 59, 59)
    assert result.uncertain is True
    assert calendar.is_working_day(date(2027, 6, 14)) is True  # never raises


def test_entering_the_2027_schedule_changes_the_answer_at_once():
    CalendarYear.objects.create(year=2027, source="国务院办公厅通知")
    CalendarDay.objects.create(date=date(2027, 1, 1), kind=CalendarDay.Kind.HOLIDAY, name="元旦")
    result = calendar.add_working_days(at(2026, 12, 30, 10, 0), 5)
    assert result.at == at(2027, 1, 7, 23, 59, 59)
    assert result.uncertain is False


def test_hours_count_only_working_days():
    # 24 h from Friday 17:00 ends Monday 17:00.
    assert calendar.add_hours(at(2026, 11, 20, 17, 0), 24).at == at(2026, 11, 23, 17, 0)
    # Across the National Day holiday: 30 Sep 17:00 + 24 h → 8 Oct 17:00.
    assert calendar.add_hours(at(2026, 9, 30, 17, 0), 24).at == at(2026, 10, 8, 17, 0)


def test_natural_days_and_months():
    assert calendar.add_natural_days(at(2026, 9, 30, 17, 0), 7).at == at(2026, 10, 7, 23, 59, 59)
    assert calendar.add_months(at(2026, 9, 30, 17, 0), 1).at == at(2026, 10, 30, 23, 59, 59)
    assert calendar.add_months(at(2026, 1, 31, 9, 0), 1).at == at(2026, 2, 28, 23, 59, 59)


def test_working_days_between():
    assert calendar.working_days_between(date(2026, 9, 30), date(2026, 10, 10)) == 3
    assert calendar.working_days_between(date(2026, 10, 10), date(2026, 9, 30)) == -3
    assert calendar.working_days_between(date(2026, 9, 30), date(2026, 9, 30)) == 0


def test_working_seconds_between_ignores_holidays():
    cal = calendar.get_calendar()
    # From Wed 30 Sep 12:00 to Thu 8 Oct 12:00: 12 h on 30 Sep + 12 h on 8 Oct.
    assert cal.working_seconds_between(at(2026, 9, 30, 12), at(2026, 10, 8, 12)) == 24 * 3600
