"""The input the application accepts (README), in one place for forms, API and URLs.

Numbers are finite: NaN and infinities are no score, weight or target, and a signalling NaN
cannot even be compared. A day before 2000-01-01 or after tomorrow is refused, except where a
date is naturally ahead (a follow-up, a goal, a version's start, an expiry): those may be up to
ten years ahead. Outside the range a value is a clear error at its field, never a 500 and never
a stored row that Python cannot read back (a local time in year 1 is 1 BC in UTC).
"""

import datetime as dt
import functools
import time

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from rest_framework import serializers

EARLIEST_DAY = dt.date(2000, 1, 1)
FUTURE_YEARS = 10
# What the database's check constraints hold stored values to: the range above with a day's
# margin for any time zone, so a stored time always reads back as a Python datetime.
STORED_EARLIEST = dt.datetime(1999, 12, 31, tzinfo=dt.UTC)
STORED_LATEST = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


def latest_day(*, future: bool = False) -> dt.date:
    """The last day accepted: tomorrow, or ten years ahead where a date may be in the future."""
    return _latest(_today(timezone.get_default_timezone(), int(time.time()) // 60), future)


def _latest(today: dt.date, future: bool) -> dt.date:
    if future:
        return today + dt.timedelta(days=365 * FUTURE_YEARS + FUTURE_YEARS // 4)
    return today + dt.timedelta(days=1)


@functools.lru_cache(maxsize=4)
def _today(zone: dt.tzinfo, minute: int) -> dt.date:
    # Kept per minute and zone (every zone's offset is whole minutes, so its day changes on a
    # minute): a batch of a thousand rows checks nine moments each against the same bounds.
    return dt.datetime.fromtimestamp(minute * 60, tz=zone).date()


def _moment_bounds(*, future: bool) -> tuple[dt.datetime, dt.datetime]:
    """The first moment of the earliest day and the first moment after the latest day."""
    return _moment_bounds_at(future, timezone.get_default_timezone(), int(time.time()) // 60)


@functools.lru_cache(maxsize=8)
def _moment_bounds_at(
    future: bool, zone: dt.tzinfo, minute: int
) -> tuple[dt.datetime, dt.datetime]:
    # Kept per minute, as `_today`: a batch of a thousand rows checks four moments each.
    latest = _latest(_today(zone, minute), future)
    return (
        dt.datetime.combine(EARLIEST_DAY, dt.time(), tzinfo=zone),
        dt.datetime.combine(latest + dt.timedelta(days=1), dt.time(), tzinfo=zone),
    )


def day_in_range(value: dt.date | dt.datetime, *, future: bool = False) -> bool:
    """Whether a day (or a moment, on the organisation's calendar) lies in the accepted range."""
    if isinstance(value, dt.datetime):
        earliest, after = _moment_bounds(future=future)
        if timezone.is_naive(value):
            value = value.replace(tzinfo=timezone.get_default_timezone())
        # Aware datetimes compare by their offset without converting: no overflow at year 1.
        return earliest <= value < after
    return EARLIEST_DAY <= value <= latest_day(future=future)


def _range_error(*, future: bool) -> ValidationError:
    return ValidationError(
        _("Enter a date from %(earliest)s to %(latest)s.")
        % {
            "earliest": date_format(EARLIEST_DAY, "SHORT_DATE_FORMAT"),
            "latest": date_format(latest_day(future=future), "SHORT_DATE_FORMAT"),
        },
        code="date_out_of_range",
    )


def validate_day_in_range(value: dt.date | dt.datetime) -> None:
    """Refuse a day (or moment) before 2000-01-01 or after tomorrow."""
    if not day_in_range(value):
        raise _range_error(future=False)


def validate_future_day_in_range(value: dt.date | dt.datetime) -> None:
    """Refuse a day (or moment) before 2000-01-01 or more than ten years ahead."""
    if not day_in_range(value, future=True):
        raise _range_error(future=True)


def _validator(future: bool):
    return validate_future_day_in_range if future else validate_day_in_range


class FiniteDecimalField(forms.DecimalField):
    """A form's decimal that is a finite number, refused as such before anything compares it.

    Django refuses NaN only when validating, after `has_changed` (formsets) has compared the
    value: a signalling NaN raises there instead of being an error at the field.
    """

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and not value.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return value


class DayField(forms.DateField):
    """A form's date within the accepted range (`future=True`: up to ten years ahead)."""

    def __init__(self, *, future: bool = False, **kwargs):
        kwargs["validators"] = [*kwargs.get("validators", ()), _validator(future)]
        super().__init__(**kwargs)


class MomentField(forms.DateTimeField):
    """A form's date and time whose day lies within the accepted range."""

    def __init__(self, *, future: bool = False, **kwargs):
        kwargs["validators"] = [*kwargs.get("validators", ()), _validator(future)]
        super().__init__(**kwargs)


class DayFilter(django_filters.DateFilter):
    """A filter on a day within the accepted range, shared by the pages and the API."""

    field_class = DayField


class ApiDayField(serializers.DateField):
    """An API date within the accepted range (`future=True`: up to ten years ahead)."""

    def __init__(self, *, future: bool = False, **kwargs):
        kwargs["validators"] = [*kwargs.get("validators", ()), _validator(future)]
        super().__init__(**kwargs)


class ApiMomentField(serializers.DateTimeField):
    """An API time within the accepted range; one sent without an offset is the organisation's.

    The default asks for the current zone for every value, through a thread-local: with three
    times per row, a fifth of validating a 1,000-row batch. The API never activates another.
    """

    def __init__(self, *, future: bool = False, **kwargs):
        self.future = future
        super().__init__(**kwargs)

    def default_timezone(self):
        return timezone.get_default_timezone()

    def enforce_timezone(self, value):
        # Checked before DRF converts the time to the zone: out of range, the conversion itself
        # fails (year 1 east of UTC is 1 BC).
        if not day_in_range(value, future=self.future):
            raise serializers.ValidationError(
                _range_error(future=self.future).messages, code="date_out_of_range"
            )
        return super().enforce_timezone(value)


class DayConverter:
    """`<day:day>` in a URL: an ISO date within the accepted range, else the URL does not match."""

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value: str) -> dt.date:
        day = dt.date.fromisoformat(value)  # ValueError: no match, a 404
        if not day_in_range(day):
            raise ValueError(value)
        return day

    def to_url(self, value: dt.date | str) -> str:
        return value.isoformat() if isinstance(value, dt.date) else value


def stored_in_range(field: str, *, is_date: bool = False, nullable: bool = False) -> Q:
    """A check constraint's condition: the column holds a value Python can read back."""
    earliest, latest = (
        (STORED_EARLIEST.date(), STORED_LATEST.date())
        if is_date
        else (STORED_EARLIEST, STORED_LATEST)
    )
    condition = Q(**{f"{field}__gte": earliest, f"{field}__lt": latest})
    return Q(**{f"{field}__isnull": True}) | condition if nullable else condition
