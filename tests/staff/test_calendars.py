"""Working time under a weekly calendar: weekends, holidays, night shifts and DST changes."""

import datetime as dt
import zoneinfo

import pytest

from staff.calendars import holidays_of, working_time

RIGA = zoneinfo.ZoneInfo("Europe/Riga")
NINE_TO_FIVE = [(dt.time(9), dt.time(17))] * 5 + [None, None]


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=RIGA)


def minutes(start, end, hours=NINE_TO_FIVE, holidays=frozenset()) -> float:
    span = working_time(start=start, end=end, hours=hours, holidays=holidays, zone=RIGA)
    return span.total_seconds() / 60


def test_inside_one_working_day():
    assert minutes(at(2026, 11, 3, 10), at(2026, 11, 3, 10, 45)) == 45


def test_before_opening_and_after_closing_do_not_count():
    # Asked at 07:00, answered at 09:30: thirty working minutes.
    assert minutes(at(2026, 11, 3, 7), at(2026, 11, 3, 9, 30)) == 30
    # Asked at 16:50, answered 09:10 the next day: twenty minutes.
    assert minutes(at(2026, 11, 3, 16, 50), at(2026, 11, 4, 9, 10)) == 20


def test_weekend_is_skipped():
    # Friday 16:30 to Monday 09:30: half an hour on Friday, half an hour on Monday.
    assert minutes(at(2026, 11, 6, 16, 30), at(2026, 11, 9, 9, 30)) == 60


def test_public_holiday_is_skipped():
    latvia = holidays_of(country="LV")
    # 18 November is Latvia's Independence Day (a Wednesday in 2026).
    assert dt.date(2026, 11, 18) in latvia
    assert minutes(at(2026, 11, 17, 16), at(2026, 11, 19, 10), holidays=latvia) == 120
    assert minutes(at(2026, 11, 17, 16), at(2026, 11, 19, 10)) == 120 + 480


def test_night_shift_crosses_midnight():
    nights = [(dt.time(22), dt.time(6))] * 7
    assert minutes(at(2026, 11, 3, 23), at(2026, 11, 4, 1), hours=nights) == 120
    # From 05:00 to 23:00: an hour of the night before, an hour of the night after.
    assert minutes(at(2026, 11, 4, 5), at(2026, 11, 4, 23), hours=nights) == 120


def test_whole_day_when_start_equals_end():
    always = [(dt.time(0), dt.time(0))] * 7
    assert minutes(at(2026, 11, 7, 12), at(2026, 11, 8, 12), hours=always) == 24 * 60


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # Spring forward (29 March 2026, 03:00 -> 04:00 in Riga): a night shift loses an hour.
        (at(2026, 3, 28, 22), at(2026, 3, 29, 6), 7 * 60),
        # Fall back (25 October 2026, 04:00 -> 03:00): the night shift gains one.
        (at(2026, 10, 24, 22), at(2026, 10, 25, 6), 9 * 60),
    ],
)
def test_dst_changes_count_the_clock_hours(start, end, expected):
    nights = [(dt.time(22), dt.time(6))] * 7
    assert minutes(start, end, hours=nights) == expected


def test_day_hours_unchanged_by_dst():
    every_day = [(dt.time(9), dt.time(17))] * 7
    assert minutes(at(2026, 3, 29, 9), at(2026, 3, 29, 17), hours=every_day) == 480
    assert minutes(at(2026, 10, 25, 9), at(2026, 10, 25, 17), hours=every_day) == 480


def test_end_before_start_is_zero():
    assert minutes(at(2026, 11, 3, 12), at(2026, 11, 3, 11)) == 0


def test_no_working_day_at_all_is_zero():
    assert minutes(at(2026, 11, 7, 9), at(2026, 11, 8, 17)) == 0
