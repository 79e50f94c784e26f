"""Working time between two moments under a weekly calendar and public holidays.

Pure functions over plain values (no ORM), so the same code serves the interaction writes,
the recomputation when a calendar changes, and the tests.
"""

import datetime as dt
import functools
import zoneinfo
from collections.abc import Container, Sequence

import holidays

# Monday to Sunday: (start, end) local wall-clock times, or None for a day off.
WeeklyHours = Sequence[tuple[dt.time, dt.time] | None]

_UTC = dt.UTC


@functools.lru_cache(maxsize=64)
def public_holidays(country: str, subdivision: str, year: int) -> frozenset[dt.date]:
    """The public holidays of a country (and region) in one year, from the `holidays` package."""
    if not country:
        return frozenset()
    calendar = holidays.country_holidays(country, subdiv=subdivision or None, years=year)
    return frozenset(calendar.keys())


class _Holidays:
    """The holidays of a country over any years, looked up a year at a time."""

    def __init__(self, country: str, subdivision: str):
        self.country = country
        self.subdivision = subdivision

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and day in public_holidays(
            self.country, self.subdivision, day.year
        )


def holidays_of(*, country: str, subdivision: str = "") -> Container[dt.date]:
    return _Holidays(country.upper(), subdivision.upper())


def country_is_known(country: str) -> bool:
    return country.upper() in holidays.list_supported_countries()


def subdivision_is_known(country: str, subdivision: str) -> bool:
    return subdivision.upper() in holidays.list_supported_countries().get(country.upper(), [])


def _window(
    day: dt.date, hours: tuple[dt.time, dt.time], zone: dt.tzinfo
) -> tuple[dt.datetime, dt.datetime]:
    start, end = hours
    end_day = day if end > start else day + dt.timedelta(days=1)
    # Wall-clock times in the zone, compared in UTC: across a DST change a working day of
    # 09:00-17:00 is still eight hours, and a night shift over the change is an hour shorter
    # or longer, as the clock says.
    return (
        dt.datetime.combine(day, start, tzinfo=zone).astimezone(_UTC),
        dt.datetime.combine(end_day, end, tzinfo=zone).astimezone(_UTC),
    )


def working_time(
    *,
    start: dt.datetime,
    end: dt.datetime,
    hours: WeeklyHours,
    holidays: Container[dt.date],
    zone: zoneinfo.ZoneInfo,
) -> dt.timedelta:
    """The working time from `start` to `end` (aware): the parts inside a working day's hours.

    A shift belongs to the day it starts on: a Friday night shift that ends on Saturday
    morning counts, and a holiday has no shift starting on it.
    """
    if end <= start:
        return dt.timedelta(0)
    start, end = start.astimezone(_UTC), end.astimezone(_UTC)
    # The day before: its night shift may reach into the first day.
    day = start.astimezone(zone).date() - dt.timedelta(days=1)
    last = end.astimezone(zone).date()
    total = dt.timedelta(0)
    while day <= last:
        shift = hours[day.weekday()]
        if shift is not None and day not in holidays:
            opens, closes = _window(day, shift, zone)
            overlap = min(end, closes) - max(start, opens)
            if overlap > dt.timedelta(0):
                total += overlap
        day += dt.timedelta(days=1)
    return total
