"""Is a metric's change between two windows larger than noise? Pure maths on pooled counts.

A change event's impact page compares a metric pooled over the days before and after the event.
All it has per window is the metric's num and den (docs/SCORING.md), so each family of metrics
is tested with what those two numbers allow:

- proportions (num successes of den): a two-proportion z-test with the pooled proportion;
- means (num is a sum of den observations): a Welch comparison whose variances come from what is
  known about the metric's shape, because the daily rows keep no sum of squares:
  bounded means (QA 0..100, NPS -1..1 per answer) use the Bhatia-Davis bound
  (M - m)(m - m_min), the largest variance a mean m allows, so the test errs towards
  "no clear change"; waiting times use an exponential shape (sd = mean); counts per person-day
  use a Poisson shape (variance = mean).

Below MIN_SAMPLE in either window, or with too few successes or failures for the normal
approximation of a proportion, the answer is "not enough data".
"""

import math
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from scorecards.metrics import CATALOGUE
from scorecards.metrics import Family as Family

MIN_SAMPLE = 20
MIN_EXPECTED = 5
# Two-sided 5% level.
Z_CRITICAL = 1.959964


# (family, lowest, highest value of one observation) per metric code, in num/den units, from
# the metric catalogue.
_SHAPES: dict[str, tuple[Family, float, float]] = {
    code: (spec.family, *spec.observation_range) for code, spec in CATALOGUE.items()
}


class Verdict(Enum):
    NOT_ENOUGH_DATA = "not_enough_data"
    NO_CLEAR_CHANGE = "no_clear_change"
    CHANGED = "changed"


@dataclass(frozen=True)
class Comparison:
    """The outcome of comparing one metric's pooled counts before and after."""

    verdict: Verdict
    # The test statistic (z, or Welch's t) of after minus before; None without enough data.
    statistic: float | None = None
    # Welch-Satterthwaite degrees of freedom for means; None for proportions.
    degrees_of_freedom: float | None = None

    @property
    def is_significant(self) -> bool:
        """Tell whether the change is larger than noise at the 5% level."""
        return self.verdict is Verdict.CHANGED


def family_of(code: str) -> Family:
    """Return the statistical family of a metric code."""
    return _SHAPES[code][0]


def t_critical(*, degrees_of_freedom: float) -> float:
    """Return the two-sided 5% critical value of Student's t (Cornish-Fisher expansion).

    Within 0.5% of the exact quantile from 5 degrees of freedom up, which is all the minimum
    sample allows; it tends to the normal 1.96 as the freedom grows.
    """
    z = Z_CRITICAL
    df = degrees_of_freedom
    return (
        z
        + (z**3 + z) / (4 * df)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3)
    )


def compare_windows(
    *,
    code: str,
    before: tuple[Decimal | int, Decimal | int],
    after: tuple[Decimal | int, Decimal | int],
) -> Comparison:
    """Compare a metric's pooled (num, den) before and after; tell whether it moved beyond noise."""
    family, lowest, highest = _SHAPES[code]
    num_before, den_before = float(before[0]), float(before[1])
    num_after, den_after = float(after[0]), float(after[1])
    if den_before < MIN_SAMPLE or den_after < MIN_SAMPLE:
        return Comparison(verdict=Verdict.NOT_ENOUGH_DATA)
    if family is Family.PROPORTION:
        return _two_proportions(num_before, den_before, num_after, den_after)
    mean_before = num_before / den_before
    mean_after = num_after / den_after
    return _welch(
        mean_before,
        _variance(family, mean_before, lowest, highest),
        den_before,
        mean_after,
        _variance(family, mean_after, lowest, highest),
        den_after,
    )


def _two_proportions(x1: float, n1: float, x2: float, n2: float) -> Comparison:
    pooled = (x1 + x2) / (n1 + n2)
    successes, failures = x1 + x2, (n1 + n2) - (x1 + x2)
    if successes < MIN_EXPECTED or failures < MIN_EXPECTED:
        return Comparison(verdict=Verdict.NOT_ENOUGH_DATA)
    error = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    z = (x2 / n2 - x1 / n1) / error
    verdict = Verdict.CHANGED if abs(z) >= Z_CRITICAL else Verdict.NO_CLEAR_CHANGE
    return Comparison(verdict=verdict, statistic=z)


def _variance(family: Family, mean: float, lowest: float, highest: float) -> float:
    if family is Family.BOUNDED_MEAN:
        return max((highest - mean) * (mean - lowest), 0.0)
    if family is Family.WAITING_TIME:
        return mean**2
    return max(mean, 0.0)


def _welch(m1: float, v1: float, n1: float, m2: float, v2: float, n2: float) -> Comparison:
    share1, share2 = v1 / n1, v2 / n2
    error = math.sqrt(share1 + share2)
    if error == 0:
        # Both windows sit at a bound (every review 100, nothing resolved): any gap is real.
        verdict = Verdict.NO_CLEAR_CHANGE if m1 == m2 else Verdict.CHANGED
        return Comparison(verdict=verdict)
    t = (m2 - m1) / error
    df = (share1 + share2) ** 2 / (
        (share1**2 / (n1 - 1) if share1 else 0.0) + (share2**2 / (n2 - 1) if share2 else 0.0)
    )
    verdict = (
        Verdict.CHANGED if abs(t) >= t_critical(degrees_of_freedom=df) else Verdict.NO_CLEAR_CHANGE
    )
    return Comparison(verdict=verdict, statistic=t, degrees_of_freedom=df)
