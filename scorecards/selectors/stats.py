"""Days and per-day statistics ({code: (num, den)}) shared by the engine and the pages."""

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import DurationField, ExpressionWrapper, F, Sum
from django.db.models.functions import TruncDate

from scorecards.choices import MetricCode
from scorecards.dirty import organisation_zone

Stats = dict[str, tuple[Decimal, Decimal]]

STAT_COLUMNS: tuple[str, ...] = tuple(
    column for code in MetricCode.values for column in (f"{code}_num", f"{code}_den")
)

ZERO = Decimal(0)
ONE = Decimal(1)
# Read once: the enum builds its list of values anew on every access.
METRIC_CODES: tuple[str, ...] = tuple(MetricCode.values)
MICROSECONDS_PER_MINUTE = Decimal(60_000_000)
MICROSECONDS_PER_HOUR = Decimal(3_600_000_000)
# The num and den columns keep four decimal places; sums of minutes and hours are rounded there.
_STORED_PLACES = 4


def day_range(*, date_from: dt.date, date_to: dt.date) -> list[dt.date]:
    """Return every day from date_from to date_to inclusive."""
    return [date_from + dt.timedelta(days=n) for n in range((date_to - date_from).days + 1)]


def local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=organisation_zone())


def moment_range(*, date_from: dt.date, date_to: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Return [start, end) of the organisation's calendar days date_from..date_to."""
    return local_midnight(date_from), local_midnight(date_to + dt.timedelta(days=1))


def local_date_of(field_name: str) -> TruncDate:
    return TruncDate(field_name, tzinfo=organisation_zone())


def span(start: str, end: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


_STORED_STEP = Decimal(1).scaleb(-_STORED_PLACES)
_MICROSECOND = dt.timedelta(microseconds=1)


def duration_in(total: dt.timedelta | None, unit: Decimal) -> Decimal:
    """Return a summed duration in the unit, rounded half up to the stored places."""
    if total is None:
        return ZERO
    return (Decimal(total // _MICROSECOND) / unit).quantize(_STORED_STEP, rounding=ROUND_HALF_UP)


def stats_of_row(row: Mapping | object) -> Stats:
    """Return {code: (num, den)} from a daily score row, a dict of its columns or a model."""
    get: Callable[[str], Any] = (
        row.get if isinstance(row, Mapping) else lambda name: getattr(row, name)
    )
    return {code: (get(f"{code}_num"), get(f"{code}_den")) for code in MetricCode.values}


VOLUME = MetricCode.VOLUME.value


def as_decimal(number: int | Decimal | None) -> Decimal:
    return Decimal(number or 0)


def column_sums() -> dict[str, Sum]:
    return {column: Sum(column) for column in STAT_COLUMNS}
