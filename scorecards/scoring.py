"""The scoring maths (docs/SCORING.md): metric values and scores, totals, bands, pooling.

Pure Python on `Decimal`: no ORM, no settings, no I/O, so every rule is unit- and property-tested
and the daily computation, the period and team summaries and the API all share one implementation.
Numbers are `int` or `Decimal`; floats are refused, because one binary rounding error in a sum of
minutes would make a pooled period disagree with its days.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import NamedTuple

from crs_site.lib.numbers import DECIMAL_CONTEXT, exact, to_decimal

# Re-exported: the scorecards pages and engine round their figures with it.
from crs_site.lib.numbers import quantize as quantize

# Each metric's factor and direction come from the metric catalogue (lazy labels aside, plain
# data: importing it reads no settings).
from scorecards.metrics import FACTOR as FACTOR
from scorecards.metrics import HIGHER_IS_BETTER as HIGHER_IS_BETTER

GREEN = "green"
AMBER = "amber"
RED = "red"
NO_BAND = ""

_ZERO = Decimal(0)
_ONE = Decimal(1)
_HUNDRED = Decimal(100)
_CENTS = Decimal("0.01")


def _number(number: int | Decimal, name: str) -> Decimal:
    """`to_decimal`, returning a finite Decimal as it is: the same value, without the copy."""
    kind = type(number)
    # type() rather than isinstance() on this hot path; mypy narrows only on isinstance().
    if kind is Decimal and number.is_finite():  # type: ignore[union-attr]
        return number  # type: ignore[return-value]
    if kind is int:
        return Decimal(number)
    return to_decimal(number, name=name)


def _check_code(code: str) -> None:
    if code not in FACTOR:
        raise ValueError(f"unknown metric code {code!r}")


@dataclass(frozen=True)
class MetricRule:
    """A scorecard version's metric, as plain data."""

    code: str
    weight: Decimal
    target: Decimal
    floor: Decimal
    min_sample: int = 1

    def __post_init__(self) -> None:
        _check_code(self.code)
        # Frozen, so normalise through object.__setattr__: rules built from ints compare and
        # compute like rules built from the DecimalFields of a Metric.
        for name in ("weight", "target", "floor"):
            object.__setattr__(self, name, to_decimal(getattr(self, name), name=name))
        if self.weight <= 0:
            raise ValueError(f"weight of {self.code} must be positive, not {self.weight}")
        if self.target == self.floor:
            raise ValueError(f"target and floor of {self.code} must differ")
        with localcontext(DECIMAL_CONTEXT):
            # target - floor, the divisor of every score under this rule, worked out once.
            object.__setattr__(self, "_spread", self.target - self.floor)
        if isinstance(self.min_sample, bool) or not isinstance(self.min_sample, int):
            raise TypeError(f"min_sample of {self.code} must be an int")
        if self.min_sample < 1:
            raise ValueError(f"min_sample of {self.code} must be at least 1")


class MetricResult(NamedTuple):
    """A metric's sufficient statistics with its value and score; value and score None when N/A.

    A named tuple rather than a frozen dataclass: a backfill builds ten per employee-day.
    """

    num: Decimal
    den: Decimal
    value: Decimal | None
    score: Decimal | None

    @property
    def is_available(self) -> bool:
        """Tell whether the metric counts towards the total."""
        return self.score is not None


@dataclass(frozen=True)
class DayScore:
    """A subject's score for a day, a pooled period or a team: total None means an empty day."""

    total: Decimal | None
    band: str
    metrics: dict[str, MetricResult]


@exact
def metric_value(*, code: str, num: int | Decimal, den: int | Decimal) -> Decimal | None:
    """Return num / den times the metric's factor, or None when there is nothing to divide by."""
    _check_code(code)
    num = to_decimal(num, name="num")
    den = to_decimal(den, name="den")
    if den < 0:
        raise ValueError(f"den of {code} must not be negative, not {den}")
    if den == 0:
        return None
    return num / den * FACTOR[code]


def band_for(*, total: Decimal | None, green_from: Decimal, amber_from: Decimal) -> str:
    """Return the band a total falls in, or "" for an empty day."""
    green_from = _number(green_from, "green_from")
    amber_from = _number(amber_from, "amber_from")
    if amber_from > green_from:
        raise ValueError(f"amber_from {amber_from} must not exceed green_from {green_from}")
    if total is None:
        return NO_BAND
    total = _number(total, "total")
    if total >= green_from:
        return GREEN
    if total >= amber_from:
        return AMBER
    return RED


_NO_STATS = (_ZERO, _ZERO)


@exact
def score_stats(
    *,
    stats: Mapping[str, tuple[Decimal, Decimal]],
    rules: Sequence[MetricRule],
    green_from: Decimal,
    amber_from: Decimal,
) -> DayScore:
    """Score per-metric (num, den) under a version's rules: each metric, the total and the band.

    The one production implementation of a metric's score, a day's total and its band, in one
    decimal context: the daily computation calls this for every employee-day. A metric's score
    is clamp((value - floor) / (target - floor), 0, 1) x 100, one formula for both directions
    (with target < floor, lower is better, the divisor is negative); N/A below the rule's
    minimum sample. The readable reference, a function per step, lives with the tests as the
    oracle of a property test (`tests/scorecards/scoring_oracle.py`).
    """
    metrics: dict[str, MetricResult] = {}
    weighted_sum = _ZERO
    weight_sum = _ZERO
    for rule in rules:
        code = rule.code
        num, den = stats.get(code, _NO_STATS)
        num = _number(num, "num")
        den = _number(den, "den")
        if den < 0:
            raise ValueError(f"den of {code} must not be negative, not {den}")
        # min_sample is at least 1, so this is also "nothing to divide by".
        if den < rule.min_sample:
            metrics[code] = MetricResult(num, den, None, None)
            continue
        value = num / den * FACTOR[code]
        # One formula for both directions (the docstring).
        ratio = (value - rule.floor) / rule._spread  # type: ignore[attr-defined]  # __post_init__
        score = min(max(ratio, _ZERO), _ONE) * _HUNDRED
        metrics[code] = MetricResult(num, den, value, score)
        weighted_sum += rule.weight * score
        weight_sum += rule.weight
    total = None if weight_sum == 0 else weighted_sum / weight_sum
    # The band follows the total as stored and shown (two places), so a page never reads
    # "80.00" next to an amber badge.
    shown = None if total is None else total.quantize(_CENTS, rounding=ROUND_HALF_UP)
    band = band_for(total=shown, green_from=green_from, amber_from=amber_from)
    return DayScore(total=total, band=band, metrics=metrics)


@exact
def pool(
    rows: Iterable[Mapping[str, tuple[Decimal, Decimal]]],
) -> dict[str, tuple[Decimal, Decimal]]:
    """Sum num and den per metric code over days or people: pooled, never averaged."""
    pooled: dict[str, tuple[Decimal, Decimal]] = {}
    for row in rows:
        for code, (num, den) in row.items():
            pooled_num, pooled_den = pooled.get(code, (_ZERO, _ZERO))
            pooled[code] = (
                pooled_num + to_decimal(num, name="num"),
                pooled_den + to_decimal(den, name="den"),
            )
    return pooled
