"""The scoring maths written the readable way, a function per step: the oracle the property
tests hold `scorecards.scoring.score_stats`, the one production implementation, against.

Each step enters the exact decimal context and checks its inputs itself, which is what makes
it slow enough that production does the same arithmetic in one pass (`score_stats`).
"""

from collections.abc import Mapping, Sequence
from decimal import Decimal

from crs_site.lib.numbers import exact, to_decimal
from scorecards.scoring import MetricResult, MetricRule, metric_value

_ZERO = Decimal(0)
_ONE = Decimal(1)
_HUNDRED = Decimal(100)


@exact
def metric_score(*, value: int | Decimal, target: int | Decimal, floor: int | Decimal) -> Decimal:
    """Return clamp((value - floor) / (target - floor), 0, 1) x 100."""
    value = to_decimal(value, name="value")
    target = to_decimal(target, name="target")
    floor = to_decimal(floor, name="floor")
    if target == floor:
        raise ValueError("target and floor must differ")
    # One formula for both directions: with target < floor (lower is better) the divisor is
    # negative, so a value below the floor moves the ratio up towards 1.
    ratio = (value - floor) / (target - floor)
    return min(max(ratio, _ZERO), _ONE) * _HUNDRED


@exact
def metric_result(*, rule: MetricRule, num: int | Decimal, den: int | Decimal) -> MetricResult:
    """Score a metric's num and den under its rule; N/A below the minimum sample."""
    num = to_decimal(num, name="num")
    den = to_decimal(den, name="den")
    value = metric_value(code=rule.code, num=num, den=den)
    if value is None or den < rule.min_sample:
        return MetricResult(num=num, den=den, value=None, score=None)
    score = metric_score(value=value, target=rule.target, floor=rule.floor)
    return MetricResult(num=num, den=den, value=value, score=score)


@exact
def weighted_total(
    *, results: Mapping[str, MetricResult], rules: Sequence[MetricRule]
) -> Decimal | None:
    """Return the weighted mean score over the rules' available metrics, None when none is."""
    weighted_sum = _ZERO
    weight_sum = _ZERO
    for rule in rules:
        result = results.get(rule.code)
        if result is None or result.score is None:
            continue
        weighted_sum += rule.weight * result.score
        weight_sum += rule.weight
    if weight_sum == 0:
        return None
    return weighted_sum / weight_sum
